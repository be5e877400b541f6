package org.promptlimits.precision;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.junit.jupiter.api.Assertions.*;

class BudgetTest {

    @Test
    void refusalNamesEstimateLimitAndFix() {
        Budget b = Budget.DEFAULT.withMaxCells(1_000_000);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> b.requireCells("grid", BigDecimal.valueOf(4).pow(12), "(1/delta)^(d*L) = 4^12",
                        "raise the budget or increase delta"));
        assertEquals("grid needs 1.678e7 cells ((1/delta)^(d*L) = 4^12), above Budget.maxCells = 1e6; "
                + "raise the budget or increase delta", e.getMessage());
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
}
