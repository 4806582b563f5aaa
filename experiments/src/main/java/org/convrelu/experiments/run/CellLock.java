package org.convrelu.experiments.run;

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
 * twice. The file is created atomically (written whole, then hard-linked in), names its owner (host, pid and the process's
 * start, Slurm job and restart count, a token) and carries a heartbeat: its modification time,
 * renewed while the owner lives.
 *
 * <p>A lock whose owner is known to be gone is taken over at once: an owner on this host whose
 * pid is no longer alive or now belongs to another process (its start time differs), or an
 * earlier run of this very Slurm job (a requeued task: same job and array task, fewer restarts).
 * Any other lock is taken over once its heartbeat is older than {@code staleAfter} (an owner on
 * another machine that died). Taking over moves the file aside atomically, so one taker wins.
 */
public final class CellLock implements AutoCloseable {
    static final String FILE = "lock.json";
    /** Without a heartbeat for this long, an owner is taken for dead; {@code -Dconvrelu.lock.staleAfter} (seconds) moves it. */
    public static final Duration STALE_AFTER = Duration.ofSeconds(Long.getLong("convrelu.lock.staleAfter", 600));
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /**
     * Who holds a lock. {@code started}: the owner process's start (null in locks written before it
     * was recorded); {@code restarts}: Slurm's restart count of the owner's job (0 outside Slurm).
     */
    record Owner(String host, long pid, String started, String job, Integer restarts, String token, String since) {
        static Owner me() {
            String job = System.getenv("SLURM_ARRAY_JOB_ID") != null
                    ? System.getenv("SLURM_ARRAY_JOB_ID") + "_" + System.getenv("SLURM_ARRAY_TASK_ID")
                    : System.getenv("SLURM_JOB_ID");
            return new Owner(hostName(), ProcessHandle.current().pid(), startOf(ProcessHandle.current()).orElse(null), job,
                    restartCount(), UUID.randomUUID().toString(), Instant.now().toString());
        }

        String describe() {
            return "host " + host + ", pid " + pid + (job == null ? "" : ", Slurm job " + job) + ", since " + since;
        }

        /**
         * Why this owner is known to be gone, seen from {@code me}; empty if it may be alive (on
         * another host, only its heartbeat can tell).
         */
        Optional<String> goneFor(Owner me) {
            int restart = restarts == null ? 0 : restarts;
            if (job != null && job.equals(me.job()) && restart < me.restarts()) {
                return Optional.of("an earlier run of Slurm job " + job + " (restart " + restart + ", now " + me.restarts() + ")");
            }
            if (!host.equals(me.host())) {
                return Optional.empty();
            }
            Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
            if (process.isEmpty()) {
                return Optional.of("pid " + pid + " on " + host + " is no longer alive");
            }
            Optional<String> now = startOf(process.get());
            if (started != null && now.isPresent() && !now.get().equals(started)) {
                return Optional.of("pid " + pid + " on " + host + " now belongs to another process (started " + now.get() + ", not "
                        + started + ")");
            }
            return Optional.empty();
        }
    }

    private static Optional<String> startOf(ProcessHandle p) {
        return p.info().startInstant().map(Instant::toString);
    }

    private static int restartCount() {
        try {
            return Integer.parseInt(System.getenv().getOrDefault("SLURM_RESTART_COUNT", "0"));
        } catch (NumberFormatException e) {
            return 0;
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
        String takenOver = null;
        try {
            Files.createDirectories(dir);
            for (int attempt = 0; attempt < 3; attempt++) {
                // written whole under another name, then linked in: the lock never exists without its owner
                Path mine = dir.resolve(FILE + "." + me.token());
                Files.write(mine, JSON.writeValueAsBytes(me));
                try {
                    Files.createLink(file, mine);
                    return new Attempt(Optional.of(new CellLock(file, me, staleAfter)), null, takenOver);
                } catch (FileAlreadyExistsException held) {
                    Optional<Owner> holder = read(file);
                    FileTime beat;
                    try {
                        beat = Files.getLastModifiedTime(file);
                    } catch (NoSuchFileException released) {
                        continue; // released meanwhile: try again
                    }
                    Optional<String> gone = holder.flatMap(o -> o.goneFor(me));
                    if (gone.isEmpty() && Instant.now().minus(staleAfter).isBefore(beat.toInstant())) {
                        return new Attempt(Optional.empty(), holder.map(Owner::describe).orElse("a worker that is writing its lock"), null);
                    }
                    takenOver = holder.map(Owner::describe).orElse("an unreadable lock") + ": "
                            + gone.orElse("no heartbeat since " + beat.toInstant());
                    try { // gone or stale: move it aside atomically; of several takers exactly one succeeds
                        Files.move(file, dir.resolve(FILE + ".stale-" + UUID.randomUUID()), StandardCopyOption.ATOMIC_MOVE);
                    } catch (NoSuchFileException another) {
                        // another taker moved it first
                    }
                } finally {
                    Files.deleteIfExists(mine);
                }
            }
            return new Attempt(Optional.empty(), read(file).map(Owner::describe).orElse("another worker"), null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot take the lock " + file, e);
        }
    }

    /** A lock taken (and whose lock it took over, and why, if any), or who holds it. */
    record Attempt(Optional<CellLock> lock, String heldBy, String takenOver) {}

    static Optional<Owner> read(Path file) {
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
