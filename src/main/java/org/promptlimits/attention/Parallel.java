package org.promptlimits.attention;

import org.promptlimits.check.Require;

import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Work of the attention kernels split over threads: tasks [0, tasks) in {@code workers} contiguous shares, share
 * w = [⌊tasks·w/workers⌋, ⌊tasks·(w+1)/workers⌋) on a daemon thread of this class's pool and share 0 on the calling
 * thread. The split depends only on (tasks, workers), so a kernel that adds per-share partial results in share order
 * gives the same bits on every run with the same thread count. The daemon threads are kept between calls (an idle
 * one ends after a minute), so a call pays no thread start-up: that mattered for attention calls of a few
 * milliseconds. A share whose thread has not started when the calling thread has finished its own share is run by
 * the calling thread (same worker index and tasks): on a machine whose cores are busy with other work, a pool thread
 * can wait milliseconds for a core, and a kernel that hands its work out from a counter would otherwise wait that
 * long for a share that finds nothing left to do.
 *
 * <p>A pool thread is back among the idle ones before it tells the call that its share has ended. So a caller that
 * returns and calls again at once finds it idle and hands it the next share: calls made one after another from one
 * thread never need more than {@code workers − 1} pool threads.
 */
public final class Parallel {

    /** One share of the work. */
    public interface Share {
        void run(int worker, int fromTask, int toTask);
    }

    /** The most threads one call starts (a thread per share: far more than cores only costs memory). */
    public static final int MAX_WORKERS = 1024;

    /** An idle pool thread ends after this long without a share. */
    static final long KEEP_ALIVE_NANOS = 60_000_000_000L;

    /** {@link #KEEP_ALIVE_NANOS}, lowered by tests that watch idle threads end ({@link #keepAlive}). */
    private static volatile long keepAliveNanos = KEEP_ALIVE_NANOS;

    /** Pool threads waiting for a share, the latest on top. */
    private static final ConcurrentLinkedDeque<Worker> IDLE = new ConcurrentLinkedDeque<>();

    /** Pool threads alive now, and started so far. */
    private static final AtomicInteger LIVE = new AtomicInteger();
    private static final AtomicInteger STARTED = new AtomicInteger();

    private Parallel() {
    }

    /**
     * Runs every share and waits for all of them. A share's RuntimeException is rethrown as it is; when a share
     * fails or the calling thread is interrupted, the shares still running are interrupted (they stop at their next
     * interrupt check) and the shares not started never run.
     *
     * @throws IllegalArgumentException if workers is not in [1, {@link #MAX_WORKERS}] or tasks &lt; 0
     * @throws IllegalStateException    if the calling thread is interrupted while waiting, or a share throws
     *                                  something other than a RuntimeException
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
        Call call = new Call(workers - 1);
        Task[] others = new Task[workers - 1];
        boolean done = false;
        try {
            for (int w = 1; w < workers; w++) {
                int id = w;
                others[w - 1] = new Task(call, () -> share.run(id, from(tasks, id, workers),
                        from(tasks, id + 1, workers)));
                hand(others[w - 1]);
            }
            share.run(0, 0, from(tasks, 1, workers));
            for (int w = 1; w < workers; w++) {     // a share whose thread has not started yet: run it here
                if (others[w - 1].taken.compareAndSet(false, true)) {
                    others[w - 1].worker.release(others[w - 1]);
                    share.run(w, from(tasks, w, workers), from(tasks, w + 1, workers));
                    others[w - 1] = null;
                    call.ended(null);
                }
            }
            if (!call.await()) {
                throw new IllegalStateException(name + " interrupted", new InterruptedException(name));
            }
            Throwable failure = call.failure.get();
            if (failure instanceof RuntimeException re) {
                throw re;
            } else if (failure != null) {
                throw new IllegalStateException(name + " worker failed: " + failure, failure);
            }
            done = true;
        } finally {
            if (!done) {
                for (Task t : others) {             // the others stop at their next interrupt check
                    if (t != null) {
                        t.future.cancel(true);
                    }
                }
            }
        }
    }

    /** Sets how long an idle pool thread waits before it ends, and has the idle ones read it now; for tests. */
    static void keepAlive(long nanos) {
        keepAliveNanos = nanos;
        for (Worker w : IDLE) {
            LockSupport.unpark(w.thread);
        }
    }

    /** Pool threads alive now; for tests. */
    static int liveThreads() {
        return LIVE.get();
    }

    /** Pool threads started so far; for tests. */
    static int startedThreads() {
        return STARTED.get();
    }

    /** Where share w of the tasks starts: ⌊tasks·w/workers⌋. */
    private static int from(int tasks, int w, int workers) {
        return (int) ((long) tasks * w / workers);
    }

