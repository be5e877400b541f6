package org.promptlimits.attention;

import org.junit.jupiter.api.Test;

import org.promptlimits.check.Interrupts;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParallelTest {

    /**
     * Every share runs once, with its own tasks, whether its pool thread or the calling thread runs it (with many
     * workers, the calling thread finishes its share before some pool threads start, and runs theirs).
     */
    @Test
    void everyShareRunsOnceWithItsTasks() {
        for (int workers : new int[] {1, 2, 3, 7, 64, Parallel.MAX_WORKERS}) {
            for (int tasks : new int[] {0, 1, 5, 1000}) {
                AtomicIntegerArray runs = new AtomicIntegerArray(workers);
                AtomicIntegerArray taskRuns = new AtomicIntegerArray(Math.max(1, tasks));
                Parallel.shares(workers, tasks, "test", (w, from, to) -> {
                    runs.incrementAndGet(w);
                    assertEquals((int) ((long) tasks * w / workers), from);
                    assertEquals((int) ((long) tasks * (w + 1) / workers), to);
                    for (int t = from; t < to; t++) {
                        taskRuns.incrementAndGet(t);
                    }
                });
                for (int w = 0; w < workers; w++) {
                    assertEquals(1, runs.get(w), "share " + w + " of " + workers);
                }
                for (int t = 0; t < tasks; t++) {
                    assertEquals(1, taskRuns.get(t), "task " + t);
                }
            }
        }
    }

    @Test
    void aSharesExceptionIsRethrownAsItIs() {
        IllegalArgumentException e = new IllegalArgumentException("share 3");
        for (int bad : new int[] {0, 3}) {
            assertSame(e, assertThrows(IllegalArgumentException.class, () -> Parallel.shares(4, 4, "test",
                    (w, from, to) -> {
                        if (w == bad) {
                            throw e;
                        }
                    })));
        }
    }

    /** A calling thread interrupted before the call: no share runs, the call ends, the interrupt status stays. */
    @Test
    void anInterruptedCallerRunsNoShare() {
        for (int workers : new int[] {1, 2, 4}) {
            AtomicInteger runs = new AtomicInteger();
            Thread.currentThread().interrupt();
            assertThrows(Interrupts.Interrupted.class,
                    () -> Parallel.shares(workers, 100, "test", (w, from, to) -> runs.incrementAndGet()));
            assertTrue(Thread.interrupted(), "the interrupt status is kept");
            assertEquals(0, runs.get(), "shares run with " + workers + " workers");
            Parallel.shares(workers, 100, "test", (w, from, to) -> runs.incrementAndGet());
            assertEquals(workers, runs.get(), "shares run after the interrupt was cleared");
        }
    }
}
