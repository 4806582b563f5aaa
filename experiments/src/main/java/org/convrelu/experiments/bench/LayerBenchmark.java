package org.convrelu.experiments.bench;

import java.util.concurrent.TimeUnit;
import org.convrelu.nn.Layer;
import org.convrelu.nn.layers.Conv;
import org.convrelu.nn.layers.ConvReLU;
import org.convrelu.tensor.Precision;
import org.convrelu.tensor.RandomStream;
import org.convrelu.tensor.memory.StepWorkspace;
import org.convrelu.tensor.ops.Backends;
import org.convrelu.tensor.ops.Implementation;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * JMH micro-benchmark: one forward+backward of a layer at a {@link LayerShape}, float32 —
 * ConvReLU on the implementation chosen automatically ({@code layer = convrelu}), ConvReLU on the
 * ND4J-op implementation, the one that stays on a GPU ({@code layer = convrelu-nd4j}), or ND4J's
 * native convolution of the same shape ({@code layer = conv}, oneDNN on the CPU). Each call runs
 * in a step workspace, as in training ({@code StepWorkspace}); without it, every call's fresh
 * off-heap arrays cost page faults, and one fork's samples of the same layer spread over 2-3×.
 * Run by {@code suite bench}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class LayerBenchmark {
    @Param({"densenet-3x3"})
    public String shape;

    @Param({"convrelu", "convrelu-nd4j", "conv"})
    public String layer;

    private Layer subject;
    private Backends.Forcing forcing = () -> { };
    private INDArray x;
    private INDArray dy;

    private static final String WORKSPACE = "convrelu-layer-bench";

    @Setup(Level.Trial)
    public void setUp() {
        LayerShape s = LayerShape.byId(shape);
        RandomStream rng = RandomStream.root(1);
        x = rng.normal(Precision.FLOAT32, 0, 1, s.input());
        subject = switch (layer) {
            case "convrelu" -> new ConvReLU("convrelu", s.spec(), Precision.FLOAT32, rng.child("layer"));
            case "convrelu-nd4j" -> {
                forcing = Backends.force(Implementation.ND4J);
                yield new ConvReLU("convrelu", s.spec(), Precision.FLOAT32, rng.child("layer"));
            }
            case "conv" -> new Conv("conv", s.spec(), Precision.FLOAT32, rng.child("layer"));
            default -> throw new IllegalArgumentException("layer must be convrelu, convrelu-nd4j or conv, got " + layer);
        };
        dy = rng.child("dy").normal(Precision.FLOAT32, 0, 1, subject.forward(x, org.convrelu.nn.Mode.TRAIN).shape());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        forcing.close();
    }

    /** One forward+backward in a step workspace, as the trainer runs a layer: steady state, no fresh off-heap arrays per call. */
    @Benchmark
    public void forwardBackward(Blackhole sink) {
        try (MemoryWorkspace ws = StepWorkspace.open(WORKSPACE)) {
            for (org.convrelu.nn.Param p : subject.params()) {
                p.zeroGrad();
            }
            subject.forward(x, org.convrelu.nn.Mode.TRAIN);
            sink.consume(subject.backward(dy));
        }
    }
}
