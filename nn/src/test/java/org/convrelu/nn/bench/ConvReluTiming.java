package org.convrelu.nn.bench;

import java.util.Arrays;
import org.convrelu.nn.Layer;
import org.convrelu.nn.Mode;
import org.convrelu.nn.Param;
import org.convrelu.nn.layers.Conv;
import org.convrelu.nn.layers.ConvReLU;
import org.convrelu.nn.layers.ConvSpec;
import org.convrelu.nn.layers.ReLU;
import org.convrelu.nn.layers.ReluConv;
import org.convrelu.tensor.Precision;
import org.convrelu.tensor.RandomStream;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Forward and backward time of ConvReLU2d next to the plain (oneDNN) Conv2d of the same shape,
 * float32, medians over repeats in one process. Arguments: {@code N C H W D k pad [repeats [relu]]};
 * default {@code 64 84 32 32 12 3 1 10}; {@code relu} times ReLU → conv (ConvReLU with θ held at 0) instead.
 *
 * <pre>mvn -q -pl nn test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=org.convrelu.nn.bench.ConvReluTiming</pre>
 */
public final class ConvReluTiming {
    public static void main(String[] args) {
        boolean reluConv = args.length > 8 && args[8].equals("relu");
        int[] a = args.length >= 7 ? Arrays.stream(args).limit(8).mapToInt(Integer::parseInt).toArray() : new int[] {64, 84, 32, 32, 12, 3, 1, 10};
        int n = a[0], c = a[1], h = a[2], w = a[3], d = a[4], k = a[5], pad = a[6];
        int repeats = a.length > 7 ? a[7] : 10;
        RandomStream rng = RandomStream.root(1);
        ConvSpec spec = ConvSpec.conv2d(c, d, k, 1, pad);
        INDArray x = rng.normal(Precision.FLOAT32, 0, 1, n, c, h, w);
        Layer conv = new Conv("conv", spec, Precision.FLOAT32, rng.child("conv"));
        Layer convRelu = reluConv ? new ReluConv(new ReLU("relu"), new Conv("conv", spec, Precision.FLOAT32, rng.child("convrelu")))
                : new ConvReLU("convrelu", spec, Precision.FLOAT32, rng.child("convrelu"));
        System.out.printf("shape N=%d C=%d %dx%d D=%d k=%d pad=%d, float32, %d repeats (medians)%n", n, c, h, w, d, k, pad, repeats);
        double[] base = time(conv, x, repeats);
        double[] ours = time(convRelu, x, repeats);
        System.out.printf("Conv2d (ND4J oneDNN)  forward %8.1f ms  backward %8.1f ms  total %8.1f ms%n", base[0], base[1], base[0] + base[1]);
        System.out.printf("%-21s forward %8.1f ms  backward %8.1f ms  total %8.1f ms%n", reluConv ? "ReLU → Conv2d" : "ConvReLU2d",
                ours[0], ours[1], ours[0] + ours[1]);
        System.out.printf("ratio %s / Conv  forward %.2f  backward %.2f  total %.2f%n", reluConv ? "ReLU→Conv" : "ConvReLU", ours[0] / base[0], ours[1] / base[1],
                (ours[0] + ours[1]) / (base[0] + base[1]));
    }

    /** Median forward and backward milliseconds after 3 warm-up rounds. */
    private static double[] time(Layer layer, INDArray x, int repeats) {
        INDArray dy = null;
        double[] fwd = new double[repeats];
        double[] bwd = new double[repeats];
        for (int r = -3; r < repeats; r++) {
            layer.params().forEach(Param::zeroGrad);
            long t0 = System.nanoTime();
            INDArray y = layer.forward(x, Mode.TRAIN);
            long t1 = System.nanoTime();
            if (dy == null) {
                dy = RandomStream.root(2).normal(Precision.FLOAT32, 0, 1, y.shape());
            }
            layer.backward(dy);
            long t2 = System.nanoTime();
            if (r >= 0) {
                fwd[r] = (t1 - t0) / 1e6;
                bwd[r] = (t2 - t1) / 1e6;
            }
        }
        return new double[] {median(fwd), median(bwd)};
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
