package org.convrelu.experiments.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.convrelu.datasets.DataDir;
import org.convrelu.experiments.cli.Cli;
import static org.assertj.core.api.Assertions.assertThat;

/** The suite's command line in JVMs of their own, on the test classpath, and the smoke cells they leave in a run store. */
final class SuiteProcesses {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SuiteProcesses() {}

    /** {@code java [jvmOptions] … Cli [cell] --runs runs --data <the data directory>}. */
    static List<String> cellCommand(List<String> jvmOptions, List<String> cell, Path runs) {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "--add-modules",
                "jdk.incubator.vector", "-Xmx2g", "-Dorg.bytedeco.javacpp.maxbytes=4G", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Cli.class.getName()));
        cmd.addAll(cell);
        cmd.addAll(List.of("--runs", runs.toString(), "--data", DataDir.resolve().root().toString()));
        return cmd;
    }

    /** The one smoke cell's directory in {@code runs}. */
    static Path smokeCellDir(Path runs) throws IOException {
        try (Stream<Path> dirs = Files.list(runs.resolve("smoke"))) {
            return dirs.filter(Files::isDirectory).findFirst().orElseThrow();
        }
    }

    /** The one smoke cell's result in {@code runs}. */
    static JsonNode smokeResult(Path runs) throws IOException {
        return JSON.readTree(smokeCellDir(runs).resolve("result.json").toFile());
    }

    /** Every learned threshold, every epoch's training loss and the top-1 of {@code b} are {@code a}'s, to the last bit. */
    static void assertTrainedAlike(JsonNode a, JsonNode b) {
        assertThat(b.get("thresholds")).isEqualTo(a.get("thresholds"));
        for (int e = 0; e < a.get("epochs").size(); e++) {
            assertThat(b.get("epochs").get(e).get("trainLoss").asDouble()).isEqualTo(a.get("epochs").get(e).get("trainLoss").asDouble());
        }
        assertThat(b.get("top1").asDouble()).isEqualTo(a.get("top1").asDouble());
    }
}
