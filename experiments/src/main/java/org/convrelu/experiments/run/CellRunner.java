package org.convrelu.experiments.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.convrelu.datasets.DataDir;
import org.convrelu.experiments.recipe.Cell;
import org.convrelu.experiments.recipe.Recipe;
import org.convrelu.experiments.recipe.Scale;
import org.convrelu.io.AtomicFiles;
import org.convrelu.nn.models.Model;
import org.convrelu.nn.train.LearningRate;
import org.convrelu.nn.train.Trainer;
import org.convrelu.nn.train.TrainingStopped;
import org.convrelu.tensor.RandomStream;
import org.convrelu.tensor.ops.Backends;

/**
 * Trains cells, or returns their stored results. A cell's directory {@code runs/<scale>/<key>/}
 * holds its checkpoint while it trains (an interrupted cell resumes from it) and
 * {@code result.json} once it is done; a cell with a result is never trained again. Finished
 * cells above smoke scale are also kept in the results store ({@code reports/store/<scale>/<key>/}:
 * {@code result.json} and the per-epoch {@code metrics.jsonl}, never a checkpoint), which is
 * committed with the reports, so another clone rebuilds the tables without training. A stored
 * result is used only if it is this cell's (key and configuration), was trained on the data files
 * the data directory holds now (fingerprint), and its SHA-256 matches its content; anything else
 * is an error naming the file, and {@code retrain} starts the cell afresh.
 */
public final class CellRunner {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper COMPACT = new ObjectMapper();

    /**
     * @param retrain delete each cell's stored state (result, checkpoint, metrics) the first time this runner meets it
     * @param allowModifiedData train on data whose files differ from their published checksums (the results say so)
     * @param waitForOthers when another worker trains a cell, wait for its result instead of reporting the cell as not run
     * @param staleAfter a lock without a heartbeat for this long belongs to a dead worker and is taken over
     * @param store the results store, or null for none
     * @param storedOnly train nothing: a cell without a stored result is reported as not run
     */
    public record Options(boolean retrain, boolean allowModifiedData, boolean waitForOthers, Duration staleAfter, Path store,
            boolean storedOnly) {
        public static final Options DEFAULT = new Options(false, false, false, CellLock.STALE_AFTER, null, false);

        public Options(boolean retrain, boolean allowModifiedData) {
            this(retrain, allowModifiedData, false, CellLock.STALE_AFTER, null, false);
        }
    }

    /** The files of a finished cell that the results store keeps. */
    static final List<String> KEPT = List.of("result.json", "metrics.jsonl");

    /** How often a waiting worker looks again. */
    private static final Duration POLL = Duration.ofSeconds(5);

    private final DataDir data;
    private final Path runs;
    private final PrintStream log;
    private final Options options;
    private final Set<Path> retrained = new HashSet<>();

    public CellRunner(DataDir data, Path runs, PrintStream log, Options options) {
        this.data = data;
        this.runs = runs;
        this.log = log;
        this.options = options;
    }

    public Path directory(Cell cell) {
        return runs.resolve(cell.scale().id()).resolve(cell.key());
    }

    /**
     * Where the results store keeps {@code cell}, or empty: without a store, and at smoke scale
     * (smoke cells train in seconds, and CI trains them every time).
     */
    public Optional<Path> storeDirectory(Cell cell) {
        return options.store() == null || cell.scale() == Scale.SMOKE ? Optional.empty()
                : Optional.of(options.store().resolve(cell.scale().id()).resolve(cell.key()));
    }

    /** Whether the data directory holds {@code cell}'s dataset. */
    public boolean dataPresent(Cell cell) {
        return Data.present(cell.data(), data);
    }

    /** The file of {@code cell}'s result, in its run directory or else in the results store; empty if it has none. */
    public Optional<Path> resultFile(Cell cell) {
        Path run = directory(cell).resolve("result.json");
        if (Files.exists(run)) {
            return Optional.of(run);
        }
        return storeDirectory(cell).map(d -> d.resolve("result.json")).filter(Files::exists);
    }

