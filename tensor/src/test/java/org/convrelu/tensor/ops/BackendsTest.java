package org.convrelu.tensor.ops;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.convrelu.tensor.ConvGeometry;
import org.convrelu.tensor.PaddedInput;
import org.convrelu.tensor.Precision;
import org.convrelu.tensor.RandomStream;
import org.convrelu.tensor.ops.cpu.CpuKernels;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The one place that chooses: automatic choices on the CPU backend, forcing in code and by property, counting. */
class BackendsTest {
    private static final ConvGeometry K3 = ConvGeometry.of(2, 3, 1, 1);
    private static final ConvGeometry K3_STRIDE2 = ConvGeometry.of(2, 3, 2, 1);
    private static final ConvGeometry K1 = ConvGeometry.of(2, 1, 1, 0);
    private static final ConvGeometry K3_3D = ConvGeometry.of(3, 3, 1, 1);
    private static final ConvGeometry K3_DILATED = ConvGeometry.of(2, 3, 1, 2, 2);

    private final Map<String, String> saved = new HashMap<>();

    /** The forcing properties of this JVM, set aside so that each test starts from the automatic choice. */
    private static List<String> properties() {
        List<String> names = new ArrayList<>(List.of(Backends.PROPERTY, CpuKernels.OFF_PROPERTY));
        for (OpKind kind : OpKind.values()) {
            names.add(Backends.PROPERTY + "." + kind.id());
        }
        return names;
    }

    @BeforeEach
    void setPropertiesAside() {
        for (String name : properties()) {
            String value = System.clearProperty(name);
            if (value != null) {
                saved.put(name, value);
            }
        }
    }

    @AfterEach
    void restoreProperties() {
        for (String name : properties()) {
            System.clearProperty(name);
        }
        saved.forEach(System::setProperty);
    }

    private static Implementation convRelu(DataType type, ConvReluArgs args) {
        return Backends.convRelu(type, args).implementation();
    }

    @Test
    void choosesTheFusedKernelWhereItAppliesAndThePortableOnesElsewhere() {
        assertThat(convRelu(DataType.FLOAT, ConvReluArgs.of(K3, PaddedInput.THRESHOLDED))).isEqualTo(Implementation.DIRECT);
        assertThat(convRelu(DataType.FLOAT, ConvReluArgs.of(K3, PaddedInput.ZERO))).isEqualTo(Implementation.PATCHES);
        assertThat(convRelu(DataType.DOUBLE, ConvReluArgs.of(K3, PaddedInput.THRESHOLDED))).isEqualTo(Implementation.PATCHES);
        assertThat(convRelu(DataType.FLOAT, ConvReluArgs.of(K3_STRIDE2, PaddedInput.THRESHOLDED))).isEqualTo(Implementation.PATCHES);
        assertThat(convRelu(DataType.DOUBLE, ConvReluArgs.of(K1, PaddedInput.THRESHOLDED))).isEqualTo(Implementation.ND4J);
        assertThat(convRelu(DataType.FLOAT, ConvReluArgs.reluThenConv(K3_STRIDE2))).isEqualTo(Implementation.ND4J);
        assertThat(convRelu(DataType.FLOAT, ConvReluArgs.reluThenConv(K3))).isEqualTo(Implementation.DIRECT);
        assertThat(convRelu(DataType.FLOAT, ConvReluArgs.of(K3_3D, PaddedInput.THRESHOLDED))).isEqualTo(Implementation.PATCHES);
        assertThat(Backends.batchNorm(DataType.FLOAT, 4).implementation()).isEqualTo(Implementation.DIRECT);
        assertThat(Backends.batchNorm(DataType.DOUBLE, 4).implementation()).isEqualTo(Implementation.ND4J);
        assertThat(Backends.conv(DataType.FLOAT, K3).implementation()).isEqualTo(Implementation.ND4J);
        assertThat(Backends.conv(DataType.FLOAT, K3_3D).implementation()).isEqualTo(Implementation.PATCHES);
        assertThat(Backends.conv(DataType.FLOAT, K3_DILATED).implementation()).isEqualTo(Implementation.PATCHES);
        assertThat(Backends.conv(DataType.DOUBLE, K3_DILATED).implementation()).isEqualTo(Implementation.ND4J);
        assertThat(Backends.conv(DataType.FLOAT, K3, 3).implementation()).isEqualTo(Implementation.DIRECT); // an image stem
        assertThat(Backends.conv(DataType.FLOAT, K3, 64).implementation()).isEqualTo(Implementation.ND4J);
        assertThat(Backends.conv(DataType.DOUBLE, K3, 3).implementation()).isEqualTo(Implementation.ND4J);
    }

