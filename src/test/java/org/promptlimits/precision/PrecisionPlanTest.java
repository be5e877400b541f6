package org.promptlimits.precision;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrecisionPlanTest {

    /** theory §8.4: r ≈ 1301 needs 2r/ln 10 ≈ 1130 digits, plus log10(r) and the guard. */
    @Test
    void scoreBoundPlanCarriesTwoROverLn10DigitsPlusGuard() {
        PrecisionPlan plan = PrecisionPlan.forScoreBound(new BigDecimal("1301.0759"));
        int expected = (int) Math.ceil(2 * 1301.0759 / Math.log(10)) + (int) Math.ceil(Math.log10(2 + 1301.0759))
                + PrecisionPlan.GUARD;
        assertEquals(expected, plan.digits());
        assertEquals(1131 + 4 + 30, plan.digits());
    }

    @Test
    void planAboveTheDigitBudgetIsRefusedWithTheEstimate() {
        PrecisionPlan plan = PrecisionPlan.forScoreBound(new BigDecimal("14110"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> plan.requireWithin(Budget.DEFAULT.withMaxDigits(5000), "THEORY check", 10,
                        limit -> Budget.orLarger("lower K", limit)));
        assertTrue(e.getMessage().contains("THEORY check needs 12290 digits"), e.getMessage());
        assertTrue(e.getMessage().endsWith("Budget.maxDigits = 5000; lower K, or pass a Budget with a larger maxDigits"),
                e.getMessage());
    }

    @Test
    void planAboveTheTimeBudgetIsRefusedWithTheEstimate() {
        PrecisionPlan plan = PrecisionPlan.fixed(3500, "test");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> plan.requireWithin(Budget.DEFAULT.withMaxSeconds(1), "check", 1_000_000,
                        limit -> Budget.orLarger("use fewer sequences", limit)));
        assertTrue(e.getMessage().contains("seconds"), e.getMessage());
        assertTrue(e.getMessage().endsWith("; use fewer sequences, or pass a Budget with a larger maxSeconds"),
                e.getMessage());
        assertTrue(e.getMessage().contains("1000000 exponentials at 3500 digits"), e.getMessage());
    }

    @Test
    void negativeScoreBoundIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PrecisionPlan.forScoreBound(new BigDecimal("-1")));
        assertTrue(e.getMessage().contains("r (-1) must be >= 0"), e.getMessage());
    }
}
