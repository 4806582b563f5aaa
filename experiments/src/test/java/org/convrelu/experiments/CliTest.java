package org.convrelu.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CliTest {
    @TempDir
    Path tmp;

    private record Run(int code, String out) {}

    private static Run run(String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            int code = new CommandLine(new Cli()).execute(args);
            return new Run(code, bytes.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(saved);
        }
    }

    @Test
    void helpListsTheSubcommands() {
        Run r = run("--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("all", "table", "figure", "cell", "list", "data");
    }

    @Test
    void listShowsIndicesAndKeys() {
        Run r = run("list", "--table", "5");
        assertThat(r.out()).contains("0  CIFAR-10         R1 (First)").contains("densenet-convrelu-lastblock-cifar10-s1-");
        assertThat(run("list", "--table", "6").out()).contains("trains nothing");
    }

    @Test
    void aCellOfAMissingDatasetSaysNotRun() {
        Run r = run("cell", "--table", "1", "--index", "1", "--data", tmp.toString(), "--runs", tmp.resolve("runs").toString());
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("not run").contains("CIFAR-100 is not in the data directory");
    }

    @Test
    void badArgumentsFailWithAMessage() {
        assertThat(run("table", "7", "--out", tmp.toString()).code()).isNotZero();
        assertThat(run("cell", "--table", "1", "--index", "99", "--data", tmp.toString()).code()).isNotZero();
    }
}
