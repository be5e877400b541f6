package org.promptlimits.attention;

import org.promptlimits.check.Require;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

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
 * <p><b>Waits spin briefly, then park.</b> A pool thread that has finished a share spins for the next one, and the
 * calling thread spins for the other shares to end, each for at most {@link #spinNanos()}, before parking. A parked
 * thread runs again only tens of microseconds after it is woken (a sleeping virtual CPU has to be woken as well): on
 * a 2-vCPU virtual machine 26–33 µs by median each way, twice per call of 1–2 ms. A thread that is still spinning
 * takes the next share, or sees the last share end, at once. The spin is bounded by the wake-up latency this pool
 * measures itself: twice the lower quartile of the last {@value WakeLatency#SAMPLES} hand-overs to a parked thread
 * (from the hand-over to the thread running; the lower quartile, because a hand-over that found no processor free
 * measures the machine's load, not the wake-up), and nothing before the first hand-over has been measured. A thread
 * spins only if it had a processor to itself during its share (its CPU time at least 15/16 of the wall time): a
 * spinning thread never sleeps, so the scheduler stops preferring it over another process's thread when both want
 * a core, and the call then runs slower throughout (a spin of 1 ms made two-thread calls 1.5× slower beside one busy
 * process). At most {@code processors − 1} pool threads spin at a time, none on a single processor, and the calling
 * thread spins only when the call has no more shares than there are processors.
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

    private static final int PROCESSORS = Runtime.getRuntime().availableProcessors();

    /** Pool threads waiting for a share, the latest on top (the one most likely still spinning). */
    private static final ConcurrentLinkedDeque<Worker> IDLE = new ConcurrentLinkedDeque<>();

    /** Pool threads spinning for a share now; at most {@link #PROCESSORS} − 1. */
    private static final AtomicInteger SPINNING = new AtomicInteger();

    /** Pool threads alive now. */
    private static final AtomicInteger LIVE = new AtomicInteger();

    /** Shares handed to a pool thread that was spinning for one, and to one that had parked; for tests. */
    private static final AtomicInteger TO_SPINNING = new AtomicInteger();
    private static final AtomicInteger TO_PARKED = new AtomicInteger();

    private static final WakeLatency WAKE = new WakeLatency();

    private Parallel() {
    }

    /**
     * Runs every share and waits for all of them. A share's RuntimeException is rethrown as it is; when a share
     * fails or the calling thread is interrupted, the shares still running are interrupted (they stop at their next
     * interrupt check) and the shares not started never run.
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
        Call call = new Call(workers - 1);
        FutureTask<?>[] others = new FutureTask<?>[workers - 1];
        AtomicBoolean[] taken = new AtomicBoolean[workers];
        boolean done = false;
        try {
            for (int w = 1; w < workers; w++) {
                int id = w;
                AtomicBoolean mine = taken[w] = new AtomicBoolean();
                others[w - 1] = new FutureTask<>(() -> {
                    if (mine.compareAndSet(false, true)) {
                        call.run(() -> share.run(id, from(tasks, id, workers), from(tasks, id + 1, workers)));
                    }
                }, null);
                hand(others[w - 1]);
            }
            long wall = System.nanoTime();
            long cpu = OwnCore.cpuTime();
            share.run(0, 0, from(tasks, 1, workers));
            for (int w = 1; w < workers; w++) {     // a share whose thread has not started yet: run it here
                if (taken[w].compareAndSet(false, true)) {
                    share.run(w, from(tasks, w, workers), from(tasks, w + 1, workers));
                    others[w - 1] = null;
                    call.ended(null);
                }
            }
            boolean spin = workers <= PROCESSORS && OwnCore.had(wall, cpu);
            if (!call.await(spin ? WAKE.spinNanos() : 0)) {
                Thread.currentThread().interrupt();
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
                for (FutureTask<?> f : others) {    // the others stop at their next interrupt check
                    if (f != null) {
                        f.cancel(true);
                    }
                }
            }
        }
    }

    /**
     * How long a waiting thread spins before it parks, in nanoseconds: twice the lower quartile of the last
     * {@value WakeLatency#SAMPLES} hand-overs of a share to a parked pool thread, 0 before the first was measured.
     */
    static long spinNanos() {
        return WAKE.spinNanos();
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

    /** Shares handed so far to a pool thread that was spinning for one, and to one that had parked; for tests. */
    static int[] handOvers() {
        return new int[] {TO_SPINNING.get(), TO_PARKED.get()};
    }

    /** Where share w of the tasks starts: ⌊tasks·w/workers⌋. */
    private static int from(int tasks, int w, int workers) {
        return (int) ((long) tasks * w / workers);
    }

    /** Gives a share to an idle pool thread (the latest to become idle), or to a new one. */
    private static void hand(Runnable task) {
        for (Worker w = IDLE.pollFirst(); w != null; w = IDLE.pollFirst()) {
            w.handedAt = System.nanoTime();
            if (w.slot.compareAndSet(null, task)) {     // fails only for a thread that has just ended
                if (w.parked) {
                    TO_PARKED.incrementAndGet();
                    LockSupport.unpark(w.thread);
                } else {
                    TO_SPINNING.incrementAndGet();
                }
                return;
            }
        }
        Worker w = new Worker(task);
        try {
            w.thread.start();
        } catch (RuntimeException | Error e) {     // no thread to be had: the call fails, its others are cancelled
            LIVE.decrementAndGet();
            throw e;
        }
    }

    /** Spins while {@code waiting} holds, for at most {@code nanos}; returns whether it stopped holding. */
    private static boolean spin(long nanos, BooleanSupplier waiting) {
        long end = System.nanoTime() + nanos;
        while (waiting.getAsBoolean()) {
            if (System.nanoTime() - end >= 0) {
                return false;
            }
            Thread.onSpinWait();
        }
        return true;
    }

    /** The shares of one call that pool threads run: how many are still running, and the first failure. */
    private static final class Call {
        private final Thread caller = Thread.currentThread();
        private final AtomicInteger running;
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        private volatile boolean callerParked;

        Call(int shares) {
            running = new AtomicInteger(shares);
        }

        /** Runs a share on a pool thread; what it throws is kept as the call's failure (if it is the first). */
        void run(Runnable share) {
            Throwable thrown = null;
            try {
                share.run();
            } catch (Throwable e) {
                thrown = e;
                throw e;
            } finally {
                ended(thrown);
            }
        }

        /** A share has ended, failing if {@code thrown} is not null; the caller is woken when it was the last. */
        void ended(Throwable thrown) {
            boolean wake = running.decrementAndGet() == 0;
            if (thrown != null) {
                wake |= failure.compareAndSet(null, thrown);
            }
            if (wake && callerParked) {
                LockSupport.unpark(caller);
            }
        }

        private boolean waiting() {
            return running.get() > 0 && failure.get() == null;
        }

        /**
         * Waits (spinning up to {@code spin} nanoseconds, then parked) until every share has ended or one has
         * failed; returns false if the calling thread is interrupted first (its status kept).
         */
        boolean await(long spin) {
            if (spin > 0) {
                spin(spin, () -> waiting() && !caller.isInterrupted());
            }
            callerParked = true;                    // before the state is read: a share ending now unparks
            try {
                while (waiting()) {
                    if (caller.isInterrupted()) {
                        return false;
                    }
                    LockSupport.park(this);
                }
                return true;
            } finally {
                callerParked = false;
            }
        }
    }

    /** A pool thread: runs the share in its slot, then waits for the next one (spinning first), or ends when idle. */
    private static final class Worker implements Runnable {

        /** Ends a thread: set in place of a share by the thread itself, so that no share is handed to it after. */
        private static final Runnable ENDED = () -> {
        };

        final AtomicReference<Runnable> slot;
        final Thread thread;
        volatile boolean parked;
        /** When the share in the slot was handed over (written before the slot). */
        volatile long handedAt;

        Worker(Runnable first) {
            slot = new AtomicReference<>(first);
            thread = new Thread(this, "promptlimits-worker");
            thread.setDaemon(true);
            LIVE.incrementAndGet();
        }

        @Override
        public void run() {
            try {
                for (Runnable task = slot.get(); task != null; ) {
                    long wall = System.nanoTime();
                    long cpu = OwnCore.cpuTime();
                    task.run();                     // a FutureTask: keeps whatever the share throws
                    Thread.interrupted();           // a cancelled share's interrupt ends with it
                    boolean spin = OwnCore.had(wall, cpu);
                    slot.set(null);
                    IDLE.addFirst(this);
                    task = next(spin);
                }
            } finally {
                LIVE.decrementAndGet();
            }
        }

        /**
         * The next share, or null when this thread has waited {@link #keepAliveNanos} for one and ends; spins first
         * if {@code maySpin}.
         */
        private Runnable next(boolean maySpin) {
            long spin = maySpin ? WAKE.spinNanos() : 0;
            if (spin > 0 && reserveSpin()) {
                try {
                    if (spin(spin, () -> slot.get() == null)) {
                        return slot.get();
                    }
                } finally {
                    SPINNING.decrementAndGet();
                }
            }
            long since = System.nanoTime();
            parked = true;                          // before the slot is read: a hand-over then unparks
            try {
                boolean slept = false;
                for (Runnable t = slot.get(); ; t = slot.get()) {
                    if (t != null) {
                        if (slept) {
                            WAKE.add(System.nanoTime() - handedAt);
                        }
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
                        slept = true;
                        Thread.interrupted();       // no one interrupts an idle thread; if so, not a reason to end
                    }
                }
            } finally {
                parked = false;
            }
        }

        /** Counts this thread among the spinning ones if fewer than processors − 1 spin now. */
        private static boolean reserveSpin() {
            for (int s = SPINNING.get(); s < PROCESSORS - 1; s = SPINNING.get()) {
                if (SPINNING.compareAndSet(s, s + 1)) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * Whether a thread had a processor to itself while it ran: its CPU time was at least 15/16 of the wall time.
     * A thread that waited for a processor (another process wanted it) shows less; a share of a millisecond loses far
     * less than 1/16 to interrupts on a processor of its own.
     */
    private static final class OwnCore {
        private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
        private static final boolean MEASURED = THREADS.isCurrentThreadCpuTimeSupported()
                && THREADS.isThreadCpuTimeEnabled();

        static long cpuTime() {
            return MEASURED ? THREADS.getCurrentThreadCpuTime() : 0;
        }

        /** Whether this thread had a processor to itself since {@code wall} (nanoTime) and {@code cpu} (cpuTime). */
        static boolean had(long wall, long cpu) {
            return MEASURED && 16 * (cpuTime() - cpu) >= 15 * (System.nanoTime() - wall);
        }
    }

    /**
     * The pool's own wake-up latency: the last {@value #SAMPLES} hand-overs of a share to a parked pool thread, from
     * the hand-over to the thread running.
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
            spin = 2 * s[s.length / 4];
        }

        long spinNanos() {
            return spin;
        }
    }
}
