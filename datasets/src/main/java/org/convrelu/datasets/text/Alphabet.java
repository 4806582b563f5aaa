package org.convrelu.datasets.text;

/**
 * The character alphabet of a one-hot quantisation: row {@code r} of the encoding is set for
 * characters mapped to {@code r}. As in Zhang et al.'s code, a character listed twice maps to its
 * last row, leaving the earlier row never set.
 */
public record Alphabet(String name, String characters) {

    private static final String ZHANG_CHARACTERS =
            "abcdefghijklmnopqrstuvwxyz0123456789-,;.!?:'\"/\\|_@#$%^&*~`+-=<>()[]{}";

    /**
     * The paper's 70 entries (Zhang, Zhao, LeCun 2015, §2.2): 26 letters, 10 digits, 33 other
     * characters ('-' among them twice) and the newline.
     */
    public static final Alphabet PAPER = new Alphabet("zhang2015-paper-70", ZHANG_CHARACTERS + "\n");

    /** The string of Zhang et al.'s released code: the paper's list without the newline, 69 entries (68 distinct). */
    public static final Alphabet ORIGINAL_CODE = new Alphabet("zhang2015-code-69", ZHANG_CHARACTERS);

    /** Rows of the one-hot encoding. */
    public int size() {
        return characters.length();
    }

    /** The row of {@code c} (its last occurrence), or -1 for characters outside the alphabet. */
    public int indexOf(char c) {
        return characters.lastIndexOf(c);
    }

    @Override
    public String toString() {
        return name + " (" + size() + " entries)";
    }
}
