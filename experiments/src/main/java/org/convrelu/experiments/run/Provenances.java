package org.convrelu.experiments.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.convrelu.datasets.DataDir;
import org.convrelu.datasets.Dataset;
import org.convrelu.experiments.recipe.Scale;
import org.convrelu.reports.Provenance;
import org.convrelu.tensor.ops.Backends;
import org.convrelu.tensor.ops.cpu.CpuKernels;
import org.convrelu.tensor.ops.cpu.DirectConvRelu;
import org.nd4j.linalg.factory.Nd4j;

/** Where a report's numbers come from: the command, the commit, the JVM, the ND4J backend and natives, the data's checksums. */
public final class Provenances {
    private Provenances() {}

    public static Provenance of(String command, Scale scale, List<Long> seeds, DataDir data, Set<Dataset> used,
            Map<String, String> implementations) {
        Map<String, String> sums = new TreeMap<>();
        for (Dataset d : used) {
            String fingerprint = Data.fingerprint(d, data);
            sums.put(d.title(), Data.checksumStatus(d, data)
                    + (fingerprint.startsWith("sha256:") ? "; fingerprint " + fingerprint.substring(0, 7 + 16) + "…" : ""));
        }
        return new Provenance(command, scale.id(), gitCommit(), Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"), backend(), sums, seeds, implementations);
    }

    /** The ND4J version, backend, natives, BLAS and threads, and the op implementations in force. */
    public static String backend() {
        Properties build = new Properties();
        try (var in = Provenances.class.getResourceAsStream("build.properties")) {
            if (in != null) {
                build.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var env = Nd4j.getExecutioner().getEnvironmentInformation();
        return "ND4J " + build.getProperty("nd4j.version", "?") + " " + env.get("backend") + " (" + build.getProperty("nd4j.backend", "?")
                + " " + build.getProperty("nd4j.classifier", "?") + ", BLAS " + env.get("blas.vendor") + ", " + env.get("omp.threads")
                + " OpenMP threads, " + Runtime.getRuntime().availableProcessors() + " cores); " + Backends.describe();
    }

    /**
     * What fixes a cell's arithmetic on a machine, beside the code: the fused kernels' sample
     * partitions and vector width, ND4J's OpenMP threads (its native convolutions and GEMMs sum in
     * an order that depends on them) and the CPU. Two runs of a cell with the same commit and the
     * same arithmetic train to the same parameters.
     */
    public static String arithmetic() {
        var env = Nd4j.getExecutioner().getEnvironmentInformation();
        int bits = CpuKernels.vectorBits();
        return "samples in " + DirectConvRelu.PARTITIONS + " partitions; ND4J " + env.get("omp.threads") + " OpenMP thread(s); "
                + (bits > 0 ? bits + "-bit vectors" : "fused kernels off") + "; CPU " + cpuModel();
    }

    /** The CPU's model name from /proc/cpuinfo (Linux), else the architecture. */
    static String cpuModel() {
        try (var lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst()
                    .orElse(System.getProperty("os.arch"));
        } catch (IOException | UncheckedIOException e) {
            return System.getProperty("os.arch");
        }
    }

    private static String commit;

    /** The commit the code came from, "-dirty" when tracked files outside reports/results differ from it. */
    public static synchronized String gitCommit() {
        if (commit == null) {
            String head = git("rev-parse", "--short=12", "HEAD");
            String changes = git("status", "--porcelain", "--untracked-files=no", "--", ".", ":(exclude)reports/results");
            commit = head == null ? "unknown (not a git checkout)" : head + (changes == null || changes.isEmpty() ? "" : "-dirty");
        }
        return commit;
    }

    private static String git(String... args) {
        try {
            List<String> command = new ArrayList<>(List.of("git"));
            command.addAll(List.of(args));
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return p.waitFor() == 0 ? s : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