    /** Gives a share to an idle pool thread (the latest to become idle), or to a new one. */
    private static void hand(Task task) {
        for (Worker w = IDLE.pollFirst(); w != null; w = IDLE.pollFirst()) {
            task.worker = w;
            if (w.slot.compareAndSet(null, task)) {     // fails only for a thread that is ending
                LockSupport.unpark(w.thread);
                return;
            }
        }
        Worker w = new Worker(task);
        task.worker = w;
        try {
            w.thread.start();
        } catch (RuntimeException | Error e) {      // no thread to be had: the call fails, its others are cancelled
            LIVE.decrementAndGet();
            throw e;
        }
        STARTED.incrementAndGet();
    }

    /** One share of a call for a pool thread; the calling thread takes it instead if no thread has started it. */
    private static final class Task {
        final Call call;
        final AtomicBoolean taken = new AtomicBoolean();
        /** The pool thread it was handed to; written and read by the calling thread. */
        Worker worker;
        /** Runs the share if no one has taken it; cancelled (its thread interrupted) when the call fails. */
        final FutureTask<Void> future;
        /** Written by the pool thread that ran the share, read by the same thread after. */
        boolean ran;
        Throwable thrown;

        Task(Call call, Runnable share) {
            this.call = call;
            this.future = new FutureTask<>(() -> {
                if (taken.compareAndSet(false, true)) {
                    ran = true;
                    try {
                        share.run();
                    } catch (Throwable e) {
                        thrown = e;
                    }
                }
            }, null);
        }
    }

    /** The shares of one call that pool threads run: how many are still running, and the first failure. */
    private static final class Call {
        private final Thread caller = Thread.currentThread();
        private final AtomicInteger running;
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        Call(int shares) {
            running = new AtomicInteger(shares);
        }

        /** A share has ended, failing if {@code thrown} is not null; the caller is woken when it was the last. */
        void ended(Throwable thrown) {
            boolean wake = running.decrementAndGet() == 0;
            if (thrown != null) {
                wake |= failure.compareAndSet(null, thrown);
            }
            if (wake) {
                LockSupport.unpark(caller);
            }
        }

        /**
         * Parks until every share has ended or one has failed; false if the calling thread is interrupted first
         * (its status kept).
         */
        boolean await() {
            while (running.get() > 0 && failure.get() == null) {
                if (caller.isInterrupted()) {
                    return false;
                }
                LockSupport.park(this);
            }
            return true;
        }
    }

    /** A pool thread: runs the share in its slot, is idle again, tells the call, and waits for the next share. */
    private static final class Worker implements Runnable {

        /** Set in place of a share by an ending thread itself, so that no share is handed to it after. */
        private static final Task ENDED = new Task(null, () -> {
        });

        final AtomicReference<Task> slot;
        final Thread thread;

        Worker(Task first) {
            slot = new AtomicReference<>(first);
            thread = new Thread(this, "promptlimits-worker");
            thread.setDaemon(true);
            LIVE.incrementAndGet();
        }

        @Override
        public void run() {
            try {
                // next() even for the first share: the calling thread may have taken it back before this thread ran
                for (Task task = next(); task != null; task = next()) {
                    task.future.run();
                    Thread.interrupted();           // a cancelled share's interrupt ends with it
                    release(task);                  // idle before the call hears of the end: its next call finds us
                    if (task.ran) {
                        task.call.ended(task.thrown);
                    }
                }
            } finally {
                LIVE.decrementAndGet();
            }
        }

        /**
         * Makes this thread idle again if {@code task} is still its share: by the thread itself once it has run the
         * task, or by the calling thread that took the task before this thread started it (this thread then finds
         * its slot empty, or a later share in it, and the task, if it had already read it, finds itself taken).
         * Whoever empties the slot puts the thread back among the idle ones, once.
         */
        void release(Task task) {
            if (slot.compareAndSet(task, null)) {
                IDLE.addFirst(this);
            }
        }

        /** The next share, or null when this thread has waited {@link #keepAliveNanos} for one and ends. */
        private Task next() {
            long since = System.nanoTime();
            for (Task t = slot.get(); ; t = slot.get()) {
                if (t != null) {
                    return t;
                }
                long left = since + keepAliveNanos - System.nanoTime();
                if (left <= 0) {
                    if (slot.compareAndSet(null, ENDED)) {
                        IDLE.remove(this);
                        return null;
                    }
                } else {
                    LockSupport.parkNanos(this, left);
                    Thread.interrupted();           // no one interrupts an idle thread; if so, not a reason to end
                }
            }
        }
    }
}
