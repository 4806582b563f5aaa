package org.convrelu.io;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Durable, atomic file writes: the content goes to a temporary file of a unique name beside the
 * target (so concurrent writers never share one), is forced to the disk, and is renamed over the
 * target; the directory entry is forced too. A reader sees the old file or the whole new one, a
 * crash leaves one of them, and a failed write removes its temporary file. Files get the
 * permissions the user's umask gives new files.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** Writes the content of a file through an output stream. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    public static void writeAtomically(Path target, String content) {
        writeAtomically(target, content.getBytes(StandardCharsets.UTF_8));
    }

    public static void writeAtomically(Path target, byte[] content) {
        writeAtomically(target, out -> out.write(content));
    }

    public static void writeAtomically(Path target, Content content) {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = dir.resolve("." + target.getFileName() + "." + ProcessHandle.current().pid() + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        try {
            Files.createDirectories(dir);
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
                content.writeTo(new FilterOutputStream(out) {
                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        out.write(b, off, len);
                    }

                    @Override
                    public void close() throws IOException {
                        flush(); // the file is closed here, once it is on the disk
                    }
                });
                out.flush();
                channel.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            forceDirectory(dir);
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            if (e instanceof IOException io) {
                throw new UncheckedIOException("cannot write " + target + ": " + io.getMessage(), io);
            }
            throw (RuntimeException) e;
        }
    }

    /** Forces the directory entry of a rename to the disk, where the file system allows it. */
    private static void forceDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // Some file systems do not open directories for reading; the rename itself is done.
        }
    }
}
