package org.convrelu.nn.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A log that is not a terminal shows life within an epoch, at the interval, and a line per epoch. */
class ProgressTest {

    @Test
    void aLogGetsALineWithinAnEpochOncePerInterval() throws InterruptedException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Progress p = new Progress(new PrintStream(bytes, true, StandardCharsets.UTF_8), false, 3, Duration.ofMillis(50));
        p.startEpoch(0);
        p.step(0, 1, 10, 2.3, 10, 64); // before the interval: nothing
        Thread.sleep(80);
        p.step(0, 2, 10, 2.2, 12, 128);
        p.step(0, 3, 10, 2.1, 13, 192); // within the next interval: nothing
        String log = bytes.toString(StandardCharsets.UTF_8);
        assertThat(log.lines()).hasSize(1);
        assertThat(log).contains("epoch 1/3: batch 2/10, loss 2.2000, top-1 12.0%").contains("epoch ETA 0:00:");
    }

    @Test
    void theDefaultIntervalIsAMinute() {
        assertThat(Progress.LOG_INTERVAL).isLessThanOrEqualTo(Duration.ofSeconds(60));
    }
}
