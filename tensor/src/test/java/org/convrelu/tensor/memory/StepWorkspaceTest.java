package org.convrelu.tensor.memory;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import static org.assertj.core.api.Assertions.assertThat;

class StepWorkspaceTest {
    private static final long FLOATS = 1 << 20; // two temporaries of 4 MiB per call

    /** A call that makes 8 MiB of temporaries and returns a 16-value result computed from them. */
    private static INDArray layerLike(INDArray in) {
        INDArray big = Nd4j.valueArrayOf(new long[] {FLOATS}, 2f, DataType.FLOAT);
        INDArray scratch = big.mul(in.getFloat(0));
        return Nd4j.zeros(DataType.FLOAT, 16).addi(scratch.getFloat(7));
    }

    @Test
    void nestedCallsKeepOnlyTheirResultsInTheStepsBlock() {
        try (MemoryWorkspace step = StepWorkspace.open("step-workspace-test")) {
            INDArray g = Nd4j.ones(DataType.FLOAT, 16);
            long before = step.getPrimaryOffset();
            for (int layer = 0; layer < 4; layer++) {
                g = StepWorkspace.nested(StepWorkspaceTest::layerLike, g);
                assertThat(g.isAttached()).isTrue();
                assertThat(g.data().getParentWorkspace().getId()).isEqualTo("step-workspace-test");
            }
            assertThat(g.getFloat(15)).isEqualTo(2f * 2f * 2f * 2f);
            // four results of 64 bytes (with ND4J's alignment), none of the 4 × 8 MiB of temporaries
            assertThat(step.getPrimaryOffset() - before).isLessThan(4 * 1024);

            INDArray unchanged = g;
            assertThat(StepWorkspace.nested(in -> in, g)).as("a result already in the step's block is not copied").isSameAs(unchanged);
            assertThat(StepWorkspace.nested(in -> null, g)).isNull();
        }
    }

    @Test
    void withoutAnOpenWorkspaceACallJustRuns() {
        INDArray x = Nd4j.ones(DataType.FLOAT, 16);
        INDArray y = StepWorkspace.nested(StepWorkspaceTest::layerLike, x);
        assertThat(y.isAttached()).isFalse();
        assertThat(y.getFloat(0)).isEqualTo(2f);
    }

    @Test
    void onlyTheOutermostCallNests() {
        try (MemoryWorkspace step = StepWorkspace.open("step-workspace-test")) {
            String[] inner = new String[1];
            StepWorkspace.nested(in -> StepWorkspace.nested(x -> {
                inner[0] = Nd4j.getMemoryManager().getCurrentWorkspace().getId();
                return x.add(1);
            }, in), Nd4j.ones(DataType.FLOAT, 4));
            assertThat(inner[0]).isEqualTo(StepWorkspace.NESTED);
        }
    }
}
