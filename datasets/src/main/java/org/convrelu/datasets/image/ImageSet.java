package org.convrelu.datasets.image;

import java.util.Arrays;

/**
 * Images held as bytes: {@code pixels [N, C, H, W]} (uint8 in c order), labels in
 * {@code 0..classes-1}.
 */
public record ImageSet(String name, byte[] pixels, int[] labels, int classes, int channels, int height, int width) {

    public ImageSet {
        if ((long) labels.length * channels * height * width != pixels.length) {
            throw new IllegalArgumentException(name + ": " + pixels.length + " pixel bytes do not hold " + labels.length
                    + " images of " + channels + "×" + height + "×" + width);
        }
    }

    public int size() {
        return labels.length;
    }

    /** Bytes per image, {@code C·H·W}. */
    public int imageSize() {
        return channels * height * width;
    }

    /** Images per class. */
    public int[] classCounts() {
        int[] counts = new int[classes];
        for (int l : labels) {
            counts[l]++;
        }
        return counts;
    }

    /** The images at {@code indices}, in that order. */
    public ImageSet subset(String subsetName, int[] indices) {
        int s = imageSize();
        byte[] px = new byte[indices.length * s];
        int[] lb = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(pixels, indices[i] * s, px, i * s, s);
            lb[i] = labels[indices[i]];
        }
        return new ImageSet(subsetName, px, lb, classes, channels, height, width);
    }

    /** This set followed by {@code other} (same image shape and classes). */
    public ImageSet concat(String concatName, ImageSet other) {
        if (other.classes != classes || other.imageSize() != imageSize()) {
            throw new IllegalArgumentException("cannot join " + name + " and " + other.name + ": different shapes or classes");
        }
        byte[] px = Arrays.copyOf(pixels, pixels.length + other.pixels.length);
        System.arraycopy(other.pixels, 0, px, pixels.length, other.pixels.length);
        int[] lb = Arrays.copyOf(labels, labels.length + other.labels.length);
        System.arraycopy(other.labels, 0, lb, labels.length, other.labels.length);
        return new ImageSet(concatName, px, lb, classes, channels, height, width);
    }
}
