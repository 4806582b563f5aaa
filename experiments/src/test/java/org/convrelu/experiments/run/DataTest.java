package org.convrelu.experiments.run;

import org.convrelu.datasets.DataDir;
import org.convrelu.experiments.recipe.Arch;
import org.convrelu.experiments.recipe.DataId;
import org.convrelu.experiments.recipe.Recipe;
import org.convrelu.experiments.recipe.Scale;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;

/** What a cell's data says about itself, computed from the files the data directory holds. */
class DataTest {

    private static Recipe recipe(DataId data, Arch arch) {
        return Recipe.of(Scale.SMOKE, data, arch, org.convrelu.nn.models.ActivationSpec.relu(), org.convrelu.nn.models.Replacement.partial());
    }

    @Test
    void agNewsWithoutItsTrainSplitIsPartialData() {
        Data.Prepared p = Data.prepare(recipe(DataId.AG_NEWS, Arch.CHARCNN), DataDir.resolve(), 1);
        assertThat(p.partial()).contains("only AG's News's official test split");
        assertThat(p.description()).contains("only the official TEST split is available");
    }

    @Test
    void cifar10IsWhole() {
        Data.Prepared p = Data.prepare(recipe(DataId.CIFAR10, Arch.DENSENET), DataDir.resolve(), 1);
        assertThat(p.partial()).isNull();
    }

    @Test
    void theDataFingerprintFollowsTheFiles() {
        String official = Data.fingerprint(DataId.MR.dataset(), DataDir.resolve());
        assertThat(official).startsWith("sha256:");
        assertThat(Data.fingerprint(DataId.MR.dataset(), new DataDir(java.nio.file.Path.of("no-such-root")))).isEqualTo("absent");
    }
}
