package org.convrelu.tensor;

/** Axis helpers for [N, C, *spatial] tensors. */
public final class Axes {
    private Axes() {}

    /** Every axis except the channel axis 1: {@code [0, 2, 3, ...]}. */
    public static int[] allButChannels(int rank) {
        int[] axes = new int[rank - 1];
        axes[0] = 0;
        for (int i = 1; i < axes.length; i++) {
            axes[i] = i + 1;
        }
        return axes;
    }

    /** {@code [1, C, 1, ...]} of the given rank: a per-channel vector laid out to broadcast. */
    public static long[] channelShape(int rank, long channels) {
        long[] s = new long[rank];
        java.util.Arrays.fill(s, 1);
        s[1] = channels;
        return s;
    }

    /** Every axis {@code 0..rank-1}. */
    public static int[] all(int rank) {
        int[] axes = new int[rank];
        for (int i = 0; i < rank; i++) {
            axes[i] = i;
        }
        return axes;
    }

    /** The spatial axes {@code 2..rank-1}. */
    public static int[] spatial(int rank) {
        int[] axes = new int[rank - 2];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = i + 2;
        }
        return axes;
    }
}
