package org.convrelu.experiments.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The PyTorch peer ({@code peers/pytorch_peer.py}): the same layers and
 * ReLU networks timed by PyTorch with the same thread count, or why it was not measured.
 *
 * <p>{@link #start} keeps the peer running in its {@code --serve} mode, so that {@link Bench} can
 * interleave PyTorch's training steps with its own one step at a time: a change of the machine's
 * load during the run (another tenant, the clock) then weighs on both sides of a ratio alike.
 * The per-layer rows are timed by the peer alone, before JMH's forks start.
 */
public final class PytorchPeer implements AutoCloseable {
    public static final String SCRIPT = "peers/pytorch_peer.py";

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What the {@code suite} script sets for ND4J (OpenMP threads that sleep between ops, their
     * count, huge pages for malloc): the peer runs without them, with PyTorch's defaults and the
     * thread count it is given, as a PyTorch user would.
     */
    static final Set<String> SUITE_ENVIRONMENT = Set.of("OMP_WAIT_POLICY", "OMP_NUM_THREADS", "GLIBC_TUNABLES");

    /** torch, python, threads, blas; null when the peer is not measured. */
    private JsonNode description;
    private final Process process;
    private final BufferedReader replies;
    private final Writer requests;
    private JsonNode layerRows;
    private long peakRssMb = -1;
    private String notMeasured;

    private PytorchPeer(Process process, String notMeasured) {
        this.process = process;
        this.replies = process == null ? null : new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.requests = process == null ? null : new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.notMeasured = notMeasured;
    }

    /** A peer that did not run, and why. */
    static PytorchPeer notMeasured(String why) {
        return new PytorchPeer(null, why);
    }

    /**
     * Starts the peer in its serving mode with the first Python that imports torch:
     * $CONVRELU_PYTHON, python3, /usr/bin/python3; then has it time the per-layer rows.
     */
    static PytorchPeer start(Path script, boolean quick, int repeats, PrintStream log) {
        if (!Files.isRegularFile(script)) {
            return notMeasured("peer script not found at " + script.toAbsolutePath());
        }
        LinkedHashSet<String> pythons = new LinkedHashSet<>();
        Optional.ofNullable(System.getenv("CONVRELU_PYTHON")).filter(s -> !s.isBlank()).ifPresent(pythons::add);
        pythons.add("python3");
        pythons.add("/usr/bin/python3");
        List<String> why = new ArrayList<>();
        int threads = Runtime.getRuntime().availableProcessors();
        for (String python : pythons) {
            List<String> command = new ArrayList<>(List.of(python, script.toString(), "--serve", "--threads", String.valueOf(threads),
                    "--repeats", String.valueOf(repeats)));
            if (quick) {
                command.add("--quick");
            }
            log.println("PyTorch peer: " + String.join(" ", command));
            ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
            builder.environment().keySet().removeAll(SUITE_ENVIRONMENT);
            Process p;
            try {
                p = builder.start();
            } catch (IOException e) {
                why.add(python + ": " + e.getMessage());
                continue;
            }
            PytorchPeer peer = new PytorchPeer(p, null);
            Optional<JsonNode> description = peer.reply();
            if (description.isEmpty() || description.get().has("error")) {
                why.add(python + ": " + description.map(d -> d.get("error").asText()).orElse(peer.notMeasured));
                peer.kill();
                continue;
            }
            peer.description = description.get();
            peer.layerRows = peer.ask(Map.of("layers", true)).map(r -> r.get("rows")).orElse(null);
            return peer;
        }
        return notMeasured(String.join("; ", why));
    }

    /** The peer's median for one per-layer or one-shot row, if it measured it. */
    Optional<Double> ms(String benchmark, String shapeOrBatch, String what) {
        if (layerRows == null) {
            return Optional.empty();
        }
        for (JsonNode r : layerRows) {
            if (r.get("benchmark").asText().equals(benchmark) && r.get("shape").asText().equals(shapeOrBatch)
                    && r.get("what").asText().equals(what)) {
                return Optional.of(r.get("ms").asDouble());
            }
        }
        return Optional.empty();
    }

    /** Runs one training step of the named ReLU network in the peer; its time in ms, or empty once the peer has failed. */
    Optional<Double> stepMs(String network) {
        return ask(Map.of("step", network, "count", 1)).map(r -> r.get("ms").get(0).asDouble());
    }

    /** Whether the peer can still answer. */
    boolean running() {
        return process != null && notMeasured == null;
    }

    /** The peer's peak resident memory, once {@link #close()} has asked for it. */
    OptionalLong peakRssMb() {
        return peakRssMb < 0 ? OptionalLong.empty() : OptionalLong.of(peakRssMb);
    }

    String describe() {
        if (description == null) {
            return "not measured (" + notMeasured + ")";
        }
        List<String> blas = new ArrayList<>();
        description.get("blas").forEach(b -> blas.add(b.asText()));
        return "PyTorch " + description.get("torch").asText() + " (Python " + description.get("python").asText() + "), "
                + description.get("threads").asInt() + " threads, BLAS " + (blas.isEmpty() ? "not found in the process" : String.join(", ", blas))
                + peakRssMb().stream().mapToObj(m -> "; peak RSS " + m + " MB").findFirst().orElse("")
                + (notMeasured != null ? "; stopped: " + notMeasured : "");
    }

    /** Asks for the peer's peak RSS and lets it exit. */
    @Override
    public void close() {
        if (running()) {
            ask(Map.of("quit", true)).ifPresent(r -> peakRssMb = r.get("peak_rss_mb").asLong());
        }
        if (process != null) {
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    kill();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                kill();
            }
        }
    }

    /** Sends one request; its reply, or empty (and the reason kept) when the peer failed or answered with an error. */
    private Optional<JsonNode> ask(Map<String, Object> request) {
        if (!running()) {
            return Optional.empty();
        }
        try {
            requests.write(JSON.writeValueAsString(request));
            requests.write('\n');
            requests.flush();
        } catch (IOException e) {
            notMeasured = "the peer stopped reading requests (" + e.getMessage() + ")";
            kill();
            return Optional.empty();
        }
        Optional<JsonNode> reply = reply();
        if (reply.isPresent() && reply.get().has("error")) {
            notMeasured = "request " + request + ": " + reply.get().get("error").asText();
            kill();
            return Optional.empty();
        }
        return reply;
    }

    private Optional<JsonNode> reply() {
        try {
            String line = replies.readLine();
            if (line == null) {
                notMeasured = "the peer exited with status " + exitStatus();
                return Optional.empty();
            }
            return Optional.of(JSON.readTree(line));
        } catch (IOException e) {
            notMeasured = "unreadable reply from the peer: " + e.getMessage();
            kill();
            return Optional.empty();
        }
    }

    private String exitStatus() {
        try {
            return process.waitFor(30, TimeUnit.SECONDS) ? String.valueOf(process.exitValue()) : "unknown (still running)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown (interrupted)";
        }
    }

    private void kill() {
        if (process != null) {
            process.destroyForcibly();
        }
    }
}
