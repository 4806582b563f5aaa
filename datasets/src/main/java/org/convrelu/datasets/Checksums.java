package org.convrelu.datasets;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/** File checksums (MD5, SHA-256) and their verification against published values. */
public final class Checksums {
    private Checksums() {}

    /** A published checksum: algorithm and lower-case hex digest. */
    public record Expected(String algorithm, String hex) {
        public Expected {
            if (!algorithm.equals("MD5") && !algorithm.equals("SHA-256")) {
                throw new IllegalArgumentException("unsupported checksum algorithm " + algorithm);
            }
            hex = hex.toLowerCase(Locale.ROOT);
        }

        public static Expected md5(String hex) {
            return new Expected("MD5", hex);
        }

        public static Expected sha256(String hex) {
            return new Expected("SHA-256", hex);
        }

        @Override
        public String toString() {
            return algorithm.toLowerCase(Locale.ROOT).replace("-", "") + " " + hex;
        }
    }

    /** Hex digest of a file's bytes. */
    public static String digest(Path file, String algorithm) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance(algorithm);
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Fails with a message naming the file, the expected and the actual checksum unless they agree. */
    public static void verify(Path file, Expected expected) {
        if (!Files.isRegularFile(file)) {
            throw new DataFormatException(file, null, "a file with " + expected, "no such file");
        }
        String actual = digest(file, expected.algorithm());
        if (!actual.equals(expected.hex())) {
            throw new DataFormatException(file, "checksum mismatch: expected " + expected + ", actual "
                    + expected.algorithm().toLowerCase(Locale.ROOT).replace("-", "") + " " + actual
                    + " (the file is damaged or a different version)");
        }
    }
}
