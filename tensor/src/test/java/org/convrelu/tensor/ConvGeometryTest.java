package org.convrelu.tensor;

import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConvGeometryTest {

    @Test
    void outputSizesFollowTheUsualFormula() {
        assertThat(ConvGeometry.of(2, 3, 1, 1).outputSize(new long[] {32, 32})).containsExactly(32, 32);
        assertThat(ConvGeometry.of(1, 7, 1, 0).outputSize(new long[] {1014})).containsExactly(1008);
        assertThat(ConvGeometry.of(1, 3, 3, 0).outputSize(new long[] {1008})).containsExactly(336);
        assertThat(ConvGeometry.of(2, 2, 2, 0).outputSize(new long[] {7, 8})).containsExactly(3, 4);
        assertThat(ConvGeometry.of(2, 3, 1, 2, 2).outputSize(new long[] {5, 5})).containsExactly(5, 5);
        assertThat(ConvGeometry.of(3, 3, 2, 1).outputSize(new long[] {4, 5, 6})).containsExactly(2, 3, 3);
    }

    @Test
    void rejectsWindowsThatDoNotFitAndBadArguments() {
        assertThatThrownBy(() -> ConvGeometry.of(1, 5, 1, 0).outputSize(new long[] {3}))
                .hasMessageContaining("does not fit input extent 3");
        assertThatThrownBy(() -> ConvGeometry.of(2, 0, 1, 0)).hasMessageContaining("≥ 1");
        assertThatThrownBy(() -> ConvGeometry.of(4, 3, 1, 0)).hasMessageContaining("1D, 2D and 3D");
        assertThatThrownBy(() -> ConvGeometry.of(2, 3, 1, 0).outputSize(new long[] {5}))
                .hasMessageContaining("spatial axes");
    }
}
