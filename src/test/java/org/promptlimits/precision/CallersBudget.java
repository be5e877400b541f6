package org.promptlimits.precision;

import org.promptlimits.check.Format;
import org.promptlimits.check.Interrupts;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Assertions that a loop's time limit is its caller's {@link Budget}, not {@link Budget#DEFAULT}'s 60 s: each entry
 * point that takes a budget is tested both ways, in about a second each and without running anything for long (a
 * refusal comes from the estimate, decided after maxSeconds / {@link Budget#TRUST_FRACTION}).
 */
public final class CallersBudget {

    /** A time limit no test loop reaches. */
    public static final Budget UNLIMITED_TIME = Budget.DEFAULT.withMaxSeconds(1e9);

    private CallersBudget() {
    }

    /**
     * A count that {@link Budget#DEFAULT} runs is refused under {@code small} by its time estimate, with the advice
     * to pass a Budget with a larger maxSeconds. The DEFAULT run comes first, so that the small limit's early
     * decision measures compiled code.
     *
     * @param loop  the entry point with a fixed count, run under the budget it is given
     * @param small a limit below the count's time
     * @return the refusal
     */
    public static IllegalArgumentException smallRefusesWhatDefaultRuns(Consumer<Budget> loop, Budget small) {
        loop.accept(Budget.DEFAULT);
        return smallRefuses(loop, small);
    }

    /**
     * {@code loop} is refused under {@code small} by its time estimate, with the advice to pass a Budget with a larger
     * maxSeconds.
     *
     * @return the refusal
     */
    public static IllegalArgumentException smallRefuses(Consumer<Budget> loop, Budget small) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> loop.accept(small));
        assertTrue(e.getMessage().contains(" needs about ") && e.getMessage().contains("), above Budget.maxSeconds = "
                + Format.number(small.maxSeconds()) + "; "), e.getMessage());
        assertTrue(e.getMessage().endsWith(", or pass a Budget with a larger maxSeconds"), e.getMessage());
        return e;
    }

    /**
     * A count that {@link Budget#DEFAULT} refuses (its estimate above 60 s) runs on under {@link #UNLIMITED_TIME}:
     * the two run side by side, and when the DEFAULT run has been refused the other is still running, unrefused,
     * and is then stopped by an interrupt ({@link Budget.Repetitions#before} checks it).
     *
     * @param loop the entry point with a count whose time is far above 60 s, run under the budget it is given
     * @return DEFAULT's refusal
     */
    public static IllegalArgumentException largerAdmitsWhatDefaultRefuses(Consumer<Budget> loop) {
        AtomicReference<Throwable> end = new AtomicReference<>();
        Thread larger = new Thread(() -> {
            try {
                loop.accept(UNLIMITED_TIME);
            } catch (Throwable t) {
                end.set(t);
            }
        }, "loop under a larger budget");
        larger.start();
        IllegalArgumentException e;
        try {
            e = assertThrows(IllegalArgumentException.class, () -> loop.accept(Budget.DEFAULT));
            assertTrue(e.getMessage().contains("), above Budget.maxSeconds = 60; "), e.getMessage());
            assertTrue(larger.isAlive(), "the loop under the larger budget ended first: " + end.get());
            assertNull(end.get());
        } finally {
            larger.interrupt();
            join(larger);
        }
        assertInstanceOf(Interrupts.Interrupted.class, end.get(), String.valueOf(end.get()));
        return e;
    }

    private static void join(Thread t) {
        try {
            t.join(10_000);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /** Busy-waits {@code nanos}: a unit of work of known cost. */
    public static void spin(long nanos) {
        long t0 = System.nanoTime();
        while (System.nanoTime() - t0 < nanos) {
            Thread.onSpinWait();
        }
    }
}
