package org.promptlimits.precision;

import org.junit.jupiter.api.Test;
import org.promptlimits.check.Interrupts;

import java.math.BigDecimal;

import static org.junit.jupiter.api.Assertions.*;

class BudgetTest {

    @Test
    void refusalNamesEstimateLimitAndFix() {
        Budget b = Budget.DEFAULT.withMaxCells(1_000_000);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> b.requireCells("grid", BigDecimal.valueOf(4).pow(12), "(1/delta)^(d*L) = 4^12",
                        Budget.orLarger("increase delta", "maxCells")));
        assertEquals("grid needs 1.678e7 cells ((1/delta)^(d*L) = 4^12), above Budget.maxCells = 1e6; "
                + "increase delta, or pass a Budget with a larger maxCells", e.getMessage());
    }

    @Test
    void estimatesWithinTheBudgetPass() {
        assertDoesNotThrow(() -> Budget.DEFAULT.requireDigits("exp", BigDecimal.valueOf(20_000), "2r/ln 10", "fix"));
        assertThrows(IllegalArgumentException.class,
                () -> Budget.DEFAULT.requireDigits("exp", new BigDecimal("1e18"), "2r/ln 10", "fix"));
    }

    @Test
    void nonPositiveLimitsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Budget.DEFAULT.withMaxSeconds(0));
        assertThrows(IllegalArgumentException.class, () -> Budget.DEFAULT.withMaxCells(-1));
    }

    /**
     * A time refusal reads as every other refusal, with "about" before the estimate; the explanation is built only
     * when refusing.
     */
    @Test
    void aTimeRefusalHasTheWordingOfEveryRefusal() {
        Budget b = Budget.DEFAULT.withMaxSeconds(60);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.requireSeconds("search",
                125.26, () -> "5 runs × 25.05 s", Budget.orLarger("lower restarts", "maxSeconds")));
        assertEquals("search needs about 125.3 seconds (5 runs × 25.05 s), above Budget.maxSeconds = 60; lower"
                + " restarts, or pass a Budget with a larger maxSeconds", e.getMessage());
        assertDoesNotThrow(() -> b.requireSeconds("search", 60, () -> {
            throw new AssertionError("explained without a refusal");
        }, "fix"));
        assertThrows(IllegalArgumentException.class, () -> b.requireSeconds("search", Double.NaN, () -> "?", "fix"));
    }

    /** The loop guard refuses through the same path: same wording, its measurement as the explanation. */
    @Test
    void aLoopGuardsRefusalIsATimeRefusal() {
        Budget b = Budget.DEFAULT.withMaxSeconds(1e-3);
        Budget.Repetitions guard = b.repetitions("timing", 1_000_000, "reps");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> {
            for (int s = 0; s < 1_000_000; s++) {
                guard.before(s);
                CallersBudget.spin(10_000);
            }
        });
        assertTrue(e.getMessage().matches("timing needs about \\S+ seconds \\(reps = 1000000 × \\S+ µs measured over"
                + " units \\d+–\\d+, \\S+ µs in\\), above Budget\\.maxSeconds = 0\\.001; lower reps, or pass a Budget"
                + " with a larger maxSeconds"), e.getMessage());
    }

    /** A guarded loop, which a larger budget may let run for minutes, stops when its thread is interrupted. */
    @Test
    void aGuardedLoopStopsOnInterrupt() {
        Budget.Repetitions guard = CallersBudget.UNLIMITED_TIME.repetitions("loop", Long.MAX_VALUE, "count");
        guard.before(0);
        Thread.currentThread().interrupt();
        try {
            assertThrows(Interrupts.Interrupted.class, () -> guard.before(3));
        } finally {
            assertTrue(Thread.interrupted());
        }
    }
}
