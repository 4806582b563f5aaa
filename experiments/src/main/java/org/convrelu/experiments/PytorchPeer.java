package org.convrelu.experiments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What the PyTorch peer ({@code experiments/src/main/python/pytorch_peer.py}) reported, or why it
 * did not run: the same layers and ReLU networks timed by PyTorch with the same thread count.
 */
record PytorchPeer(JsonNode report, String notMeasured) {
    static final String SCRIPT = "experiments/src/main/python/pytorch_peer.py";

    /** The peer's median for one row, if it measured it. */
    Optional<Double> ms(String benchmark, String shapeOrBatch, String what) {
        if (report == null) {
            return Optional.empty();
        }
        for (JsonNode r : report.get("rows")) {
            if (r.get("benchmark").asText().equals(benchmark) && r.get("shape").asText().equals(shapeOrBatch)
                    && r.get("what").asText().equals(what)) {
                return Optional.of(r.get("ms").asDouble());
            }
        }
        return Optional.empty();
    }

    String describe() {
        if (report == null) {
            return "not measured (" + notMeasured + ")";
        }
        List<String> blas = new ArrayList<>();
        report.get("blas").forEach(b -> blas.add(b.asText()));
        return "PyTorch " + report.get("torch").asText() + " (Python " + report.get("python").asText() + "), "
                + report.get("threads").asInt() + " threads, BLAS " + (blas.isEmpty() ? "not found in the process" : String.join(", ", blas))
                + "; peak RSS " + report.get("peak_rss_mb").asLong() + " MB";
    }

    /** Runs the peer with the first Python that imports torch: $CONVRELU_PYTHON, python3, /usr/bin/python3. */
    static PytorchPeer run(Path script, boolean quick, int repeats, PrintStream log) {
        if (!Files.isRegularFile(script)) {
            return new PytorchPeer(null, "peer script not found at " + script.toAbsolutePath());
        }
        LinkedHashSet<String> pythons = new LinkedHashSet<>();
        Optional.ofNullable(System.getenv("CONVRELU_PYTHON")).filter(s -> !s.isBlank()).ifPresent(pythons::add);
        pythons.add("python3");
        pythons.add("/usr/bin/python3");
        List<String> why = new ArrayList<>();
        int threads = Runtime.getRuntime().availableProcessors();
        for (String python : pythons) {
            List<String> command = new ArrayList<>(List.of(python, script.toString(), "--threads", String.valueOf(threads),
                    "--repeats", String.valueOf(repeats)));
            if (quick) {
                command.add("--quick");
            }
            log.println("PyTorch peer: " + String.join(" ", command));
            try {
                Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
                byte[] out = p.getInputStream().readAllBytes();
                if (!p.waitFor(30, TimeUnit.MINUTES)) {
                    p.destroyForcibly();
                    why.add(python + ": timed out");
                    continue;
                }
                JsonNode report = new ObjectMapper().readTree(new String(out, StandardCharsets.UTF_8));
                if (p.exitValue() == 0 && report != null && report.has("rows")) {
                    return new PytorchPeer(report, null);
                }
                why.add(python + ": " + (report != null && report.has("error") ? report.get("error").asText() : "exit status " + p.exitValue()));
            } catch (IOException e) {
                why.add(python + ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                why.add(python + ": interrupted");
                break;
            }
        }
        return new PytorchPeer(null, String.join("; ", why));
    }
}
