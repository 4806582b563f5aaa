package org.convrelu.tensor.ops;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.convrelu.tensor.ConvGeometry;
import org.convrelu.tensor.PaddedInput;
import org.convrelu.tensor.Precision;
import org.convrelu.tensor.RandomStream;
import org.convrelu.tensor.ops.reference.Reference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.convrelu.tensor.ops.Close.assertClose;

/**
 * Every ConvReLU implementation against the float64 reference on the same cases: 1D/2D/3D,
 * stride, dilation, padding under both readings, ties at θ, float32 and float64, the forward
 * pass and every gradient. A case an implementation does not cover must say why, and the cases
 * each one covers are pinned below.
 */
class ConvReluParityTest {
    /** An input shape, output channels and a window. */
    record Case(String name, long[] x, int d, ConvGeometry g) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final List<Case> CASES = List.of(
            new Case("1D k3", new long[] {2, 3, 9}, 4, ConvGeometry.of(1, 3, 1, 0)),
            new Case("1D k5 s2 p2", new long[] {2, 3, 11}, 5, ConvGeometry.of(1, 5, 2, 2)),
            new Case("1D k3 p2 dil2", new long[] {2, 2, 10}, 3, ConvGeometry.of(1, 3, 1, 2, 2)),
            new Case("1D k1", new long[] {2, 4, 7}, 3, ConvGeometry.of(1, 1, 1, 0)),
            new Case("2D k3 p1", new long[] {2, 3, 6, 7}, 4, ConvGeometry.of(2, 3, 1, 1)),
            new Case("2D k3 s2 p1", new long[] {2, 3, 7, 8}, 5, ConvGeometry.of(2, 3, 2, 1)),
            new Case("2D k3 p2 dil2", new long[] {1, 2, 7, 7}, 3, ConvGeometry.of(2, 3, 1, 2, 2)),
            new Case("2D k2x3 p(1,0)", new long[] {2, 2, 5, 6}, 2,
                    new ConvGeometry(new int[] {2, 3}, new int[] {1, 1}, new int[] {1, 0}, new int[] {1, 1})),
            new Case("2D k1", new long[] {2, 5, 4, 5}, 3, ConvGeometry.of(2, 1, 1, 0)),
            new Case("2D k1 s2", new long[] {2, 4, 5, 5}, 3, ConvGeometry.of(2, 1, 2, 0)),
            new Case("2D k5 p2", new long[] {1, 3, 8, 8}, 12, ConvGeometry.of(2, 5, 1, 2)),
            new Case("3D k3 p1", new long[] {1, 2, 4, 4, 5}, 3, ConvGeometry.of(3, 3, 1, 1)),
            new Case("3D k2 s2", new long[] {2, 2, 5, 4, 4}, 2, ConvGeometry.of(3, 2, 2, 0)));

