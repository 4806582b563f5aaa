package org.convrelu.nn.layers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Supplier;
import java.util.stream.Stream;
import org.convrelu.nn.Layer;
import org.convrelu.nn.Mode;
import org.convrelu.nn.Param;
import org.convrelu.nn.ParamRole;
import org.convrelu.nn.check.GradientChecker;
import org.convrelu.nn.init.Init;
import org.convrelu.nn.optim.Sgd;
import org.convrelu.tensor.ConvGeometry;
import org.convrelu.tensor.PaddedInput;
import org.convrelu.tensor.Precision;
import org.convrelu.tensor.RandomStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Every layer, alone, passes the float64 gradient check at initialisation and after a few SGD steps. */
class LayerGradientTest {
    private static final Precision F64 = Precision.FLOAT64;

    record Case(String label, Supplier<Layer> layer, long[] inputShape, Mode mode) {
        @Override
        public String toString() {
            return label + " " + java.util.Arrays.toString(inputShape) + " " + mode;
        }
    }

    private static RandomStream rng(String name) {
        return RandomStream.root(42).child(name);
    }

    /** Non-zero thresholds, so that no padded entry sits on the kink of max(0, θ) at θ = 0. */
    private static final Init RANDOM_THETA = Init.normal(0.3);

    static Stream<Case> cases() {
        Stream.Builder<Case> b = Stream.builder();
        // Convolutions, 1D/2D/3D, stride, padding, dilation, bias.
        b.add(new Case("conv1d k3", () -> new Conv("c", ConvSpec.conv1d(3, 4, 3, 1, 0), F64, rng("c")), new long[] {2, 3, 10}, Mode.TRAIN));
        b.add(new Case("conv1d k7 s2 p3 bias", () -> new Conv("c", ConvSpec.conv1d(2, 3, 7, 2, 3).withBias(), F64, rng("c")), new long[] {2, 2, 15}, Mode.TRAIN));
        b.add(new Case("conv2d k3 p1", () -> new Conv("c", ConvSpec.conv2d(3, 4, 3, 1, 1), F64, rng("c")), new long[] {2, 3, 6, 5}, Mode.TRAIN));
        b.add(new Case("conv2d k1", () -> new Conv("c", ConvSpec.conv2d(5, 3, 1, 1, 0), F64, rng("c")), new long[] {2, 5, 4, 4}, Mode.TRAIN));
        b.add(new Case("conv2d k3 s2 p1 d2 bias", () -> new Conv("c", ConvSpec.conv2d(2, 3, 3, 2, 1).withDilation(2).withBias(), F64, rng("c")), new long[] {2, 2, 7, 7}, Mode.TRAIN));
        b.add(new Case("conv3d k3 p1", () -> new Conv("c", ConvSpec.conv3d(2, 3, 3, 1, 1), F64, rng("c")), new long[] {2, 2, 4, 4, 3}, Mode.TRAIN));
        b.add(new Case("conv3d k2 s2 bias", () -> new Conv("c", ConvSpec.conv3d(2, 2, 2, 2, 0).withBias(), F64, rng("c")), new long[] {1, 2, 4, 4, 4}, Mode.TRAIN));
        // ConvReLU in every dimensionality and padding reading.
        for (PaddedInput padded : PaddedInput.values()) {
            b.add(new Case("convrelu1d k3 p1 " + padded, () -> convRelu(ConvSpec.conv1d(3, 4, 3, 1, 1), padded, RANDOM_THETA), new long[] {2, 3, 9}, Mode.TRAIN));
            b.add(new Case("convrelu1d k7 s2 p3 " + padded, () -> convRelu(ConvSpec.conv1d(2, 3, 7, 2, 3), padded, RANDOM_THETA), new long[] {2, 2, 15}, Mode.TRAIN));
            b.add(new Case("convrelu2d k3 p1 " + padded, () -> convRelu(ConvSpec.conv2d(3, 4, 3, 1, 1), padded, RANDOM_THETA), new long[] {2, 3, 6, 5}, Mode.TRAIN));
            b.add(new Case("convrelu2d k3 s2 p1 d2 bias " + padded, () -> convRelu(ConvSpec.conv2d(2, 3, 3, 2, 1).withDilation(2).withBias(), padded, RANDOM_THETA), new long[] {2, 2, 7, 7}, Mode.TRAIN));
            b.add(new Case("convrelu3d k3 p1 " + padded, () -> convRelu(ConvSpec.conv3d(2, 3, 3, 1, 1), padded, RANDOM_THETA), new long[] {1, 2, 4, 3, 4}, Mode.TRAIN));
        }
        b.add(new Case("convrelu2d k1", () -> convRelu(ConvSpec.conv2d(5, 3, 1, 1, 0), PaddedInput.THRESHOLDED, RANDOM_THETA), new long[] {2, 5, 4, 4}, Mode.TRAIN));
        b.add(new Case("convrelu1d k3 zero-init θ", () -> convRelu(ConvSpec.conv1d(3, 4, 3, 1, 0), PaddedInput.THRESHOLDED, Init.zero()), new long[] {2, 3, 9}, Mode.TRAIN));
        b.add(new Case("convrelu2d k3 p1 zero-init θ, zero padding", () -> convRelu(ConvSpec.conv2d(3, 4, 3, 1, 1), PaddedInput.ZERO, Init.zero()), new long[] {2, 3, 5, 5}, Mode.TRAIN));
        b.add(new Case("convrelu2d k3 glorot θ", () -> convRelu(ConvSpec.conv2d(3, 2, 3, 1, 1), PaddedInput.THRESHOLDED, Init.glorotUniformChannels()), new long[] {2, 3, 5, 5}, Mode.TRAIN));
        // Activations.
        for (AdaReLU.Sharing s : AdaReLU.Sharing.values()) {
            b.add(new Case("adarelu " + s, () -> new AdaReLU("a", s, new long[] {3, 4, 4}, RANDOM_THETA, F64, rng("a")), new long[] {2, 3, 4, 4}, Mode.TRAIN));
        }
        b.add(new Case("adarelu CHANNEL on [N, C]", () -> new AdaReLU("a", AdaReLU.Sharing.CHANNEL, new long[] {6}, RANDOM_THETA, F64, rng("a")), new long[] {4, 6}, Mode.TRAIN));
        b.add(new Case("relu", () -> new ReLU("r"), new long[] {2, 3, 4, 4}, Mode.TRAIN));
        b.add(new Case("depthwise conv2d k3 p1", () -> new DepthwiseConv("dw", 3, ConvGeometry.of(2, 3, 1, 1), F64, rng("dw")), new long[] {2, 3, 5, 4}, Mode.TRAIN));
        b.add(new Case("depthwise conv1d k3 s2", () -> new DepthwiseConv("dw", 2, ConvGeometry.of(1, 3, 2, 0), F64, rng("dw")), new long[] {2, 2, 9}, Mode.TRAIN));
        b.add(new Case("frelu 2d", () -> new FReLU("f", 3, 2, F64, rng("f")), new long[] {3, 3, 4, 4}, Mode.TRAIN));
        b.add(new Case("frelu 1d", () -> new FReLU("f", 2, 1, F64, rng("f")), new long[] {3, 2, 7}, Mode.TRAIN));
        b.add(new Case("leakyrelu 0.01", () -> new LeakyReLU("l", 0.01), new long[] {2, 3, 4, 4}, Mode.TRAIN));
        b.add(new Case("leakyrelu 0.2", () -> new LeakyReLU("l", 0.2), new long[] {2, 3, 7}, Mode.TRAIN));
        b.add(new Case("prelu LAYER", () -> new PReLU("p", PReLU.Sharing.LAYER, 3, F64), new long[] {2, 3, 4, 4}, Mode.TRAIN));
        b.add(new Case("prelu CHANNEL", () -> new PReLU("p", PReLU.Sharing.CHANNEL, 3, F64), new long[] {2, 3, 4, 4}, Mode.TRAIN));
        b.add(new Case("prelu CHANNEL 1d", () -> new PReLU("p", PReLU.Sharing.CHANNEL, 3, F64), new long[] {2, 3, 8}, Mode.TRAIN));
        // Normalisation, linear, pooling, reshaping, dropout.
        for (Mode mode : Mode.values()) {
            b.add(new Case("batchnorm2d", () -> new BatchNorm("bn", 3, F64), new long[] {4, 3, 3, 3}, mode));
            b.add(new Case("batchnorm1d [N, C, L]", () -> new BatchNorm("bn", 3, F64), new long[] {4, 3, 5}, mode));
            b.add(new Case("batchnorm1d [N, C]", () -> new BatchNorm("bn", 5, F64), new long[] {6, 5}, mode));
            b.add(new Case("dropout 0.5", () -> new Dropout("d", 0.5, fixedMask()), new long[] {3, 4, 5}, mode));
        }
        b.add(new Case("linear", () -> new Linear("fc", 6, 4, true, Init.he(), F64, rng("fc")), new long[] {3, 6}, Mode.TRAIN));
        b.add(new Case("linear no bias", () -> new Linear("fc", 6, 4, false, Init.normal(0.05), F64, rng("fc")), new long[] {3, 6}, Mode.TRAIN));
        b.add(new Case("maxpool1d k3", () -> Pool.max1d("p", 3, 3), new long[] {2, 3, 12}, Mode.TRAIN));
        b.add(new Case("maxpool2d k3 s2 p1", () -> Pool.max2d("p", 3, 2, 1), new long[] {2, 3, 7, 7}, Mode.TRAIN));
        b.add(new Case("avgpool2d k2", () -> Pool.avg2d("p", 2, 2), new long[] {2, 3, 6, 6}, Mode.TRAIN));
        b.add(new Case("avgpool1d k2", () -> new Pool("p", Pool.Kind.AVG, ConvGeometry.of(1, 2, 2, 0)), new long[] {2, 3, 8}, Mode.TRAIN));
        b.add(new Case("global avg pool", () -> new GlobalAvgPool("g"), new long[] {2, 3, 4, 5}, Mode.TRAIN));
        b.add(new Case("flatten", () -> new Flatten("f"), new long[] {2, 3, 4, 5}, Mode.TRAIN));
        // Containers.
        b.add(new Case("dense concat", () -> new DenseConcat("dense", new Sequential("dense.branch", java.util.List.of(
                new BatchNorm("dense.bn", 3, F64), new ReLU("dense.relu"), new Conv("dense.conv", ConvSpec.conv2d(3, 2, 3, 1, 1), F64, rng("d"))))),
                new long[] {3, 3, 4, 4}, Mode.TRAIN));
        b.add(new Case("residual, identity shortcut", () -> new Residual("res", new Sequential("res.branch", java.util.List.of(
                new Conv("res.conv", ConvSpec.conv2d(3, 3, 3, 1, 1), F64, rng("r")), new BatchNorm("res.bn", 3, F64))), null),
                new long[] {3, 3, 4, 4}, Mode.TRAIN));
        b.add(new Case("residual, projection shortcut", () -> new Residual("res",
                new Conv("res.conv", ConvSpec.conv2d(3, 4, 3, 2, 1), F64, rng("r")),
                new Conv("res.proj", ConvSpec.conv2d(3, 4, 1, 2, 0), F64, rng("p"))),
                new long[] {2, 3, 6, 6}, Mode.TRAIN));
        return b.build();
    }

