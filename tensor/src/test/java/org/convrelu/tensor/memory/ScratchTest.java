package org.convrelu.tensor.memory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;

class ScratchTest {

    /**
     * The kernels' parallel loops run on the common pool, whose workers erase their thread-locals
     * after each parallel stream's task; a worker must still get back the array it had in an
     * earlier loop.
     */
    @Test
    void aCommonPoolWorkerKeepsItsArraysFromLoopToLoop() {
        Thread caller = Thread.currentThread();
        Map<Thread, List<float[]>> seen = Collections.synchronizedMap(new IdentityHashMap<>());
        // Each element parks briefly so that the caller cannot finish a loop alone before a
        // worker wakes; loops go on until some worker has taken part in two of them.
        for (int loop = 0; loop < 500 && !someWorkerRanTwice(seen); loop++) {
            IntStream.range(0, 64).parallel().forEach(i -> {
                if (Thread.currentThread() != caller) {
                    float[] a = Scratch.floats(0, 1000);
                    seen.computeIfAbsent(Thread.currentThread(), t -> Collections.synchronizedList(new ArrayList<>())).add(a);
                }
                LockSupport.parkNanos(50_000);
            });
        }
        assertThat(someWorkerRanTwice(seen)).as("some worker ran in more than one of 500 loops").isTrue();
        synchronized (seen) {
            for (List<float[]> arrays : seen.values()) {
                assertThat(arrays).allSatisfy(a -> assertThat(a).isSameAs(arrays.get(0)));
            }
        }
    }

    private static boolean someWorkerRanTwice(Map<Thread, List<float[]>> seen) {
        synchronized (seen) {
            return seen.values().stream().anyMatch(arrays -> arrays.size() > 1);
        }
    }

    @Test
    void aSlotGrowsToTheLengthAskedAndThreadsDoNotShare() throws Exception {
        float[] small = Scratch.floats(1, 10);
        assertThat(Scratch.floats(1, 5)).isSameAs(small);
        float[] large = Scratch.floats(1, 100);
        assertThat(large.length).isGreaterThanOrEqualTo(100);
        assertThat(Scratch.floats(1, 100)).isSameAs(large);
        float[][] other = new float[1][];
        Thread t = new Thread(() -> other[0] = Scratch.floats(1, 100));
        t.start();
        t.join();
        assertThat(other[0]).isNotSameAs(large);
    }

    @Test
    void theArraysOfAnEndedThreadAreDroppedWhenANewThreadComes() throws Exception {
        Thread first = new Thread(() -> Scratch.floats(0, 10));
        first.start();
        first.join();
        assertThat(Scratch.holdsArraysOf(first)).isTrue();
        Thread second = new Thread(() -> Scratch.floats(0, 10));
        second.start();
        second.join();
        assertThat(Scratch.holdsArraysOf(first)).isFalse();
        assertThat(Scratch.holdsArraysOf(second)).isTrue();
    }
}
