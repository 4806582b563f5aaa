package org.convrelu.nn.loss;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Mean softmax cross-entropy over a batch: {@code L = −(1/N) Σ_n log softmax(z_n)[label_n]},
 * computed stably via log-sum-exp. {@link #backward()} gives {@code (softmax(z) − onehot) / N}.
 * Whole-array ND4J ops: on a GPU the logits stay on the device and only the loss comes back.
 */
public final class SoftmaxCrossEntropy {
    private INDArray probabilities; // [N, K]
    private INDArray oneHot; // [N, K]

    /** @param logits {@code [N, K]}; @param labels N class indices in {@code 0..K-1} */
    public double forward(INDArray logits, int[] labels) {
        if (logits.rank() != 2 || logits.size(0) != labels.length) {
            throw new IllegalArgumentException("expected logits [N, K] with N = " + labels.length + " labels, got shape "
                    + Arrays.toString(logits.shape()));
        }
        long k = logits.size(1);
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= k) {
                throw new IllegalArgumentException("label " + labels[i] + " of sample " + i + " is outside 0.." + (k - 1));
            }
        }
        INDArray shifted = logits.subColumnVector(logits.max(1).reshape(logits.size(0), 1));
        INDArray exp = Transforms.exp(shifted, true);
        INDArray sum = exp.sum(1).reshape(logits.size(0), 1);
        probabilities = exp.diviColumnVector(sum);
        INDArray logSum = Transforms.log(sum, true);
        double[] hot = new double[Math.toIntExact(labels.length * k)];
        for (int i = 0; i < labels.length; i++) {
            hot[(int) (i * k + labels[i])] = 1;
        }
        oneHot = Nd4j.create(hot, new long[] {labels.length, k}, 'c').castTo(logits.dataType());
        // Σ_n (log Σ exp − shifted[n, label_n])
        double total = logSum.sumNumber().doubleValue() - shifted.mul(oneHot).sumNumber().doubleValue();
        return total / labels.length;
    }

    /** {@code dL/dz [N, K]} for the last forward. */
    public INDArray backward() {
        if (probabilities == null) {
            throw new IllegalStateException("softmax cross-entropy: backward called before forward");
        }
        return probabilities.sub(oneHot).divi(oneHot.size(0));
    }

    /** Softmax probabilities of the last forward, {@code [N, K]}. */
    public INDArray probabilities() {
        return probabilities;
    }

    /** Index of the largest logit per row. */
    public static int[] argmax(INDArray logits) {
        INDArray idx = Nd4j.argMax(logits, 1);
        int[] out = new int[(int) logits.size(0)];
        for (int i = 0; i < out.length; i++) {
            out[i] = idx.getInt(i);
        }
        return out;
    }
}
