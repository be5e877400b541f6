package org.promptlimits.attention;

import org.promptlimits.check.Interrupts;
import org.promptlimits.check.Require;

import java.util.ArrayList;
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

    private Parallel() {
    }

    /**
     * Runs every share and waits for all of them. A share's RuntimeException is rethrown as it is.
     *
     * @throws IllegalArgumentException if workers is not in [1, {@link #MAX_WORKERS}] or tasks &lt; 0
     * @throws Interrupts.Interrupted    if the calling thread is interrupted when the call starts: then no share runs
     *                                  (a kernel checks for interrupts between its blocks, but the pool threads may
     *                                  take every block before the calling thread reaches a check)
     * @throws IllegalStateException    if the calling thread is interrupted while waiting
     */
    public static void shares(int workers, int tasks, String name, Share share) {
        Require.inRange("workers", workers, 1, MAX_WORKERS);
        Require.nonNegative("tasks", tasks);
        Require.notNull("name", name);
        Require.notNull("share", share);
        Interrupts.check();
        if (workers == 1) {
            share.run(0, 0, tasks);
            return;
        }
        List<Future<?>> futures = new ArrayList<>();
        AtomicBoolean[] taken = new AtomicBoolean[workers];
        boolean done = false;
        try {
            for (int w = 1; w < workers; w++) {
                int id = w;
                AtomicBoolean mine = taken[w] = new AtomicBoolean();
                futures.add(POOL.submit(() -> {
                    if (mine.compareAndSet(false, true)) {
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
            for (Future<?> f : futures) {
                if (f != null) {
                    f.get();
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

    /** Where share w of the tasks starts: ⌊tasks·w/workers⌋. */
    private static int from(int tasks, int w, int workers) {
        return (int) ((long) tasks * w / workers);
    }
}
