package org.convrelu.datasets.image;

import org.convrelu.tensor.RandomStream;

/**
 * The standard CIFAR augmentation (Huang et al. 2017; He et al. 2016): zero-pad by {@code padding},
 * take a random crop of the original size, flip horizontally with probability ½; then normalise
 * each channel with the training split's statistics. With {@code padding = 0} and no flip it is
 * plain normalisation (evaluation).
 */
public record Augmentation(int padding, boolean flip, ChannelStats stats) {

    /** Evaluation: normalisation only. */
    public static Augmentation none(ChannelStats stats) {
        return new Augmentation(0, false, stats);
    }

    /** Training on 32×32 images: 4-pixel padding, random crop, flip. */
    public static Augmentation standard(ChannelStats stats) {
        return new Augmentation(4, true, stats);
    }

    /**
     * Writes image {@code i} of {@code set}, augmented with draws from {@code rng}, as floats
     * {@code [C, H, W]} into {@code dst} at {@code offset}.
     */
    public void write(ImageSet set, int i, float[] dst, int offset, RandomStream rng) {
        int c = set.channels();
        int h = set.height();
        int w = set.width();
        int dy = padding == 0 ? 0 : rng.nextInt(2 * padding + 1) - padding;
        int dx = padding == 0 ? 0 : rng.nextInt(2 * padding + 1) - padding;
        boolean mirror = flip && rng.nextDouble() < 0.5;
        byte[] px = set.pixels();
        int src = i * set.imageSize();
        for (int ch = 0; ch < c; ch++) {
            float scale = (float) (1.0 / (255.0 * stats.std()[ch]));
            float shift = (float) (-stats.mean()[ch] / stats.std()[ch]);
            float zero = shift; // a padded zero pixel, normalised
            for (int y = 0; y < h; y++) {
                int sy = y + dy;
                for (int x = 0; x < w; x++) {
                    int sx = (mirror ? w - 1 - x : x) + dx;
                    float v = sy < 0 || sy >= h || sx < 0 || sx >= w ? zero
                            : (px[src + (ch * h + sy) * w + sx] & 0xFF) * scale + shift;
                    dst[offset + (ch * h + y) * w + x] = v;
                }
            }
        }
    }
}
