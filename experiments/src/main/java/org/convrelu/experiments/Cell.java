package org.convrelu.experiments;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.convrelu.nn.models.ActivationSpec;
import org.convrelu.nn.models.Replacement;

/**
 * One training run of a table: network, activation, where it replaces ReLU, dataset, scale and
 * seed. Its result is stored under {@link #key()}, derived from the full configuration and the
 * protocol, so a cell shared by several tables trains once and a finished cell is never retrained.
 */
public record Cell(Arch arch, ActivationSpec activation, Replacement replacement, DataId data, Scale scale, long seed) {

    /** Everything that determines the result, as one line. */
    public String canonical() {
        return "arch=" + arch + ";activation=" + activation.describe() + ";replacement=" + replacement.describe() + ";data="
                + data + ";scale=" + scale.id() + ";seed=" + seed + ";protocol=" + Protocol.of(scale, data, arch).describe();
    }

    /** A readable prefix and a hash of {@link #canonical()}. */
    public String key() {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(canonical().getBytes(StandardCharsets.UTF_8));
            String readable = (arch + "-" + activation.kind() + "-" + replacement.kind() + "-" + data + "-s" + seed)
                    .toLowerCase(java.util.Locale.ROOT).replace("_", "");
            return readable + "-" + HexFormat.of().formatHex(h).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public Cell withSeed(long s) {
        return new Cell(arch, activation, replacement, data, scale, s);
    }
}
