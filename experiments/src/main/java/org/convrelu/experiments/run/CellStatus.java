package org.convrelu.experiments.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.convrelu.experiments.recipe.Cell;

/**
 * Where a cell stands in a run store: done (with its top-1; in the run directory or the results
 * store), training (by whom, how far, ETA from its metrics), failed (its error), interrupted (a
 * checkpoint and no owner: it resumes), not started, or without data (its dataset is not in the
 * data directory). Read from the cell's files only, so it works while other workers train;
 * {@code result} is a finished cell's verified result (null otherwise).
 */
public record CellStatus(State state, String detail, CellResult result) {
    /** A status without a stored result (anything but a finished cell). */
    CellStatus(State state, String detail) {
        this(state, detail, null);
    }

    public enum State { DONE, TRAINING, FAILED, INTERRUPTED, NOT_STARTED, NO_DATA, INVALID }

    private static final ObjectMapper JSON = new ObjectMapper();

    public static CellStatus of(CellRunner runner, Cell cell) {
        Path dir = runner.directory(cell);
        if (runner.resultFile(cell).isPresent()) { // in the run directory, or in the committed results store
            try {
                CellResult r = runner.stored(cell);
                return r.ok() ? new CellStatus(State.DONE, String.format(Locale.ROOT, "top-1 %.2f%%", r.top1()), r)
                        : new CellStatus(State.DONE, "not run: " + r.reason());
            } catch (RuntimeException e) {
                return new CellStatus(State.INVALID, e.getMessage());
            }
        }
        Path lock = dir.resolve(CellLock.FILE);
        if (Files.exists(lock)) {
            java.util.Optional<String> gone = CellLock.read(lock).flatMap(o -> o.goneFor(CellLock.Owner.me()));
            if (gone.isPresent()) { // its owner is known to be gone: the next worker takes the lock over at once
                return new CellStatus(State.INTERRUPTED, progress(dir, cell) + "; its worker is gone (" + gone.get() + ")"
                        + (Files.exists(dir.resolve("checkpoint.bin")) ? "; resumes from its checkpoint" : "; starts afresh"));
            }
            return new CellStatus(State.TRAINING, owner(lock) + "; " + progress(dir, cell));
        }
        if (Files.exists(dir.resolve(CellRunner.ERROR_FILE))) {
            return new CellStatus(State.FAILED, field(dir.resolve(CellRunner.ERROR_FILE), "message"));
        }
        if (Files.exists(dir.resolve("checkpoint.bin"))) {
            return new CellStatus(State.INTERRUPTED, progress(dir, cell) + "; resumes from its checkpoint");
        }
        if (!runner.dataPresent(cell)) {
            return new CellStatus(State.NO_DATA, cell.data().column() + " is not in the data directory");
        }
        return new CellStatus(State.NOT_STARTED, "");
    }

    private static String owner(Path lock) {
        try {
            JsonNode o = JSON.readTree(lock.toFile());
            Duration silent = Duration.between(Files.getLastModifiedTime(lock).toInstant(), Instant.now());
            return "by host " + o.path("host").asText("?") + ", pid " + o.path("pid").asText("?")
                    + (o.hasNonNull("job") ? ", Slurm job " + o.get("job").asText() : "")
                    + (silent.compareTo(CellLock.STALE_AFTER) > 0 ? " (no heartbeat for " + silent.toMinutes() + " min: stale)" : "");
        } catch (IOException e) {
            return "by a worker that is writing its lock";
        }
    }

    /** Epochs done of the recipe's, and an ETA from their mean duration. */
    private static String progress(Path dir, Cell cell) {
        int epochs = cell.recipe().epochs();
        List<String> lines;
        try {
            lines = Files.exists(dir.resolve("metrics.jsonl")) ? Files.readAllLines(dir.resolve("metrics.jsonl")) : List.of();
        } catch (IOException e) {
            return "metrics unreadable";
        }
        double seconds = 0;
        for (String l : lines) {
            try {
                seconds += JSON.readTree(l).path("seconds").asDouble();
            } catch (IOException e) {
                return "metrics unreadable";
            }
        }
        if (lines.isEmpty()) {
            return "in epoch 1 of " + epochs;
        }
        double eta = seconds / lines.size() * (epochs - lines.size());
        return String.format(Locale.ROOT, "%d of %d epochs done, ETA %s", lines.size(), epochs, Duration.ofSeconds(Math.round(eta))
                .toString().substring(2).toLowerCase(Locale.ROOT));
    }

    private static String field(Path json, String name) {
        try {
            return JSON.readTree(json.toFile()).path(name).asText("?");
        } catch (IOException e) {
            return "unreadable " + json.getFileName();
        }
    }
}
