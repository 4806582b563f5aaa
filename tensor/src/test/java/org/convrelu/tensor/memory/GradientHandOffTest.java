package org.convrelu.tensor.memory;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import static org.assertj.core.api.Assertions.assertThat;

class GradientHandOffTest {
    private static final long FLOATS = 1 << 20; // a 4 MiB temporary per call

    /** A backward-like call: a 4 MiB temporary, and a [2, 3, 4] gradient of input + 1. */
    private static INDArray layerLike(INDArray in) {
        INDArray scratch = Nd4j.valueArrayOf(new long[] {FLOATS}, 1f, DataType.FLOAT);
        return in.add(scratch.getFloat(0));
    }

    @Test
    void aChainHoldsTwoGradientsOutOfTheStepsBlock() {
        try (MemoryWorkspace step = StepWorkspace.open("hand-off-test")) {
            GradientHandOff handOff = new GradientHandOff();
            INDArray g = Nd4j.zeros(DataType.FLOAT, 2, 3, 4);
            long before = step.getPrimaryOffset();
            INDArray[] results = new INDArray[6];
            for (int layer = 0; layer < results.length; layer++) {
                INDArray in = g;
                g = handOff.nested(GradientHandOffTest::layerLike, g);
                results[layer] = g;
                assertThat(g.isAttached()).as("kept out of workspaces").isFalse();
                assertThat(g.shape()).containsExactly(2, 3, 4);
                assertThat(g.ordering()).isEqualTo('c');
                assertThat(g.getFloat(1, 2, 3)).isEqualTo(layer + 1f);
                assertThat(g.data().addressPointer().address()).as("never the buffer its input is in")
                        .isNotEqualTo(in.data().addressPointer().address());
            }
            assertThat(step.getPrimaryOffset() - before).as("nothing in the step's block").isZero();
            // two buffers in turn: every other result shares memory
            assertThat(results[2].data().address()).isEqualTo(results[0].data().address());
            assertThat(results[3].data().address()).isEqualTo(results[1].data().address());
            assertThat(results[1].data().address()).isNotEqualTo(results[0].data().address());
        }
    }

    @Test
    void anInputInEitherBufferIsNeverOverwritten() {
        try (MemoryWorkspace step = StepWorkspace.open("hand-off-test")) {
            GradientHandOff handOff = new GradientHandOff();
            INDArray first = handOff.nested(GradientHandOffTest::layerLike, Nd4j.zeros(DataType.FLOAT, 5));
            INDArray second = handOff.nested(GradientHandOffTest::layerLike, first);
            // a call whose input is the older of the two results (as if a layer between passed it on unchanged)
            INDArray third = handOff.nested(in -> in.mul(10), first);
            assertThat(first.getFloat(0)).isEqualTo(1f);
            assertThat(third.getFloat(0)).isEqualTo(10f);
            assertThat(third.data().address()).isNotEqualTo(first.data().address());
            assertThat(second.getFloat(0)).as("the other buffer, overwritten: its result was handed on already").isEqualTo(10f);
        }
    }

    @Test
    void aGrowingGradientGetsALargerBufferAndOthersPassThrough() {
        try (MemoryWorkspace step = StepWorkspace.open("hand-off-test")) {
            GradientHandOff handOff = new GradientHandOff();
            INDArray small = handOff.nested(GradientHandOffTest::layerLike, Nd4j.zeros(DataType.FLOAT, 4));
            INDArray large = handOff.nested(in -> Nd4j.ones(DataType.FLOAT, 64, 64), small);
            INDArray larger = handOff.nested(in -> Nd4j.ones(DataType.FLOAT, 128, 64).muli(2), large);
            assertThat(large.sumNumber().doubleValue()).isEqualTo(64 * 64);
            assertThat(larger.sumNumber().doubleValue()).isEqualTo(2 * 128 * 64);

            INDArray inStep = Nd4j.ones(DataType.FLOAT, 3);
            assertThat(handOff.nested(in -> in, inStep)).isSameAs(inStep);
            assertThat(handOff.nested(in -> null, inStep)).isNull();
        }
    }

    @Test
    void withoutAnOpenWorkspaceACallJustRuns() {
        INDArray x = Nd4j.zeros(DataType.FLOAT, 4);
        INDArray y = new GradientHandOff().nested(GradientHandOffTest::layerLike, x);
        assertThat(y.isAttached()).isFalse();
        assertThat(y.getFloat(0)).isEqualTo(1f);
    }

    @Test
    void onlyTheOutermostCallNestsAndTemporariesStayOutOfTheStepsBlock() {
        try (MemoryWorkspace step = StepWorkspace.open("hand-off-test")) {
            GradientHandOff outer = new GradientHandOff();
            GradientHandOff inner = new GradientHandOff();
            String[] innerWorkspace = new String[1];
            long before = step.getPrimaryOffset();
            INDArray g = outer.nested(in -> inner.nested(x -> {
                innerWorkspace[0] = Nd4j.getMemoryManager().getCurrentWorkspace().getId();
                return layerLike(x);
            }, in), Nd4j.zeros(DataType.FLOAT, 4));
            assertThat(innerWorkspace[0]).isEqualTo(StepWorkspace.NESTED);
            assertThat(g.isAttached()).isFalse();
            assertThat(g.getFloat(3)).isEqualTo(1f);
            assertThat(step.getPrimaryOffset() - before).as("the 4 MiB temporary and the zeros' copy were dropped").isLessThan(1024);
        }
    }
}
