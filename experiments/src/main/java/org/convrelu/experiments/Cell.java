package org.convrelu.experiments;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.convrelu.nn.models.ActivationSpec;
import org.convrelu.nn.models.Replacement;

/**
 * One training run of a table: network, activation, where it replaces ReLU, dataset, scale, seed,
 * and for a dataset evaluated by cross-validation (MR) the held-out fold. Its result is stored
 * under {@link #key()}, derived from the full configuration and the protocol, so a cell shared by
 * several tables trains once and a finished cell is never retrained.
 *
 * @param fold the held-out fold, 1-based, for cross-validated data; 0 in a table's entry (the
 *        protocol says which folds run, {@link Protocol#folds()}) and for data with a test split
 */
public record Cell(Arch arch, ActivationSpec activation, Replacement replacement, DataId data, Scale scale, long seed, int fold) {

    /** A cell without a fold: a table's entry, or data with a test split. */
    public Cell(Arch arch, ActivationSpec activation, Replacement replacement, DataId data, Scale scale, long seed) {
        this(arch, activation, replacement, data, scale, seed, 0);
    }

    /** Everything that determines the result, as one line. */
    public String canonical() {
        return "arch=" + arch + ";activation=" + activation.describe() + ";replacement=" + replacement.describe() + ";data="
                + data + ";scale=" + scale.id() + ";seed=" + seed + (fold > 0 ? ";fold=" + fold : "") + ";protocol="
                + Protocol.of(scale, data, arch).describe();
    }

    /** A readable prefix and a hash of {@link #canonical()}. */
    public String key() {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(canonical().getBytes(StandardCharsets.UTF_8));
            String readable = (arch + "-" + activation.kind() + "-" + replacement.kind() + "-" + data + "-s" + seed + (fold > 0 ? "-f" + fold : ""))
                    .toLowerCase(java.util.Locale.ROOT).replace("_", "");
            return readable + "-" + HexFormat.of().formatHex(h).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public Cell withSeed(long s) {
        return new Cell(arch, activation, replacement, data, scale, s, fold);
    }

    public Cell withFold(int f) {
        return new Cell(arch, activation, replacement, data, scale, seed, f);
    }

    /** The cells a table entry trains for one seed: one per fold the protocol asks (one cell where there are no folds). */
    public List<Cell> runs(long s) {
        return Protocol.of(scale, data, arch).folds().stream().map(f -> withSeed(s).withFold(f)).toList();
    }
}
