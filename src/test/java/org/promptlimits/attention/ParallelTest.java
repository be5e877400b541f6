package org.promptlimits.attention;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

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

    /**
     * Calls made one after another from one thread reuse the same pool threads: a pool thread is idle again before
     * its call returns, and a share the calling thread took before its thread started gives that thread back, so
     * 2000 back-to-back calls of two workers start at most one pool thread, with shares of 20 µs (where the calling
     * thread often takes share 1) and of 0.
     */
    @Test
    void backToBackCallsStartNoThreadBeyondTheWorkers() {
        for (long shareNanos : new long[] {20_000, 0}) {
            Parallel.shares(2, 2, "test", (w, from, to) -> {
            });
            int started = Parallel.startedThreads();
            java.util.Set<Thread> ranShareOne = java.util.concurrent.ConcurrentHashMap.newKeySet();
            for (int call = 0; call < 2000; call++) {
                Parallel.shares(2, 2, "test", (w, from, to) -> {
                    if (w == 1) {
                        ranShareOne.add(Thread.currentThread());
                    }
                    busy(shareNanos);
                });
            }
            assertTrue(Parallel.startedThreads() - started <= 1, Parallel.startedThreads() - started
                    + " pool threads started during 2000 calls of " + shareNanos + " ns shares");
            assertTrue(ranShareOne.size() <= 2, ranShareOne.size() + " threads ran share 1");
        }
    }

    /**
     * The calling thread interrupted while it waits for another share: the call fails naming itself, the interrupt
     * status is kept, and the share still running is interrupted.
     */
    @Test
    void interruptionWhileWaitingFailsTheCallAndStopsTheOthers() throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread caller = Thread.currentThread();
        Thread interrupter = new Thread(() -> {
            try {
                started.await();
                caller.interrupt();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        interrupter.start();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Parallel.shares(2, 2, "probe call",
                (w, from, to) -> {
                    try {
                        if (w == 0) {                           // share 1 runs on the pool, not here
                            started.await();
                        } else {
                            started.countDown();
                            new CountDownLatch(1).await();      // until interrupted
                        }
                    } catch (InterruptedException stop) {
                        if (w == 0) {
                            Thread.currentThread().interrupt();
                        } else {
                            stopped.countDown();
                        }
                    }
                }));
        assertEquals("probe call interrupted", e.getMessage());
        assertTrue(Thread.interrupted(), "the interrupt status is kept");
        assertTrue(stopped.await(30, TimeUnit.SECONDS), "the share still running was interrupted");
        interrupter.join();
    }

    /**
     * A share that fails on a pool thread ends the call at once with its exception, while another share still runs;
     * that share is interrupted. An Error of a pool thread comes wrapped, naming the call.
     */
    @Test
    void aFailureEndsTheCallAndStopsTheOthers() throws InterruptedException {
        IllegalArgumentException bad = new IllegalArgumentException("share 2");
        CountDownLatch onPool = new CountDownLatch(2);
        CountDownLatch stopped = new CountDownLatch(1);
        assertSame(bad, assertThrows(IllegalArgumentException.class, () -> Parallel.shares(3, 3, "test",
                (w, from, to) -> {
                    try {
                        if (w == 0) {                       // the caller waits until shares 1 and 2 run on the pool
                            onPool.await();
                        } else if (w == 1) {
                            onPool.countDown();
                            new CountDownLatch(1).await();  // until interrupted
                        } else {
                            onPool.countDown();
                            throw bad;
                        }
                    } catch (InterruptedException stop) {
                        stopped.countDown();
                    }
                })));
        assertTrue(stopped.await(30, TimeUnit.SECONDS), "the share still running was interrupted");
        assertFalse(Thread.currentThread().isInterrupted());
        AssertionError error = new AssertionError("broken");
        CountDownLatch poolShare = new CountDownLatch(1);
        IllegalStateException wrapped = assertThrows(IllegalStateException.class, () -> Parallel.shares(2, 2,
                "probe call", (w, from, to) -> {
                    if (w == 1) {                               // on the pool thread: the caller waits for it below
                        poolShare.countDown();
                        throw error;
                    }
                    try {
                        poolShare.await();
                    } catch (InterruptedException stop) {
                        Thread.currentThread().interrupt();
                    }
                }));
        assertSame(error, wrapped.getCause());
        assertTrue(wrapped.getMessage().startsWith("probe call worker failed: "), wrapped.getMessage());
    }

    /** Idle pool threads end after the keep-alive time, spinning or parked: none is left behind. */
    @Test
    void idleThreadsEnd() throws InterruptedException {
        Parallel.shares(8, 8, "test", (w, from, to) -> {
        });
        assertTrue(Parallel.liveThreads() > 0);
        Parallel.keepAlive(1_000_000);
        try {
            long end = System.nanoTime() + 30_000_000_000L;
            while (Parallel.liveThreads() > 0 && System.nanoTime() < end) {
                Thread.sleep(10);
            }
            assertEquals(0, Parallel.liveThreads(), "pool threads still alive");
        } finally {
            Parallel.keepAlive(Parallel.KEEP_ALIVE_NANOS);
        }
        Parallel.shares(2, 2, "test", (w, from, to) -> {
        });                                             // and a call after that starts a thread again
    }

    private static void busy(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }
}
