package org.convrelu.experiments.run;

import org.convrelu.tensor.ops.cpu.CpuKernels;
import org.convrelu.tensor.ops.cpu.DirectConvRelu;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;

class ProvenancesTest {

    @Test
    void theArithmeticNamesThePartitionsNd4jsThreadsTheVectorWidthAndTheCpu() {
        String arithmetic = Provenances.arithmetic();
        assertThat(arithmetic).startsWith("samples in " + DirectConvRelu.PARTITIONS + " partitions; ND4J ")
                .containsPattern("ND4J [1-9][0-9]* OpenMP thread\\(s\\)")
                .contains(CpuKernels.vectorBits() > 0 ? CpuKernels.vectorBits() + "-bit vectors" : "fused kernels off")
                .containsPattern("; CPU \\S");
    }
}
