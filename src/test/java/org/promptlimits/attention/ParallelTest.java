package org.promptlimits.attention;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.promptlimits.check.Interrupts;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The worker pool: shares are the contiguous split on every call, whether a pool thread was spinning, parked or new;
 * failures and interruptions end the call as before; spinning threads never outnumber the processors.
 */
class ParallelTest {

    private static final int PROCESSORS = Runtime.getRuntime().availableProcessors();

    @AfterEach
    void clearFlag() {
        Thread.interrupted();
    }

    /**
     * Runs one call and checks that share w got exactly [⌊tasks·w/workers⌋, ⌊tasks·(w+1)/workers⌋), share 0 on the
     * caller, the others on daemon pool threads with no interrupt left from an earlier call.
     */
    private static void checkedCall(int workers, int tasks) {
        AtomicIntegerArray runs = new AtomicIntegerArray(tasks);
        int[][] range = new int[workers][];
        Thread[] thread = new Thread[workers];
        AtomicReference<String> wrong = new AtomicReference<>();
        Parallel.shares(workers, tasks, "test", (w, from, to) -> {
            range[w] = new int[] {from, to};
            thread[w] = Thread.currentThread();
            if (w > 0 && (!thread[w].isDaemon() || !thread[w].getName().equals("promptlimits-worker")
                    || thread[w].isInterrupted())) {
                wrong.set("share " + w + " on " + thread[w] + ", interrupted " + thread[w].isInterrupted());
            }
            for (int t = from; t < to; t++) {
                runs.incrementAndGet(t);
            }
        });
        assertEquals(null, wrong.get());
        for (int w = 0; w < workers; w++) {
            assertEquals((int) ((long) tasks * w / workers), range[w][0], "share " + w + " of " + workers);
            assertEquals((int) ((long) tasks * (w + 1) / workers), range[w][1], "share " + w + " of " + workers);
            assertTrue(w == 0 ? thread[w] == Thread.currentThread() : thread[w] != Thread.currentThread(),
                    "share " + w + " on " + thread[w]);       // a pool thread may take two shares one after another
        }
        for (int t = 0; t < tasks; t++) {
            assertEquals(1, runs.get(t), "task " + t);
        }
    }

