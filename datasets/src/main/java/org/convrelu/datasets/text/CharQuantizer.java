package org.convrelu.datasets.text;

/**
 * Character quantisation of Zhang, Zhao and LeCun (2015): lower-case, then one-hot columns over
 * an {@link Alphabet} in a frame of {@code length} positions, characters read in reverse order so
 * the latest characters sit near the start. Characters outside the alphabet are all-zero columns;
 * a text longer than the frame keeps its last {@code length} characters (as Zhang et al.'s code
 * does), a shorter one is zero-padded at the end of the frame.
 */
public record CharQuantizer(Alphabet alphabet, int length) {

    public CharQuantizer {
        if (length < 1) {
            throw new IllegalArgumentException("frame length must be ≥ 1, got " + length);
        }
    }

    /** Zhang et al.'s frame of 1,014 characters with the paper's alphabet. */
    public static CharQuantizer zhang() {
        return new CharQuantizer(Alphabet.PAPER, 1014);
    }

    /** Writes the {@code [alphabet, length]} one-hot frame of {@code text} into {@code dst} at {@code offset}. */
    public void encode(String text, float[] dst, int offset) {
        int rows = alphabet.size();
        java.util.Arrays.fill(dst, offset, offset + rows * length, 0f);
        int n = text.length();
        for (int i = n - 1, pos = 0; i >= 0 && pos < length; i--, pos++) {
            int row = alphabet.indexOf(Character.toLowerCase(text.charAt(i)));
            if (row >= 0) {
                dst[offset + row * length + pos] = 1f;
            }
        }
    }
}