    static Stream<Arguments> calls() {
        List<Arguments> out = new ArrayList<>();
        for (Implementation impl : Backends.implementationsOf(OpKind.CONV_RELU)) {
            for (Case c : CASES) {
                for (PaddedInput padded : PaddedInput.values()) {
                    for (Precision p : Precision.values()) {
                        out.add(Arguments.of(impl, c, padded, p));
                    }
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2} {3}")
    @MethodSource("calls")
    void forwardAndEveryGradientMatchTheReference(Implementation impl, Case c, PaddedInput padded, Precision precision) {
        ConvReluOp op = Backends.convRelu(impl);
        ConvReluArgs args = ConvReluArgs.of(c.g, padded);
        if (op.uncovered(precision.dataType(), args).isPresent()) {
            return; // which cases each implementation covers is pinned by coverage()
        }
        RandomStream rng = RandomStream.root(11);
        INDArray x = rng.normal(Precision.FLOAT64, 0, 1, c.x);
        INDArray w = rng.normal(Precision.FLOAT64, 0, 1, c.g.weightShape(c.d, c.x[1]));
        // Thresholds of both signs: padding reaches θ's side (θ ≥ 0) and x's side (θ < 0).
        INDArray theta = rng.normal(Precision.FLOAT64, 0, 0.5, thresholdShape(c));
        INDArray bias = rng.normal(Precision.FLOAT64, 0, 1, c.d);
        check(op, args, precision.dataType(), x, w, theta, bias, rng.child("dy"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void inputsExactlyAtTheirThresholdSendTheGradientToTheThreshold(Implementation impl) {
        ConvReluOp op = Backends.convRelu(impl);
        RandomStream rng = RandomStream.root(3);
        for (Case c : List.of(CASES.get(0), CASES.get(4), CASES.get(8))) {
            INDArray x = Transforms.floor(rng.uniform(Precision.FLOAT64, -2, 3, c.x));
            INDArray theta = Transforms.floor(rng.uniform(Precision.FLOAT64, -2, 3, thresholdShape(c)));
            INDArray w = rng.normal(Precision.FLOAT64, 0, 1, c.g.weightShape(c.d, c.x[1]));
            for (Precision p : Precision.values()) {
                ConvReluArgs args = ConvReluArgs.of(c.g, PaddedInput.THRESHOLDED);
                if (op.uncovered(p.dataType(), args).isEmpty()) {
                    check(op, args, p.dataType(), x, w, theta, null, rng.child("dy"));
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void reluThenConvIsConvReluWithThresholdsHeldAtZero(Implementation impl) {
        ConvReluOp op = Backends.convRelu(impl);
        RandomStream rng = RandomStream.root(5);
        int ran = 0;
        for (Case c : CASES) {
            for (Precision p : Precision.values()) {
                ConvReluArgs args = ConvReluArgs.reluThenConv(c.g);
                if (op.uncovered(p.dataType(), args).isPresent()) {
                    continue;
                }
                INDArray x = rng.normal(Precision.FLOAT64, 0, 1, c.x).castTo(p.dataType());
                INDArray w = rng.normal(Precision.FLOAT64, 0, 1, c.g.weightShape(c.d, c.x[1])).castTo(p.dataType());
                INDArray zeros = org.nd4j.linalg.factory.Nd4j.zeros(p.dataType(), thresholdShape(c));
                ConvReluOp.Forward f = op.forward(x, w, zeros, null, args);
                // conv(max(x, 0)) with zero padding, computed by the reference's plain convolution
                INDArray relu = Transforms.relu(x.castTo(DataType.DOUBLE), true);
                assertClose(f.y(), Reference.conv(relu, w.castTo(DataType.DOUBLE), null, c.g), impl + " " + c + " y");
                INDArray dy = rng.normal(Precision.FLOAT64, 0, 1, f.y().shape());
                ConvReluOp.Grads g = op.backward(f.saved(), dy.castTo(p.dataType()));
                Reference.ConvReluGrads ref = Reference.convReluBackward(x, w, zeros, dy, c.g, PaddedInput.ZERO);
                assertClose(g.dx(), ref.dx(), impl + " " + c + " dx");
                assertClose(g.dW(), ref.dW(), impl + " " + c + " dW");
                assertThat(g.dTheta()).as("no threshold gradient while θ is held at 0").isNull();
                ran++;
            }
        }
        assertThat(ran).as("cases run").isGreaterThanOrEqualTo(8);
    }

    /** Which cases each implementation runs: they cover what they claim, and decline the rest with a reason. */
    @Test
    void coverage() {
        for (Case c : CASES) {
            for (PaddedInput padded : PaddedInput.values()) {
                ConvReluArgs args = ConvReluArgs.of(c.g, padded);
                for (Precision p : Precision.values()) {
                    DataType type = p.dataType();
                    assertThat(Backends.convRelu(Implementation.REFERENCE).uncovered(type, args)).isEmpty();
                    assertThat(Backends.convRelu(Implementation.PATCHES).uncovered(type, args)).isEmpty();
                    assertThat(Backends.convRelu(Implementation.ND4J).uncovered(type, args).isEmpty())
                            .as("nd4j on %s", c).isEqualTo(c.g.dims() <= 2);
                    boolean unitStride = Arrays.stream(c.g.stride()).allMatch(s -> s == 1);
                    boolean unpadded = Arrays.stream(c.g.padding()).allMatch(q -> q == 0);
                    boolean direct = type == DataType.FLOAT && c.g.dims() <= 2 && unitStride
                            && (padded == PaddedInput.THRESHOLDED || unpadded);
                    assertThat(Backends.convRelu(Implementation.DIRECT).uncovered(type, args).isEmpty())
                            .as("direct on %s %s %s", c, padded, p).isEqualTo(direct);
                }
            }
        }
        assertThat(Backends.convRelu(Implementation.ND4J).uncovered(DataType.FLOAT, ConvReluArgs.of(CASES.get(11).g,
                PaddedInput.THRESHOLDED))).hasValueSatisfying(why -> assertThat(why).contains("3D"));
    }

    @Test
    void backwardRejectsAnotherImplementationsState() {
        Case c = CASES.get(4);
        INDArray x = RandomStream.root(1).normal(Precision.FLOAT64, 0, 1, c.x);
        INDArray w = RandomStream.root(2).normal(Precision.FLOAT64, 0, 1, c.g.weightShape(c.d, c.x[1]));
        ConvReluArgs args = ConvReluArgs.of(c.g, PaddedInput.THRESHOLDED);
        ConvReluOp.Forward f = Backends.convRelu(Implementation.PATCHES).forward(x, w,
                org.nd4j.linalg.factory.Nd4j.zeros(DataType.DOUBLE, thresholdShape(c)), null, args);
        assertThatThrownBy(() -> Backends.convRelu(Implementation.REFERENCE).backward(f.saved(), f.y()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reference").hasMessageContaining("State");
    }

    static Stream<Implementation> implementations() {
        return Backends.implementationsOf(OpKind.CONV_RELU).stream();
    }

    private static long[] thresholdShape(Case c) {
        long[] shape = new long[1 + c.g.dims()];
        shape[0] = c.x[1];
        for (int i = 0; i < c.g.dims(); i++) {
            shape[1 + i] = c.g.kernel(i);
        }
        return shape;
    }

    /** Runs {@code op} at {@code type} and compares y, dx, dW, dθ and db with the float64 reference. */
    private static void check(ConvReluOp op, ConvReluArgs args, DataType type, INDArray x, INDArray w, INDArray theta,
            INDArray bias, RandomStream rng) {
        String what = op.implementation().id() + " " + Arrays.toString(x.shape()) + " " + args.geometry() + " " + args.padded();
        ConvReluOp.Forward f = op.forward(x.castTo(type), w.castTo(type), theta.castTo(type), bias == null ? null : bias.castTo(type),
                args);
        INDArray yRef = Reference.convRelu(x, w, theta, args.geometry(), args.padded());
        if (bias != null) {
            long[] laid = new long[yRef.rank()];
            Arrays.fill(laid, 1);
            laid[1] = bias.length();
            yRef = yRef.add(bias.reshape(laid));
        }
        assertThat(f.y().dataType()).isEqualTo(type);
        assertClose(f.y(), yRef, what + " y");
        INDArray dy = rng.normal(Precision.FLOAT64, 0, 1, yRef.shape());
        ConvReluOp.Grads g = op.backward(f.saved(), dy.castTo(type));
        Reference.ConvReluGrads ref = Reference.convReluBackward(x, w, theta, dy, args.geometry(), args.padded());
        assertClose(g.dx(), ref.dx(), what + " dx");
        assertClose(g.dW(), ref.dW(), what + " dW");
        assertClose(g.dTheta(), ref.dTheta(), what + " dθ");
        if (bias == null) {
            assertThat(g.dBias()).as(what + " db without a bias").isNull();
        } else {
            int[] axes = new int[dy.rank() - 1];
            for (int i = 0; i < axes.length; i++) {
                axes[i] = i == 0 ? 0 : i + 1;
            }
            assertClose(g.dBias(), dy.sum(axes), what + " db");
        }
    }
}