    @Test
    void manyCallsFromSeveralThreadsGetTheContiguousSplit() throws Exception {
        List<Thread> callers = new ArrayList<>();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        for (int c = 0; c < 3; c++) {
            Random random = new Random(c);
            Thread caller = new Thread(() -> {
                try {
                    for (int i = 0; i < 1500; i++) {
                        checkedCall(1 + random.nextInt(3), random.nextInt(40));
                        if (i % 100 == 99) {            // past the spin: the pool threads park, then take work again
                            Thread.sleep(3 * Parallel.SPIN_NANOS / 1_000_000 + 1);
                        }
                    }
                    checkedCall(PROCESSORS + 3, 100);   // more shares than processors
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            caller.start();
            callers.add(caller);
        }
        for (Thread caller : callers) {
            caller.join();
        }
        assertTrue(failures.isEmpty(), () -> failures.peek().toString());
    }

    private static final class ShareFailed extends RuntimeException {
        ShareFailed(String message) {
            super(message);
        }
    }

    @Test
    void aFailingShareIsRethrownAsItIsAndTheOthersAreInterrupted() throws Exception {
        for (int failing = 0; failing < 3; failing++) {
            ShareFailed failure = new ShareFailed("share " + failing);
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch stopped = new CountDownLatch(1);
            int f = failing;
            ShareFailed thrown = assertThrows(ShareFailed.class, () -> Parallel.shares(3, 3, "test", (w, from, to) -> {
                if (w == f) {
                    if (f != 2) {
                        await(started);                 // (a share not started when the call fails never starts)
                    }
                    throw failure;
                }
                if (w == 2) {                           // runs until the failure interrupts it
                    started.countDown();
                    try {
                        while (true) {
                            Interrupts.check();
                            Thread.onSpinWait();
                        }
                    } finally {
                        stopped.countDown();
                    }
                }
            }));
            assertSame(failure, thrown);
            if (failing != 2) {
                assertTrue(stopped.await(10, TimeUnit.SECONDS), "share 2 not interrupted");
            }
            checkedCall(3, 30);                         // the interrupt ended with that call
        }
    }

    @Test
    void anInterruptWhileWaitingForTheOtherSharesEndsTheCall() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Parallel.shares(2, 2, "test",
                (w, from, to) -> {
                    if (w == 0) {
                        await(started);
                        Thread.currentThread().interrupt();     // as the Stop button would, once share 0 is done
                        return;
                    }
                    started.countDown();
                    try {
                        while (true) {
                            Interrupts.check();
                            Thread.onSpinWait();
                        }
                    } finally {
                        stopped.countDown();
                    }
                }));
        assertEquals("test interrupted", e.getMessage());
        assertTrue(Thread.interrupted());               // the flag is kept for code further up
        assertTrue(stopped.await(10, TimeUnit.SECONDS), "share 1 not interrupted");
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(10, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void anInterruptedThreadDoesNotSpin() {
        AtomicInteger asked = new AtomicInteger();
        Thread.currentThread().interrupt();
        assertFalse(Parallel.spinWait(() -> asked.incrementAndGet() < 0));
        assertTrue(asked.get() <= 2, "asked " + asked.get() + " times");   // spinning 1 ms asks thousands of times
        Thread.interrupted();
        assertTrue(Parallel.spinWait(() -> asked.incrementAndGet() > 5));
    }

    /** The most threads seen spinning {waiting for work, for a result, in all} while {@code during} runs. */
    private static int[] spinningWhile(Thread during) {
        int[] most = new int[3];
        while (during.isAlive()) {
            int[] s = Parallel.spinning();
            most[0] = Math.max(most[0], s[0]);
            most[1] = Math.max(most[1], s[1]);
            most[2] = Math.max(most[2], s[0] + s[1]);
        }
        return most;
    }

    /**
     * A call of {@code workers} shares whose shares 1.. wait until the caller has waited 5 ms for them (blocked or
     * spinning); returns the most threads seen spinning meanwhile.
     */
    private static int[] waitingCaller(int workers) throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Thread> caller = new AtomicReference<>();
        Thread call = new Thread(() -> Parallel.shares(workers, workers, "test", (w, from, to) -> {
            if (w == 0) {
                caller.set(Thread.currentThread());
                return;
            }
            await(release);
        }));
        call.start();
        Thread watch = new Thread(() -> {
            long end = System.nanoTime() + 5 * Parallel.SPIN_NANOS;
            while (System.nanoTime() - end < 0) {
                Thread.onSpinWait();
            }
            release.countDown();
        });
        watch.start();
        int[] most = spinningWhile(watch);
        call.join();
        return most;
    }

    @Test
    void spinningThreadsNeverOutnumberTheProcessors() throws Exception {
        for (int i = 0; i < 5; i++) {
            int[] most = waitingCaller(PROCESSORS + 1);
            assertEquals(0, most[1], "a caller of more shares than processors spun");
            assertTrue(most[2] <= PROCESSORS, "spinning: " + most[2]);
        }
        // After a call of many shares, at most PROCESSORS - 1 of its threads spin for the next one.
        for (int i = 0; i < 5; i++) {
            Thread call = new Thread(() -> checkedCall(2 * PROCESSORS + 1, 50));
            Thread after = new Thread(() -> {
                try {
                    call.join();
                } catch (InterruptedException e) {
                    return;
                }
                long end = System.nanoTime() + 2 * Parallel.SPIN_NANOS;
                while (System.nanoTime() - end < 0) {
                    Thread.onSpinWait();
                }
            });
            call.start();
            after.start();
            int[] most = spinningWhile(after);
            assertTrue(most[0] <= PROCESSORS - 1, "spinning for work: " + most[0]);
            assertTrue(most[2] <= PROCESSORS, "spinning: " + most[2]);
        }
    }

    @Test
    void aCallerOfNoMoreSharesThanProcessorsSpinsBeforeBlocking() throws Exception {
        if (PROCESSORS < 2) {
            assertEquals(0, waitingCaller(2)[2], "one processor: nothing spins");
            return;
        }
        boolean seen = false;
        for (int i = 0; i < 20 && !seen; i++) {         // the watching thread may miss a spin when cores are busy
            seen = waitingCaller(2)[1] == 1;
        }
        assertTrue(seen, "the caller never spun");
    }
}
