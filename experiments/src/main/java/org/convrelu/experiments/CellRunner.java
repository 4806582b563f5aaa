package org.convrelu.experiments;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Map;
import org.convrelu.datasets.DataDir;
import org.convrelu.io.AtomicFiles;
import org.convrelu.nn.models.Model;
import org.convrelu.nn.train.Trainer;
import org.convrelu.tensor.RandomStream;
import org.convrelu.tensor.ops.Backends;

/**
 * Trains cells, or returns their stored results. A cell's directory {@code runs/<scale>/<key>/}
 * holds its checkpoint while it trains (an interrupted cell resumes from it) and
 * {@code result.json} once it is done; a cell with a result is never trained again.
 */
public final class CellRunner {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final DataDir data;
    private final Path runs;
    private final PrintStream log;

    public CellRunner(DataDir data, Path runs, PrintStream log) {
        this.data = data;
        this.runs = runs;
        this.log = log;
    }

    public Path directory(Cell cell) {
        return runs.resolve(cell.scale().id()).resolve(cell.key());
    }

    /** The stored result of {@code cell}, if it finished before. */
    public CellResult stored(Cell cell) {
        Path file = directory(cell).resolve("result.json");
        if (!Files.exists(file)) {
            return null;
        }
        try {
            return JSON.readValue(file.toFile(), CellResult.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " (delete it to retrain the cell)", e);
        }
    }

    public CellResult run(Cell cell) {
        CellResult done = stored(cell);
        if (done != null) {
            return done;
        }
        Protocol protocol = Protocol.of(cell.scale(), cell.data(), cell.arch());
        Data.Prepared prepared;
        try {
            prepared = Data.prepare(protocol, data, cell.seed());
        } catch (Data.NotAvailable e) {
            return CellResult.notRun(cell, e.getMessage());
        }
        RandomStream root = RandomStream.root(cell.seed());
        Model model = protocol.build(prepared.classes(), prepared.inputShape(), cell.activation(), cell.replacement(),
                root.child("init"), root.child("dropout"));
        Path dir = directory(cell);
        log.println("== " + cell.key());
        log.println("   " + model.describe());
        log.println("   " + prepared.description());
        long t0 = System.nanoTime();
        Map<String, Map<String, Long>> callsBefore = Backends.usage();
        Trainer trainer = new Trainer(model, prepared.train(), prepared.eval(),
                new Trainer.Config(protocol.epochs(), protocol.learningRate(), protocol.sgd(), dir, log, cell.canonical()), null);
        Trainer.Result r = trainer.run();
        CellResult result = new CellResult(cell.key(), cell.canonical(), "ok", null, r.finalEvalTop1(), prepared.description(),
                model.describe(), model.parameterCount(), model.replacedSites(), r.epochs(), r.sites(), r.thresholds(),
                (System.nanoTime() - t0) / 1e9, Instant.now().toString(), Backends.usedSince(callsBefore));
        write(dir.resolve("result.json"), result);
        try {
            Files.deleteIfExists(dir.resolve("checkpoint.bin")); // the result supersedes it; metrics.jsonl stays
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return result;
    }

    private static void write(Path file, CellResult result) {
        try {
            AtomicFiles.writeAtomically(file, JSON.writeValueAsBytes(result));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