    @Test
    void sendsReluThenConvOverSmallPlanesOfManyChannelsToNd4j() {
        ConvReluArgs relu = ConvReluArgs.reluThenConv(K3);
        long[] vgg4x4 = {64, 85, 4, 4}, resnet4x4 = {64, 64, 4, 4}, vgg2x2 = {64, 85, 2, 2};
        assertThat(Backends.convRelu(DataType.FLOAT, relu, vgg4x4, 85).implementation()).isEqualTo(Implementation.ND4J);
        assertThat(Backends.convRelu(DataType.FLOAT, relu, resnet4x4, 64).implementation()).isEqualTo(Implementation.ND4J);
        assertThat(Backends.convRelu(DataType.FLOAT, relu, vgg2x2, 85).implementation()).isEqualTo(Implementation.ND4J);
        // the fused kernel keeps larger planes, narrow layers (DenseNet's 48 → 12), 1×1 windows and trainable thresholds
        assertThat(Backends.convRelu(DataType.FLOAT, relu, new long[] {64, 64, 8, 8}, 64).implementation()).isEqualTo(Implementation.DIRECT);
        assertThat(Backends.convRelu(DataType.FLOAT, relu, new long[] {64, 48, 4, 4}, 12).implementation()).isEqualTo(Implementation.DIRECT);
        assertThat(Backends.convRelu(DataType.FLOAT, relu, new long[] {64, 16, 4, 4}, 64).implementation()).isEqualTo(Implementation.DIRECT);
        assertThat(Backends.convRelu(DataType.FLOAT, ConvReluArgs.reluThenConv(K1), vgg4x4, 85).implementation())
                .isEqualTo(Implementation.DIRECT);
        assertThat(Backends.convRelu(DataType.FLOAT, ConvReluArgs.of(K3, PaddedInput.THRESHOLDED), vgg4x4, 85).implementation())
                .isEqualTo(Implementation.DIRECT);
        assertThat(Backends.convRelu(DataType.FLOAT, relu, null, 85).implementation()).isEqualTo(Implementation.DIRECT);
        System.setProperty(Backends.PROPERTY + ".convrelu", "direct");
        assertThat(Backends.convRelu(DataType.FLOAT, relu, vgg4x4, 85).implementation()).isEqualTo(Implementation.DIRECT);
    }

    @Test
    void forcingInCodeAppliesToEveryOpKindThatHasTheImplementationAndEnds() {
        try (Backends.Forcing f = Backends.force(Implementation.ND4J)) {
            assertThat(convRelu(DataType.FLOAT, ConvReluArgs.of(K3, PaddedInput.THRESHOLDED))).isEqualTo(Implementation.ND4J);
            assertThat(Backends.batchNorm(DataType.FLOAT, 4).implementation()).isEqualTo(Implementation.ND4J);
            assertThat(Backends.describe()).contains("forced in code: nd4j");
        }
        try (Backends.Forcing f = Backends.force(Implementation.PATCHES)) {
            assertThat(Backends.batchNorm(DataType.FLOAT, 4).implementation()).as("batch norm has no patches").isEqualTo(Implementation.DIRECT);
            assertThat(Backends.conv(DataType.FLOAT, K3).implementation()).isEqualTo(Implementation.PATCHES);
        }
        assertThat(convRelu(DataType.FLOAT, ConvReluArgs.of(K3, PaddedInput.THRESHOLDED))).isEqualTo(Implementation.DIRECT);
    }

