package org.convrelu.tensor.ops;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.convrelu.tensor.Precision;
import org.convrelu.tensor.RandomStream;
import org.convrelu.tensor.ops.reference.Reference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import static org.assertj.core.api.Assertions.assertThat;
import static org.convrelu.tensor.ops.Close.assertClose;

/** Every convolution implementation against the float64 reference, forward and every gradient. */
class ConvParityTest {

    static Stream<Arguments> calls() {
        List<Arguments> out = new ArrayList<>();
        for (Implementation impl : Backends.implementationsOf(OpKind.CONV)) {
            for (ConvReluParityTest.Case c : ConvReluParityTest.CASES) {
                for (Precision p : Precision.values()) {
                    out.add(Arguments.of(impl, c, p));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("calls")
    void matchesTheReference(Implementation impl, ConvReluParityTest.Case c, Precision precision) {
        ConvOp op = Backends.conv(impl);
        DataType type = precision.dataType();
        if (op.uncovered(type, c.g()).isPresent()) {
            return; // pinned by coverage()
        }
        RandomStream rng = RandomStream.root(13);
        INDArray x = rng.normal(Precision.FLOAT64, 0, 1, c.x());
        INDArray w = rng.normal(Precision.FLOAT64, 0, 1, c.g().weightShape(c.d(), c.x()[1]));
        INDArray bias = rng.normal(Precision.FLOAT64, 0, 1, c.d());
        ConvOp.Forward f = op.forward(x.castTo(type), w.castTo(type), bias.castTo(type), c.g());
        INDArray yRef = Reference.conv(x, w, bias, c.g());
        assertClose(f.y(), yRef, impl + " " + c + " y");
        INDArray dy = rng.child("dy").normal(Precision.FLOAT64, 0, 1, yRef.shape());
        ConvOp.Grads g = op.backward(f.saved(), dy.castTo(type));
        Reference.ConvReluGrads ref = Reference.convBackward(x, w, dy, c.g());
        assertClose(g.dx(), ref.dx(), impl + " " + c + " dx");
        assertClose(g.dW(), ref.dW(), impl + " " + c + " dW");
        int[] axes = new int[dy.rank() - 1];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = i == 0 ? 0 : i + 1;
        }
        assertClose(g.dBias(), dy.sum(axes), impl + " " + c + " db");
    }

    @Test
    void coverage() {
        for (ConvReluParityTest.Case c : ConvReluParityTest.CASES) {
            boolean dilated = Arrays.stream(c.g().dilation()).anyMatch(d -> d != 1);
            for (Precision p : Precision.values()) {
                assertThat(Backends.conv(Implementation.PATCHES).uncovered(p.dataType(), c.g())).isEmpty();
                assertThat(Backends.conv(Implementation.REFERENCE).uncovered(p.dataType(), c.g())).isEmpty();
                boolean nd4j = c.g().dims() <= 2 && !(dilated && p == Precision.FLOAT32);
                assertThat(Backends.conv(Implementation.ND4J).uncovered(p.dataType(), c.g()).isEmpty()).as("nd4j %s %s", c, p)
                        .isEqualTo(nd4j);
            }
        }
    }
}
