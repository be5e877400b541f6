package org.promptlimits.check;

/**
 * Cooperative interruption for long library loops. The notebook kernel stops a running cell by
 * interrupting its thread; code in library jars sees that only when it asks, so every loop that can run
 * longer than about 100 ms calls {@link #check()} once per pass of its outer loop.
 *
 * <p>The check costs one read of the thread's interrupt status. It never clears the status, so code
 * further up the stack sees the interruption as well.
 */
public final class Interrupts {

    private Interrupts() {
    }

    /** @throws Interrupted when the current thread has been interrupted */
    public static void check() {
        if (Thread.currentThread().isInterrupted()) {
            throw new Interrupted();
        }
    }

    /** Thrown by {@link #check()}: the computation was stopped on request, its partial results discarded. */
    public static final class Interrupted extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public Interrupted() {
            super("interrupted: the computation was stopped on request", null, false, false);
        }
    }
}
