package org.convrelu.experiments.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import static org.assertj.core.api.Assertions.assertThat;

/** A GPU that ND4J's CUDA 11.6 build cannot run is refused at once, with the reason, before anything is built. */
class GpuCheckTest {
    @TempDir
    Path tmp;

    @ParameterizedTest(name = "compute capability {0}: refused {1}")
    @CsvSource({"3.5, true", "3.7, false", "7.5, false", "8.0, false", "8.6, false", "8.9, false", "9.0, true", "10.0, true",
        "12.0, true", "unknown, false"})
    void theMatrixFollowsTheCubinsInTheBuild(String capability, boolean refused) {
        assertThat(CudaCompatibility.refusal(capability)).as(capability).matches(r -> r.isPresent() == refused);
    }

    /** {@code scripts/gpu-check} on a machine whose (stubbed) {@code nvidia-smi} reports an H100. */
    @Test
    void gpuCheckStopsOnAHopperGpuBeforeTheBuild() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path smi = bin.resolve("nvidia-smi");
        Files.writeString(smi, """
                #!/bin/sh
                case "$1" in
                  --query-gpu=name,compute_cap,driver_version,memory.total) echo "NVIDIA H100 80GB HBM3, 9.0, 550.54.15, 81559 MiB" ;;
                  --query-gpu=driver_version) echo "550.54.15" ;;
                  --query-gpu=compute_cap) echo "9.0" ;;
                esac
                """);
        Files.setPosixFilePermissions(smi, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path repo = Path.of("..").toAbsolutePath().normalize();
        ProcessBuilder pb = new ProcessBuilder("bash", "scripts/gpu-check").directory(repo.toFile()).redirectErrorStream(true);
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isEqualTo(1);
        assertThat(out).contains("GPU: NVIDIA H100").contains("compute capability 9.0")
                .contains("cannot run on this GPU").contains("Hopper (9.0) and Blackwell").contains("docs/gpu.md")
                .doesNotContain("== build");
    }
}
