package org.promptlimits.attention;

import org.promptlimits.check.Require;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Work of the attention kernels split over threads: tasks [0, tasks) in {@code workers} contiguous shares, share
 * w = [⌊tasks·w/workers⌋, ⌊tasks·(w+1)/workers⌋) on its own daemon thread and share 0 on the calling thread.
 * The split depends only on (tasks, workers), so a kernel that adds per-share partial results in share order
 * gives the same bits on every run with the same thread count. The daemon threads are kept between calls (an idle
 * one ends after a minute), so a call pays no thread start-up: that mattered for attention calls of a few
 * milliseconds. A share whose thread has not started when the calling thread has finished its own share is run by
 * the calling thread (same worker index and tasks): on a machine whose cores are busy with other work, a pool thread
 * can wait milliseconds for a core, and a kernel that hands its work out from a counter would otherwise wait that
 * long for a share that finds nothing left to do.
 *
 * <p>When the calling thread has finished its shares it spins ({@link Thread#onSpinWait}) for the others to end
 * before it parks, for at most the pool's own wake-up latency: the lower quartile of the last
 * {@value WakeLatency#SAMPLES} hand-overs of a share to a pool thread, from the submission to the share starting
 * (0 before the first is measured). A parked thread runs again only that long after it is woken, so a share that
 * ends within the spin saves the caller that wait, and one that ends later costs the caller no wall time. The caller
 * spins only when the call has no more shares than there are processors.
 */
public final class Parallel {

    /** One share of the work. */
    public interface Share {
        void run(int worker, int fromTask, int toTask);
    }

    /** The most threads one call starts (a thread per share: far more than cores only costs memory). */
    public static final int MAX_WORKERS = 1024;

    /** Daemon threads shared by all calls; a thread idle for a minute ends. */
    private static final ExecutorService POOL = Executors.newCachedThreadPool(task -> {
        Thread t = new Thread(task, "promptlimits-worker");
        t.setDaemon(true);
        return t;
    });

    private static final int PROCESSORS = Runtime.getRuntime().availableProcessors();

    private static final WakeLatency WAKE = new WakeLatency();

    private Parallel() {
    }

    /**
     * Runs every share and waits for all of them. A share's RuntimeException is rethrown as it is.
     *
     * @throws IllegalArgumentException if workers is not in [1, {@link #MAX_WORKERS}] or tasks &lt; 0
     * @throws IllegalStateException    if the calling thread is interrupted while waiting
     */
    public static void shares(int workers, int tasks, String name, Share share) {
        Require.inRange("workers", workers, 1, MAX_WORKERS);
        Require.nonNegative("tasks", tasks);
        Require.notNull("name", name);
        Require.notNull("share", share);
        if (workers == 1) {
            share.run(0, 0, tasks);
            return;
        }
        List<Future<?>> futures = new ArrayList<>();
        AtomicBoolean[] taken = new AtomicBoolean[workers];
        long[] submitted = new long[workers];
        long[] started = new long[workers];          // written by the pool thread before its share, read after it
        boolean done = false;
        try {
            for (int w = 1; w < workers; w++) {
                int id = w;
                AtomicBoolean mine = taken[w] = new AtomicBoolean();
                submitted[w] = System.nanoTime();
                futures.add(POOL.submit(() -> {
                    if (mine.compareAndSet(false, true)) {
                        started[id] = System.nanoTime();
                        share.run(id, from(tasks, id, workers), from(tasks, id + 1, workers));
                    }
                }));
            }
            share.run(0, 0, from(tasks, 1, workers));
            for (int w = 1; w < workers; w++) {     // a share whose thread has not started yet: run it here
                if (taken[w].compareAndSet(false, true)) {
                    share.run(w, from(tasks, w, workers), from(tasks, w + 1, workers));
                    futures.set(w - 1, null);
                }
            }
            long spin = workers <= PROCESSORS ? WAKE.spinNanos() : 0;
            for (long end = System.nanoTime() + spin; spin > 0 && !allDone(futures) && System.nanoTime() - end < 0; ) {
                Thread.onSpinWait();
            }
            for (Future<?> f : futures) {
                if (f != null) {
                    f.get();
                }
            }
            for (int w = 1; w < workers; w++) {
                if (futures.get(w - 1) != null && started[w] != 0) {
                    WAKE.add(started[w] - submitted[w]);
                }
            }
            done = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(name + " interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(name + " worker failed: " + e.getCause(), e.getCause());
        } finally {
            if (!done) {
                for (Future<?> f : futures) {      // the others stop at their next interrupt check
                    if (f != null) {
                        f.cancel(true);
                    }
                }
            }
        }
    }

    /** How long the calling thread spins for the other shares to end before it parks, in nanoseconds; for tests. */
    static long spinNanos() {
        return WAKE.spinNanos();
    }

    private static boolean allDone(List<Future<?>> futures) {
        for (Future<?> f : futures) {
            if (f != null && !f.isDone()) {
                return false;
            }
        }
        return true;
    }

    /** Where share w of the tasks starts: ⌊tasks·w/workers⌋. */
    private static int from(int tasks, int w, int workers) {
        return (int) ((long) tasks * w / workers);
    }

    /**
     * The pool's wake-up latency: the last {@value #SAMPLES} hand-overs of a share to a pool thread, from the
     * submission to the share starting; its lower quartile, because a hand-over that found no processor free
     * measures the machine's load, not the wake-up.
     */
    private static final class WakeLatency {
        static final int SAMPLES = 16;
        private final long[] last = new long[SAMPLES];
        private int next;
        private int filled;
        private volatile long spin;

        synchronized void add(long nanos) {
            last[next] = Math.max(0, nanos);
            next = (next + 1) % SAMPLES;
            filled = Math.min(SAMPLES, filled + 1);
            long[] s = Arrays.copyOf(last, filled);
            Arrays.sort(s);
            spin = s[s.length / 4];
        }

        long spinNanos() {
            return spin;
        }
    }
}
