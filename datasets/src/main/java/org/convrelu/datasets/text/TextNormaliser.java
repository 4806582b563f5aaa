package org.convrelu.datasets.text;

import edu.stanford.nlp.ling.CoreLabel;
import edu.stanford.nlp.process.CoreLabelTokenFactory;
import edu.stanford.nlp.process.PTBTokenizer;
import java.io.StringReader;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Text normalisation before character quantisation, configurable and recorded in every result
 * through {@link #describe()}.
 *
 * <ol>
 *   <li>{@code decodeEscapes}: the escapes found in Zhang et al.'s CSVs: {@code \n} (backslash, n)
 *       becomes a newline, {@code \$} a dollar sign, and HTML entities with or without their
 *       ampersand ({@code &lt;}, {@code &amp;}, {@code #39;}, {@code &#36;}) their character. Other
 *       backslashes stay, as in Zhang et al.'s own preprocessing.</li>
 *   <li>Stanford CoreNLP's PTB tokenizer with {@code ptbOptions} (by default: ASCII quotes,
 *       dashes as {@code --}, the ellipsis as {@code ...}, no bracket escaping). With
 *       {@code tokenize} the tokens are joined by single spaces (PTB style); without it, each
 *       token is normalised in place and the original spacing is kept.</li>
 * </ol>
 */
public record TextNormaliser(boolean decodeEscapes, boolean tokenize, String ptbOptions) {

    /** PTB tokenizer options: no PTB escaping, then ASCII quotes, PTB dashes and ellipses; keep what it cannot tokenize. */
    public static final String ASCII_OPTIONS = "invertible=true,ptb3Escaping=false,quotes=ascii,dashes=ascii,"
            + "ellipses=ascii,normalizeAmpersandEntity=true,untokenizable=noneKeep";

    private static final Pattern ENTITY = Pattern.compile("&?#(\\d{1,6});|&(lt|gt|amp|quot|apos);");

    /** Escapes decoded, quotes, dashes and ellipses to ASCII, spacing kept: the default for the char-CNN. */
    public static TextNormaliser ascii() {
        return new TextNormaliser(true, false, ASCII_OPTIONS);
    }

    /** PTB-style tokenized text (tokens separated by single spaces). */
    public static TextNormaliser ptbTokens() {
        return new TextNormaliser(true, true, ASCII_OPTIONS);
    }

    /** No change at all. */
    public static TextNormaliser identity() {
        return new TextNormaliser(false, false, null);
    }

    public String normalise(String text) {
        String s = decodeEscapes ? decodeEscapes(text) : text;
        if (ptbOptions == null) {
            return s;
        }
        PTBTokenizer<CoreLabel> tokenizer = new PTBTokenizer<>(new StringReader(s), new CoreLabelTokenFactory(), ptbOptions);
        List<CoreLabel> tokens = tokenizer.tokenize();
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < tokens.size(); i++) {
            CoreLabel t = tokens.get(i);
            if (tokenize) {
                out.append(i == 0 ? "" : " ").append(t.word());
            } else {
                out.append(t.before()).append(t.word());
                if (i == tokens.size() - 1) {
                    out.append(t.after());
                }
            }
        }
        return out.toString();
    }

    /** Decodes the escapes of Zhang et al.'s CSVs (see the class comment). */
    public static String decodeEscapes(String text) {
        String s = text.replace("\\n", "\n").replace("\\$", "$");
        Matcher m = ENTITY.matcher(s);
        StringBuilder out = new StringBuilder(s.length());
        while (m.find()) {
            String replacement;
            if (m.group(1) != null) {
                int cp = Integer.parseInt(m.group(1));
                replacement = Character.isValidCodePoint(cp) ? new String(Character.toChars(cp)) : m.group();
            } else {
                replacement = switch (m.group(2)) {
                    case "lt" -> "<";
                    case "gt" -> ">";
                    case "amp" -> "&";
                    case "quot" -> "\"";
                    default -> "'";
                };
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** A one-line description for provenance. */
    public String describe() {
        return "decodeEscapes=" + decodeEscapes + ", tokenize=" + tokenize + ", corenlp PTBTokenizer options="
                + (ptbOptions == null ? "none" : ptbOptions);
    }
}