    /** The stored result of {@code cell}, if it finished before; fails, naming the file, if that result is not verifiably its. */
    public CellResult stored(Cell cell) {
        Path file = resultFile(cell).orElse(null);
        if (file == null) {
            return null;
        }
        CellResult r;
        try {
            r = JSON.readValue(file.toFile(), CellResult.class);
        } catch (IOException e) {
            throw new IllegalStateException(file + " is not a cell result (" + e.getMessage().lines().findFirst().orElse("") + "). Retrain the cell with"
                    + " --retrain.", e);
        }
        String why = mismatch(cell, r);
        if (why == null && !r.dataFingerprint().equals(Data.fingerprint(cell.data().dataset(), data))) {
            why = "it was trained on other data than " + data.root() + " holds for " + cell.data().column() + " (fingerprint "
                    + r.dataFingerprint() + ", now " + Data.fingerprint(cell.data().dataset(), data) + ")";
        }
        if (why != null) {
            throw new IllegalStateException(file + ": " + why + ". Retrain the cell with --retrain (it deletes "
                    + directory(cell) + storeDirectory(cell).map(d -> " and " + d).orElse("") + ").");
        }
        return r;
    }

    /** Why {@code r} is not a trustworthy result of {@code cell}, or null. */
    static String mismatch(Cell cell, CellResult r) {
        if (r.sha256() == null) {
            return "it carries no checksum (written by hand or by an older version)";
        }
        if (!r.sha256().equals(sha256(r))) {
            return "its content does not match its SHA-256 (edited or damaged)";
        }
        if (!cell.key().equals(r.key()) || !cell.canonical().equals(r.configuration())) {
            return "it is the result of another cell:\n  stored:    " + r.configuration() + "\n  this cell: " + cell.canonical();
        }
        if (r.dataFingerprint() == null) {
            return "it does not say what data it was trained on";
        }
        if (!"ok".equals(r.status()) || r.top1() == null || !(r.top1() >= 0 && r.top1() <= 100)) {
            return "it holds no top-1 accuracy (status " + r.status() + ", top-1 " + r.top1() + ")";
        }
        return null;
    }

    /** The SHA-256 of the result's JSON without its own checksum. */
    static String sha256(CellResult r) {
        try {
            byte[] json = COMPACT.writeValueAsBytes(r.withSha256(null));
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot digest a cell result", e);
        }
    }

