package org.convrelu.experiments.recipe;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.convrelu.nn.models.ActivationSpec;
import org.convrelu.nn.models.Replacement;

/**
 * One training run: a {@link Recipe} and a seed. Its result is stored under {@link #key()}, a hash
 * of the recipe's canonical JSON and the seed, so a cell shared by several tables trains once, a
 * finished cell is never retrained, and any change to what trains it makes it another cell.
 */
public record Cell(Recipe recipe, long seed) {

    /** A table entry's cell (seed 0: the runner sets the seeds) with the rules of {@code scale} and the default text recipe. */
    public static Cell entry(Scale scale, DataId data, Arch arch, ActivationSpec activation, Replacement replacement) {
        return new Cell(Recipe.of(scale, data, arch, activation, replacement), 0);
    }

    public Scale scale() {
        return recipe.scale();
    }

    public DataId data() {
        return recipe.data();
    }

    public Arch arch() {
        return recipe.arch();
    }

    public ActivationSpec activation() {
        return recipe.activation();
    }

    public Replacement replacement() {
        return recipe.replacement();
    }

    /** MR's held-out fold (1-based), 0 for a table entry and for data with a test split. */
    public int fold() {
        return recipe.fold();
    }

    /** Everything that determines the result: the recipe's canonical JSON and the seed. */
    public String canonical() {
        return recipe.canonicalJson() + ";seed=" + seed;
    }

    /** A readable prefix and a hash of {@link #canonical()}. */
    public String key() {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(canonical().getBytes(StandardCharsets.UTF_8));
            String readable = (arch() + "-" + activation().kind() + "-" + replacement().kind() + "-" + data() + "-s" + seed
                    + (fold() > 0 ? "-f" + fold() : "")).toLowerCase(Locale.ROOT).replace("_", "");
            return readable + "-" + HexFormat.of().formatHex(h).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public Cell withSeed(long s) {
        return new Cell(recipe, s);
    }

    public Cell withFold(int f) {
        return new Cell(recipe.withFold(f), seed);
    }

    public Cell withTextRecipe(Recipe.TextRecipe text) {
        return new Cell(recipe.withTextRecipe(text), seed);
    }

    /** The cells a table entry trains for one seed: one per fold the recipe asks (one cell where there are no folds). */
    public List<Cell> runs(long s) {
        return recipe.folds().stream().map(f -> withSeed(s).withFold(f)).toList();
    }
}
