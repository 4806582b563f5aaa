package org.convrelu.experiments;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The exclusive right to train one cell, held as {@code lock.json} in the cell's directory, so
 * that workers sharing a run store (processes, machines, Slurm tasks) never train the same cell
 * twice. The file is created atomically (create-new), names its owner (host, pid, Slurm job, a
 * token) and carries a heartbeat: its modification time, renewed while the owner lives. A lock
 * whose heartbeat is older than {@code staleAfter} belongs to a dead owner and is taken over (moved
 * aside atomically, so one taker wins).
 */
final class CellLock implements AutoCloseable {
    static final String FILE = "lock.json";
    /** Without a heartbeat for this long, an owner is taken for dead. */
    static final Duration STALE_AFTER = Duration.ofMinutes(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Who holds a lock. */
    record Owner(String host, long pid, String job, String token, String since) {
        static Owner me() {
            String job = System.getenv("SLURM_ARRAY_JOB_ID") != null
                    ? System.getenv("SLURM_ARRAY_JOB_ID") + "_" + System.getenv("SLURM_ARRAY_TASK_ID")
                    : System.getenv("SLURM_JOB_ID");
            return new Owner(hostName(), ProcessHandle.current().pid(), job, UUID.randomUUID().toString(), Instant.now().toString());
        }

        String describe() {
            return "host " + host + ", pid " + pid + (job == null ? "" : ", Slurm job " + job) + ", since " + since;
        }
    }

    private final Path file;
    private final Owner owner;
    private final ScheduledExecutorService heartbeat;

    private CellLock(Path file, Owner owner, Duration staleAfter) {
        this.file = file;
        this.owner = owner;
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cell-lock-heartbeat");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(1, staleAfter.toMillis() / 4);
        heartbeat.scheduleAtFixedRate(this::beat, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * Takes the lock of the cell directory {@code dir}, or returns who holds it. A stale lock (no
     * heartbeat for {@code staleAfter}) is taken over.
     */
    static Attempt tryAcquire(Path dir, Duration staleAfter) {
        Path file = dir.resolve(FILE);
        Owner me = Owner.me();
        try {
            Files.createDirectories(dir);
            for (int attempt = 0; attempt < 3; attempt++) {
                try {
                    Files.write(Files.createFile(file), JSON.writeValueAsBytes(me));
                    return new Attempt(Optional.of(new CellLock(file, me, staleAfter)), null);
                } catch (FileAlreadyExistsException held) {
                    Optional<Owner> holder = read(file);
                    FileTime beat;
                    try {
                        beat = Files.getLastModifiedTime(file);
                    } catch (NoSuchFileException released) {
                        continue; // released meanwhile: try again
                    }
                    if (Instant.now().minus(staleAfter).isBefore(beat.toInstant())) {
                        return new Attempt(Optional.empty(), holder.map(Owner::describe).orElse("a worker that is writing its lock"));
                    }
                    try { // stale: move it aside atomically; of several takers exactly one succeeds
                        Files.move(file, dir.resolve(FILE + ".stale-" + UUID.randomUUID()), StandardCopyOption.ATOMIC_MOVE);
                    } catch (NoSuchFileException another) {
                        // another taker moved it first
                    }
                }
            }
            return new Attempt(Optional.empty(), read(file).map(Owner::describe).orElse("another worker"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot take the lock " + file, e);
        }
    }

    /** A lock taken, or who holds it. */
    record Attempt(Optional<CellLock> lock, String heldBy) {}

    private static Optional<Owner> read(Path file) {
        try {
            return Optional.of(JSON.readValue(file.toFile(), Owner.class));
        } catch (IOException e) {
            return Optional.empty(); // gone, or its owner is still writing it
        }
    }

    private void beat() {
        try {
            if (read(file).map(o -> o.token().equals(owner.token())).orElse(false)) {
                Files.setLastModifiedTime(file, FileTime.from(Instant.now()));
            }
        } catch (IOException e) {
            // the next beat tries again; a lock that stays silent is taken over, which the owner's release notices
        }
    }

    Owner owner() {
        return owner;
    }

    /** Stops the heartbeat and removes the lock if it is still this owner's. */
    @Override
    public void close() {
        heartbeat.shutdownNow();
        try {
            if (read(file).map(o -> o.token().equals(owner.token())).orElse(false)) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot release the lock " + file, e);
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }
}