    public CellResult run(Cell cell) {
        Path dir = directory(cell);
        if (options.retrain() && retrained.add(dir)) {
            for (Path d : storeDirectory(cell).map(kept -> List.of(dir, kept)).orElse(List.of(dir))) {
                if (Files.exists(d)) {
                    log.println("== " + cell.key() + ": --retrain, deleting " + d);
                    deleteRecursively(d);
                }
            }
        }
        CellResult done = stored(cell);
        if (done != null) {
            return done;
        }
        if (options.storedOnly()) {
            return CellResult.notRun(cell, dataPresent(cell) ? "not trained yet (--stored-only; `suite cell` trains it)"
                    : Data.absence(cell.data(), data));
        }
        Data.Integrity integrity = Data.integrity(cell.data().dataset(), data);
        if (integrity.modified() && !options.allowModifiedData()) {
            throw new IllegalStateException(cell.data().column() + ": " + integrity.description() + ". A cell does not train on data"
                    + " that differs from the published files; pass --allow-modified-data to train on it anyway (its rows then say"
                    + " modified_data).");
        }
        CellResult result;
        try (StopOnShutdown stop = new StopOnShutdown()) { // closed last: a shutdown waits until the lock is released
            CellLock.Attempt attempt = CellLock.tryAcquire(dir, options.staleAfter());
            while (attempt.lock().isEmpty()) {
                if (!options.waitForOthers() || stop.requested()) {
                    log.println("== " + cell.key() + ": not trained here: being trained by " + attempt.heldBy());
                    return CellResult.notRun(cell, "being trained by " + attempt.heldBy() + " (run again when it is done, or with --wait)");
                }
                log.println("== " + cell.key() + ": waiting for " + attempt.heldBy());
                try {
                    Thread.sleep(POLL.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for " + attempt.heldBy() + " to train " + cell.key(), e);
                }
                done = stored(cell);
                if (done != null) {
                    return done;
                }
                attempt = CellLock.tryAcquire(dir, options.staleAfter());
            }
            if (attempt.takenOver() != null) {
                log.println("== " + cell.key() + ": took over the lock of " + attempt.takenOver());
            }
            try (CellLock lock = attempt.lock().get()) {
                done = stored(cell); // another worker may have finished it between the first look and the lock
                result = done != null ? done : train(cell, dir, integrity, stop);
            } catch (TrainingStopped e) { // the lock is released by now
                log.println("== " + cell.key() + ": " + e.getMessage() + " in " + dir + "; lock released. Run it again to resume.");
                throw e;
            } catch (RuntimeException e) {
                writeError(dir, cell, e);
                throw e;
            }
        }
        if (!result.ok()) {
            deleteIfEmpty(dir); // a cell that could not train leaves nothing behind
        }
        return result;
    }

    private static void deleteIfEmpty(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            if (entries.findAny().isEmpty()) {
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            // not empty after all, or gone: nothing to tidy
        }
    }

    /** Trains {@code cell} under its lock and stores the result. */
    private CellResult train(Cell cell, Path dir, Data.Integrity integrity, StopOnShutdown stop) {
        deleteIfExists(dir.resolve(ERROR_FILE));
        Recipe recipe = cell.recipe();
        Data.Prepared prepared;
        try {
            prepared = Data.prepare(recipe, data, cell.seed());
        } catch (Data.NotAvailable e) {
            return CellResult.notRun(cell, e.getMessage());
        }
        RandomStream root = RandomStream.root(cell.seed());
        Model model = recipe.build(prepared.classes(), prepared.inputShape(), root.child("init"), root.child("dropout"));
        log.println("== " + cell.key());
        log.println("   " + model.describe());
        log.println("   " + prepared.description());
        Map<String, Map<String, Long>> callsBefore = Backends.usage();
        LearningRate learningRate = recipe.learningRate(prepared.train().batchesPerEpoch());
        Trainer trainer = new Trainer(model, prepared.train(), prepared.eval(),
                new Trainer.Config(recipe.epochs(), learningRate, recipe.optimiser(), dir, log, cell.canonical()), new Trainer.Listener() {
                    @Override
                    public boolean stopRequested() {
                        return stop.requested();
                    }
                });
        Trainer.Result r = trainer.run();
        CellResult result = new CellResult(cell.key(), cell.canonical(), "ok", null, r.finalEvalTop1(), prepared.description(),
                model.describe(), model.parameterCount(), model.replacedSites(), r.epochs(), r.sites(), r.thresholds(),
                r.seconds(), Instant.now().toString(), Backends.usedSince(callsBefore), integrity.modified(), prepared.partial(),
                Data.fingerprint(cell.data().dataset(), data), Provenances.gitCommit(), Provenances.arithmetic(), null);
        write(dir.resolve("result.json"), result);
        deleteIfExists(dir.resolve("checkpoint.bin")); // the result supersedes it; metrics.jsonl stays
        storeDirectory(cell).ifPresent(kept -> keep(dir, kept));
        return result;
    }

    /** Copies a finished cell's {@link #KEPT} files into the results store, each written atomically. */
    private static void keep(Path dir, Path kept) {
        for (String name : KEPT) {
            Path from = dir.resolve(name);
            if (Files.exists(from)) {
                try {
                    AtomicFiles.writeAtomically(kept.resolve(name), Files.readAllBytes(from));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot keep " + from + " in the results store " + kept, e);
                }
            }
        }
    }

    static final String ERROR_FILE = "error.json";

    /** What failed a cell, beside its checkpoint, for {@code status} and whoever looks next. */
    private static void writeError(Path dir, Cell cell, RuntimeException e) {
        Map<String, String> error = new java.util.LinkedHashMap<>();
        error.put("key", cell.key());
        error.put("error", e.getClass().getSimpleName());
        error.put("message", String.valueOf(e.getMessage()));
        error.put("host", CellLock.Owner.me().describe());
        error.put("at", Instant.now().toString());
        try {
            AtomicFiles.writeAtomically(dir.resolve(ERROR_FILE), JSON.writeValueAsBytes(error));
        } catch (IOException | RuntimeException writing) {
            e.addSuppressed(writing);
        }
    }

    private static void deleteIfExists(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + file, e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir + " for --retrain", e);
        }
    }

    private static void write(Path file, CellResult result) {
        try {
            AtomicFiles.writeAtomically(file, JSON.writeValueAsBytes(result.withSha256(sha256(result))));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