    private static ConvReLU convRelu(ConvSpec spec, PaddedInput padded, Init thresholdInit) {
        return new ConvReLU("cr", spec, Init.he(), thresholdInit, padded, F64, rng("cr"));
    }

    /** Dropout with one fixed mask, so that repeated forwards of the check see the same function. */
    private static Dropout.MaskSource fixedMask() {
        INDArray[] mask = new INDArray[1];
        return (shape, type, keep) -> {
            if (mask[0] == null) {
                mask[0] = Dropout.MaskSource.seeded(rng("mask")).next(shape, type, keep);
            }
            return mask[0].dup();
        };
    }

    private static INDArray input(long[] shape) {
        return rng("x").normal(F64, 0, 1, shape);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void passesAtInitialisation(Case c) {
        GradientChecker.Result r = GradientChecker.check(c.layer().get(), input(c.inputShape()), c.mode());
        assertThat(r.passed()).as(r.toString()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void passesAfterAFewSgdSteps(Case c) {
        Layer layer = c.layer().get();
        INDArray x = input(c.inputShape());
        GradientChecker.Objective objective = GradientChecker.Objective.randomProjection(3);
        Sgd sgd = new Sgd(layer.params(), new Sgd.Config(0.9, false, java.util.Map.of(ParamRole.WEIGHT, 1e-3, ParamRole.THRESHOLD, 1e-3)));
        INDArray before = layer.params().isEmpty() ? null : layer.params().get(0).value().dup();
        for (int step = 0; step < 3; step++) {
            sgd.zeroGrad();
            INDArray y = layer.forward(x, Mode.TRAIN);
            layer.backward(objective.gradient(y));
            sgd.step(0.01);
        }
        if (before != null) {
            assertThat(layer.params().get(0).value().equalsWithEps(before, 1e-12)).as("parameters moved").isFalse();
        }
        GradientChecker.Result r = GradientChecker.check(layer, x, c.mode());
        assertThat(r.passed()).as(r.toString()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void backwardBeforeForwardFailsClearly(Case c) {
        Layer layer = c.layer().get();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> layer.backward(Nd4j.zeros(DataType.DOUBLE, c.inputShape())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(layer.name())
                .hasMessageContaining("backward called before forward");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void parameterNamesAreUniqueAndPrefixedByTheLayer(Case c) {
        Layer layer = c.layer().get();
        assertThat(layer.params().stream().map(Param::name)).doesNotHaveDuplicates();
        for (Param p : layer.params()) {
            assertThat(p.name()).startsWith(layer.name().split("\\.")[0]);
        }
    }
}