    @Test
    void aForcedImplementationThatCannotRunTheCallFailsWithTheReason() {
        try (Backends.Forcing f = Backends.force(Implementation.DIRECT)) {
            assertThatThrownBy(() -> Backends.convRelu(DataType.DOUBLE, ConvReluArgs.of(K3, PaddedInput.THRESHOLDED)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("convrelu").hasMessageContaining("Backends.force(direct)").hasMessageContaining("float32");
        }
        System.setProperty(Backends.PROPERTY + ".convrelu", "nd4j");
        assertThatThrownBy(() -> Backends.convRelu(DataType.FLOAT, ConvReluArgs.of(K3_3D, PaddedInput.THRESHOLDED)))
                .hasMessageContaining("-Dconvrelu.backend.convrelu=nd4j").hasMessageContaining("3D");
    }

    @Test
    void propertiesForceOneOpKindOrEveryOneThatHasTheImplementation() {
        System.setProperty(Backends.PROPERTY, "patches");
        assertThat(convRelu(DataType.FLOAT, ConvReluArgs.of(K3, PaddedInput.THRESHOLDED))).isEqualTo(Implementation.PATCHES);
        assertThat(Backends.batchNorm(DataType.FLOAT, 4).implementation()).isEqualTo(Implementation.DIRECT);
        System.setProperty(Backends.PROPERTY + ".batchnorm", "reference");
        assertThat(Backends.batchNorm(DataType.FLOAT, 4).implementation()).isEqualTo(Implementation.REFERENCE);
        assertThat(Backends.describe()).contains("-Dconvrelu.backend=patches").contains("-Dconvrelu.backend.batchnorm=reference");
        try (Backends.Forcing f = Backends.force(Implementation.ND4J)) {
            assertThat(Backends.batchNorm(DataType.FLOAT, 4).implementation()).as("code beats properties").isEqualTo(Implementation.ND4J);
        }
    }

    @Test
    void badPropertyValuesNameTheChoices() {
        System.setProperty(Backends.PROPERTY, "cuda");
        assertThatThrownBy(() -> Backends.conv(DataType.FLOAT, K3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-Dconvrelu.backend=cuda").hasMessageContaining("reference, patches, direct, nd4j");
        System.clearProperty(Backends.PROPERTY);
        System.setProperty(Backends.PROPERTY + ".batchnorm", "patches");
        assertThatThrownBy(() -> Backends.batchNorm(DataType.FLOAT, 4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("batchnorm has the implementations reference, direct, nd4j");
    }

    @Test
    void countsWhichImplementationRanEachOpKind() {
        Map<String, Map<String, Long>> before = Backends.usage();
        Backends.convRelu(DataType.FLOAT, ConvReluArgs.of(K3, PaddedInput.THRESHOLDED));
        Backends.convRelu(DataType.DOUBLE, ConvReluArgs.of(K3, PaddedInput.THRESHOLDED));
        Backends.conv(DataType.FLOAT, K3);
        assertThat(Backends.usedSince(before)).containsOnly(Map.entry("convrelu", List.of("direct", "patches")),
                Map.entry("conv", List.of("nd4j")));
        assertThat(Backends.usedSince(Backends.usage())).isEmpty();
    }

    /** The layers' ops (activation, pool, channels, linear, SGD) are chosen, forced and counted in the same place. */
    @Test
    void theLayersOpsChooseTheFusedKernelWhereItCoversTheCallAndNd4jElsewhere() {
        INDArray x32 = RandomStream.root(1).normal(Precision.FLOAT32, 0, 1, 2, 4, 6, 6);
        INDArray x64 = RandomStream.root(1).normal(Precision.FLOAT64, 0, 1, 2, 4, 6, 6);
        INDArray w32 = RandomStream.root(2).normal(Precision.FLOAT32, 0, 1, 3, 4);
        INDArray v32 = RandomStream.root(3).normal(Precision.FLOAT32, 0, 1, 3, 4);
        Map<String, Map<String, Long>> before = Backends.usage();
        assertThat(Backends.activation(x32)).isEqualTo(Implementation.DIRECT);
        assertThat(Backends.activation(x64)).as("float64 is not the fused kernel's").isEqualTo(Implementation.ND4J);
        assertThat(Backends.pool(x32, ConvGeometry.of(2, 2, 2, 0), true)).isEqualTo(Implementation.DIRECT);
        assertThat(Backends.pool(x32, ConvGeometry.of(2, 3, 2, 0), true)).as("a 3×3 window").isEqualTo(Implementation.ND4J);
        assertThat(Backends.globalPool(x32)).isEqualTo(Implementation.DIRECT);
        assertThat(Backends.channels(x32, x32)).isEqualTo(Implementation.DIRECT);
        assertThat(Backends.linear(x32.reshape(2, 144), RandomStream.root(4).normal(Precision.FLOAT32, 0, 1, 5, 144)))
                .isEqualTo(Implementation.DIRECT);
        assertThat(Backends.sgd(w32, v32, v32.dup())).isEqualTo(Implementation.DIRECT);
        assertThat(Backends.usedSince(before)).containsOnly(Map.entry("activation", List.of("direct", "nd4j")),
                Map.entry("pool", List.of("direct", "nd4j")), Map.entry("channels", List.of("direct")),
                Map.entry("linear", List.of("direct")), Map.entry("sgd", List.of("direct")));

        System.setProperty(Backends.PROPERTY + ".activation", "nd4j");
        assertThat(Backends.activation(x32)).as("forced for one op kind").isEqualTo(Implementation.ND4J);
        assertThat(Backends.pool(x32, ConvGeometry.of(2, 2, 2, 0), true)).as("the others choose as before").isEqualTo(Implementation.DIRECT);
        System.setProperty(Backends.PROPERTY + ".activation", "direct");
        assertThatThrownBy(() -> Backends.activation(x64)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-Dconvrelu.backend.activation=direct").hasMessageContaining("DOUBLE");
        System.setProperty(Backends.PROPERTY + ".activation", "patches");
        assertThatThrownBy(() -> Backends.activation(x32)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("activation has the implementations direct, nd4j");
    }

    /** {@code -Dconvrelu.backend.direct=off} takes the fused kernels out of every automatic choice, the layers' ops and the convolutions alike. */
    @Test
    void theFusedKernelsSwitchOffForEveryOpKind() {
        INDArray x32 = RandomStream.root(1).normal(Precision.FLOAT32, 0, 1, 2, 4, 6, 6);
        System.setProperty(CpuKernels.OFF_PROPERTY, "off");
        assertThat(Backends.activation(x32)).isEqualTo(Implementation.ND4J);
        assertThat(Backends.channels(x32, x32)).isEqualTo(Implementation.ND4J);
        assertThat(convRelu(DataType.FLOAT, ConvReluArgs.of(K3, PaddedInput.THRESHOLDED))).isEqualTo(Implementation.PATCHES);
        assertThat(Backends.describe()).contains("fused CPU kernels off (-Dconvrelu.backend.direct=off)");
        System.setProperty(Backends.PROPERTY + ".activation", "direct");
        assertThatThrownBy(() -> Backends.activation(x32)).hasMessageContaining("the fused CPU kernels are off");
        System.setProperty(CpuKernels.OFF_PROPERTY, "maybe");
        assertThatThrownBy(() -> Backends.activation(x32)).hasMessageContaining("expected on or off");
    }
}
