package org.convrelu.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void replacesTheTargetWholeAndLeavesNoTemporaryFile() throws IOException {
        Path target = dir.resolve("sub/result.json");
        AtomicFiles.writeAtomically(target, "first");
        AtomicFiles.writeAtomically(target, "second");
        assertThat(Files.readString(target)).isEqualTo("second");
        try (var files = Files.list(target.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("result.json");
        }
    }

    @Test
    void newFilesGetTheUmasksPermissionsNotOwnerOnly() throws IOException {
        Path target = dir.resolve("table1.md");
        AtomicFiles.writeAtomically(target, "x");
        Path reference = Files.createFile(dir.resolve("plain")); // what any new file of this process gets
        Set<PosixFilePermission> expected = Files.getPosixFilePermissions(reference);
        assertThat(Files.getPosixFilePermissions(target)).isEqualTo(expected);
    }

    @Test
    void aFailedWriteKeepsTheOldFileAndRemovesItsTemporaryFile() throws IOException {
        Path target = dir.resolve("checkpoint.bin");
        AtomicFiles.writeAtomically(target, "old");
        assertThatThrownBy(() -> AtomicFiles.writeAtomically(target, out -> {
            out.write("half".getBytes(StandardCharsets.UTF_8));
            throw new IOException("disk full");
        })).isInstanceOf(UncheckedIOException.class).hasMessageContaining(target.toString()).hasMessageContaining("disk full");
        assertThat(Files.readString(target)).isEqualTo("old");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("checkpoint.bin");
        }
    }

    @Test
    void contentThatClosesItsStreamIsStillWrittenWhole() throws IOException {
        Path target = dir.resolve("closed.txt");
        AtomicFiles.writeAtomically(target, out -> {
            out.write("abc".getBytes(StandardCharsets.UTF_8));
            out.close();
        });
        assertThat(Files.readString(target)).isEqualTo("abc");
    }

    @Test
    void concurrentWritersNeverCollideOnATemporaryName() throws Exception {
        Path target = dir.resolve("shared.txt");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> writes = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            String text = ("writer " + w + "\n").repeat(20_000);
            writes.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < 10; i++) {
                    AtomicFiles.writeAtomically(target, text);
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : writes) {
            f.get(60, TimeUnit.SECONDS); // a collision would fail with an exception here
        }
        pool.shutdown();
        String content = Files.readString(target);
        assertThat(content.lines().distinct().count()).as("one writer's whole content").isEqualTo(1);
        assertThat(content).hasSize(("writer 0\n").length() * 20_000);
    }
}
