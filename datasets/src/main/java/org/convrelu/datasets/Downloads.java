package org.convrelu.datasets;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Locates a dataset under the data root and, only when asked, downloads it from its official
 * address, verifies the published checksum and unpacks it. Without permission to download, a
 * missing dataset is an error that names the missing file and the address to get it from.
 */
public final class Downloads {
    private static final Logger LOG = LoggerFactory.getLogger(Downloads.class);

    private Downloads() {}

    /** The dataset's folder, downloading it first if it is missing and {@code allowDownload}. */
    public static Path locate(Dataset dataset, DataDir dir, boolean allowDownload) {
        java.util.Optional<Path> found = dir.find(dataset.folders().toArray(String[]::new));
        if (found.isPresent()) {
            return found.get();
        }
        if (!allowDownload) {
            StringBuilder how = new StringBuilder();
            for (Dataset.Download d : dataset.downloads()) {
                how.append("\n  ").append(d.url()).append(" (").append(d.checksum()).append(") → ")
                        .append(dir.root().resolve(d.saveAs())).append(d.archive() ? ", then unpack it there" : "");
            }
            throw new DataFormatException(dir.root().resolve(dataset.folders().get(0)),
                    dataset.title() + " is missing (looked for " + String.join(", ", dataset.folders()) + " under "
                            + dir.root() + "). Download it with the download option, or by hand:" + how);
        }
        for (Dataset.Download d : dataset.downloads()) {
            fetch(d, dir.root());
        }
        return dir.find(dataset.folders().toArray(String[]::new)).orElseThrow(() -> new DataFormatException(
                dir.root(), "downloaded " + dataset.title() + " but none of " + dataset.folders() + " appeared"));
    }

    /** Downloads one file to {@code root/saveAs} (via a temporary file), verifies it, and unpacks archives into {@code root}. */
    public static void fetch(Dataset.Download d, Path root) {
        Path target = root.resolve(d.saveAs());
        try {
            Files.createDirectories(target.getParent());
            if (!Files.exists(target)) {
                Path partial = target.resolveSibling(target.getFileName() + ".part");
                LOG.info("downloading {} to {}", d.url(), target);
                try (InputStream in = URI.create(d.url()).toURL().openStream();
                        OutputStream out = Files.newOutputStream(partial)) {
                    in.transferTo(out);
                } catch (IOException e) {
                    Files.deleteIfExists(partial);
                    throw new DataFormatException(target, "download from " + d.url() + " failed (" + e
                            + "); fetch it by hand and place it at " + target, e);
                }
                Checksums.verify(partial, d.checksum());
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            } else {
                Checksums.verify(target, d.checksum());
            }
            if (d.archive()) {
                unpack(target, root);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write under " + root, e);
        }
    }

    /** Unpacks a {@code .tar.gz}/{@code .tgz} or {@code .zip} archive into {@code into}, refusing entries that escape it. */
    public static void unpack(Path archive, Path into) {
        String name = archive.getFileName().toString();
        try {
            if (name.endsWith(".zip")) {
                try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(archive))) {
                    for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                        write(archive, into, e.getName(), e.isDirectory(), zip);
                    }
                }
            } else if (name.endsWith(".tar.gz") || name.endsWith(".tgz")) {
                try (TarArchiveInputStream tar = new TarArchiveInputStream(
                        new GzipCompressorInputStream(Files.newInputStream(archive)))) {
                    for (TarArchiveEntry e; (e = tar.getNextTarEntry()) != null; ) {
                        write(archive, into, e.getName(), e.isDirectory(), tar);
                    }
                }
            } else {
                throw new DataFormatException(archive, null, "a .tar.gz, .tgz or .zip archive", "file name " + name);
            }
        } catch (IOException e) {
            throw new DataFormatException(archive, "cannot unpack: " + e.getMessage(), e);
        }
    }

    private static void write(Path archive, Path into, String entry, boolean directory, InputStream in) throws IOException {
        Path out = into.resolve(entry).normalize();
        if (!out.startsWith(into.normalize())) {
            throw new DataFormatException(archive, "entry " + entry, "a path inside " + into, "a path outside it");
        }
        if (directory) {
            Files.createDirectories(out);
            return;
        }
        Files.createDirectories(out.getParent());
        Path partial = out.resolveSibling(out.getFileName() + ".part");
        Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
        Files.move(partial, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** {@code folder/relative}, or an error naming the missing file and where the dataset comes from. */
    public static Path require(Dataset dataset, Path folder, String relative) {
        Path file = folder.resolve(relative);
        if (!Files.exists(file)) {
            StringBuilder from = new StringBuilder();
            for (Dataset.Download d : dataset.downloads()) {
                from.append(from.length() == 0 ? "" : ", ").append(d.url());
            }
            throw new DataFormatException(file, null, "this file of " + dataset.title() + " (official source: " + from + ")",
                    "no such file");
        }
        return file;
    }
}
