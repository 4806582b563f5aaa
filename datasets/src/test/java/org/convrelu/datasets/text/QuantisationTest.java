package org.convrelu.datasets.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QuantisationTest {

    /** Row set at each frame position, or -1 for an all-zero column. */
    private static int[] rows(CharQuantizer q, String text) {
        int a = q.alphabet().size();
        int l = q.length();
        float[] frame = new float[a * l];
        q.encode(text, frame, 0);
        int[] rows = new int[l];
        for (int pos = 0; pos < l; pos++) {
            rows[pos] = -1;
            for (int r = 0; r < a; r++) {
                if (frame[r * l + pos] == 1f) {
                    assertThat(rows[pos]).as("one-hot at position %d", pos).isEqualTo(-1);
                    rows[pos] = r;
                }
            }
        }
        return rows;
    }

    @Test
    void alphabetsHaveThePapersAndTheCodesSizes() {
        assertThat(Alphabet.PAPER.size()).isEqualTo(70);
        assertThat(Alphabet.ORIGINAL_CODE.size()).isEqualTo(69);
        assertThat(Alphabet.ORIGINAL_CODE.characters().chars().distinct().count()).isEqualTo(68);
        assertThat(Alphabet.PAPER.indexOf('\n')).isEqualTo(69);
        // '-' is listed twice; like the original code it maps to its last row.
        assertThat(Alphabet.PAPER.indexOf('-')).isEqualTo(Alphabet.PAPER.characters().lastIndexOf('-')).isGreaterThan(36);
    }

    @Test
    void knownStringIsReversedLowerCasedPaddedAndUnknownsAreZero() {
        CharQuantizer q = new CharQuantizer(Alphabet.PAPER, 6);
        // "Ab1é" reversed: é (unknown), 1, b, a; then zero padding.
        assertThat(rows(q, "Ab1é")).containsExactly(-1, 26 + 1, 1, 0, -1, -1);
    }

    @Test
    void longTextsKeepTheirLastCharacters() {
        CharQuantizer q = new CharQuantizer(Alphabet.PAPER, 3);
        assertThat(rows(q, "abcdef")).containsExactly(5, 4, 3); // f, e, d
        assertThat(rows(new CharQuantizer(Alphabet.ORIGINAL_CODE, 2), "a\n")).containsExactly(-1, 0);
        assertThat(rows(new CharQuantizer(Alphabet.PAPER, 2), "a\n")).containsExactly(69, 0);
    }

    @Test
    void normaliserDecodesEscapesAndMakesPunctuationAscii() {
        TextNormaliser n = TextNormaliser.ascii();
        assertThat(TextNormaliser.decodeEscapes("It #39;s \\$10 &lt;b&gt; a &amp; b #36;5\\nNext"))
                .isEqualTo("It 's $10 <b> a & b $5\nNext");
        assertThat(n.normalise("\u201cQuoted\u201d \u2014 text\u2026  kept spacing"))
                .isEqualTo("\"Quoted\" -- text...  kept spacing");
        assertThat(TextNormaliser.ptbTokens().normalise("Don't stop (now).")).isEqualTo("Do n't stop ( now ) .");
        assertThat(TextNormaliser.identity().normalise(" #39;")).isEqualTo(" #39;");
        assertThat(n.describe()).contains("quotes=ascii");
    }
}
