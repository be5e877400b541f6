package org.promptlimits.attention;

import org.promptlimits.check.Require;

import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Work of the attention kernels split over threads: tasks [0, tasks) in {@code workers} contiguous shares, share
 * w = [⌊tasks·w/workers⌋, ⌊tasks·(w+1)/workers⌋) on its own daemon thread and share 0 on the calling thread.
 * The split depends only on (tasks, workers), so a kernel that adds per-share partial results in share order
 * gives the same bits on every run with the same thread count. The daemon threads are kept between calls (an idle
 * one ends after a minute), so a call pays no thread start-up: that mattered for attention calls of a few
 * milliseconds.
 *
 * <p>Waiting spins before it blocks ({@link #spinWait}): a thread that has finished a share waits up to
 * {@link #SPIN_NANOS} for the next one, and the caller waits as long for the other shares to end, before parking.
 * A parked thread takes tens of microseconds to run again (on a 2-vCPU virtual machine a park/unpark hand-over took
 * 16–39 µs by median, 0.05–0.2 ms at the 99th percentile; in back-to-back calls of 2 ms the pool thread began its
 * share 50–60 µs after the call began and the caller returned 45–55 µs after the last share ended, against 5–8 µs
 * and 2 µs with both spinning), which calls of a millisecond or two made one after another feel. Spinning never
 * takes more threads than there are processors, and threads spinning for work leave one processor to the threads
 * that hand it out.
 */
public final class Parallel {

    /** One share of the work. */
    public interface Share {
        void run(int worker, int fromTask, int toTask);
    }

    /** The most threads one call starts (a thread per share: far more than cores only costs memory). */
    public static final int MAX_WORKERS = 1024;

    /**
     * How long a waiting thread spins before it blocks: 1 ms. It is a few times the slowest hand-overs of a parked
     * thread measured (above; a pool thread's start 0.18–0.29 ms after the caller's under load), so a spin that ends
     * for nothing costs the processor about what a few hand-overs would have; and it covers what a pool thread waits
     * for between back-to-back calls: the tail of the other shares (up to 0.4 ms at the 90th percentile in calls of
     * 2 ms) and the next call's checks.
     */
    public static final long SPIN_NANOS = 1_000_000;

    /** An idle thread ends after this long without work. */
    static final long KEEP_ALIVE_NANOS = 60_000_000_000L;

    private static final int PROCESSORS = Runtime.getRuntime().availableProcessors();

    /**
     * Threads spinning now: those waiting for work in the low 16 bits, those waiting for a result above them. At
     * most {@link #PROCESSORS} spin in all, and at most one fewer wait for work.
     */
    private static final AtomicInteger SPINNING = new AtomicInteger();

    private static final int FOR_WORK = 1;
    private static final int FOR_RESULT = 1 << 16;

    /** Idle threads, the latest on top (the one most likely still spinning). */
    private static final ConcurrentLinkedDeque<Worker> IDLE = new ConcurrentLinkedDeque<>();

    private Parallel() {
    }

    /**
     * Runs every share and waits for all of them. A share's RuntimeException is rethrown as it is; on a failure or
     * an interruption the other shares are interrupted (they stop at their next interrupt check).
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
        FutureTask<?>[] others = new FutureTask<?>[workers - 1];
        boolean done = false;
        try {
            for (int w = 1; w < workers; w++) {
                int id = w;
                others[w - 1] = new FutureTask<>(() -> share.run(id, (int) ((long) tasks * id / workers),
                        (int) ((long) tasks * (id + 1) / workers)), null);
                hand(others[w - 1]);
            }
            share.run(0, 0, (int) ((long) tasks / workers));
            if (workers <= PROCESSORS) {                // more shares than processors: theirs need the cores
                spinWait(() -> allDone(others));
            }
            for (FutureTask<?> f : others) {
                f.get();
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
                for (FutureTask<?> f : others) {        // the others stop at their next interrupt check
                    if (f != null) {
                        f.cancel(true);
                    }
                }
            }
        }
    }

    /**
     * Spins until {@code ready} is true, for at most {@link #SPIN_NANOS}, if fewer threads than processors spin
     * now; stops early when this thread is interrupted. For a thread that waits for another's result and blocks
     * if this returns false (which wakes it later than a spin would).
     *
     * @return whether ready became true
     */
    public static boolean spinWait(BooleanSupplier ready) {
        Require.notNull("ready", ready);
        return spin(ready, FOR_RESULT);
    }

    /** Threads spinning now: {waiting for work, waiting for a result}; for tests. */
    static int[] spinning() {
        int s = SPINNING.get();
        return new int[] {s & (FOR_RESULT - 1), s >>> 16};
    }

    /**
     * {@link #spinWait} for a thread waiting for work ({@link #FOR_WORK}) or for a result ({@link #FOR_RESULT}): it
     * spins only if fewer than {@link #PROCESSORS} threads spin now, and fewer than {@code PROCESSORS - 1} of them
     * wait for work if it does.
     */
    private static boolean spin(BooleanSupplier ready, int kind) {
        if (ready.getAsBoolean()) {
            return true;
        }
        int s;
        do {
            s = SPINNING.get();
            int forWork = s & (FOR_RESULT - 1);
            if (forWork + (s >>> 16) >= PROCESSORS || kind == FOR_WORK && forWork >= PROCESSORS - 1) {
                return false;
            }
        } while (!SPINNING.compareAndSet(s, s + kind));
        try {
            long end = System.nanoTime() + SPIN_NANOS;
            Thread self = Thread.currentThread();
            while (!ready.getAsBoolean()) {
                if (System.nanoTime() - end >= 0 || self.isInterrupted()) {
                    return false;
                }
                Thread.onSpinWait();
            }
            return true;
        } finally {
            SPINNING.addAndGet(-kind);
        }
    }

    private static boolean allDone(FutureTask<?>[] tasks) {
        for (FutureTask<?> f : tasks) {
            if (!f.isDone()) {
                return false;
            }
        }
        return true;
    }

    /** Gives a task to an idle thread (the latest to become idle), or to a new one. */
    private static void hand(Runnable task) {
        for (Worker w = IDLE.pollFirst(); w != null; w = IDLE.pollFirst()) {
            if (w.slot.compareAndSet(null, task)) {     // fails only for a thread that has just ended
                if (w.parked) {
                    LockSupport.unpark(w.thread);
                }
                return;
            }
        }
        Worker w = new Worker(task);
        w.thread.start();
    }

    /** A pool thread: runs the task in its slot, then waits for the next one (spinning first), or ends when idle. */
    private static final class Worker implements Runnable {

        /** Ends a thread: set in place of a task by the thread itself, so that no task is handed to it after. */
        private static final Runnable ENDED = () -> {
        };

        final AtomicReference<Runnable> slot;
        final Thread thread;
        volatile boolean parked;
        private final BooleanSupplier hasTask;

        Worker(Runnable first) {
            slot = new AtomicReference<>(first);
            hasTask = () -> slot.get() != null;
            thread = new Thread(this, "promptlimits-worker");
            thread.setDaemon(true);
        }

        @Override
        public void run() {
            Runnable task = slot.get();
            while (task != null) {
                task.run();                             // a FutureTask: keeps whatever the share throws
                Thread.interrupted();                   // a cancelled share's interrupt ends with it
                slot.set(null);
                IDLE.addFirst(this);
                task = next();
            }
        }

        /** The next task, or null when this thread has waited {@link #KEEP_ALIVE_NANOS} and ends. */
        private Runnable next() {
            spin(hasTask, FOR_WORK);
            long end = System.nanoTime() + KEEP_ALIVE_NANOS;
            parked = true;                              // before the slot is read: a hand-over then unparks
            try {
                for (Runnable t = slot.get(); ; t = slot.get()) {
                    if (t != null) {
                        return t;
                    }
                    long left = end - System.nanoTime();
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
            } finally {
                parked = false;
            }
        }
    }
}
