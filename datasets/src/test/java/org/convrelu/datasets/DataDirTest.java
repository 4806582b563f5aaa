package org.convrelu.datasets;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Reports name the data the same way from every clone: relative to the working directory when near it, files relative to the root. */
class DataDirTest {
    @Test
    void aRootBesideTheWorkingDirectoryIsNamedRelatively() {
        Path here = Path.of("").toAbsolutePath().normalize();
        assertThat(new DataDir(here.resolve("../shared/data")).describe()).isEqualTo(Path.of("..", "shared", "data").toString());
        assertThat(new DataDir(here).describe()).isEqualTo(".");
        assertThat(new DataDir(Path.of("/opt/datasets")).describe()).isEqualTo("/opt/datasets"); // far away: as it is
    }

    @Test
    void aFolderInsideTheRootIsNamedFromTheRoot() {
        DataDir dir = new DataDir(Path.of("/srv/data"));
        assertThat(dir.describe(Path.of("/srv/data/cifar10/cifar-10-batches-bin"))).isEqualTo("cifar10/cifar-10-batches-bin");
        assertThat(dir.describe(Path.of("/elsewhere/mr"))).isEqualTo("/elsewhere/mr");
    }
}
