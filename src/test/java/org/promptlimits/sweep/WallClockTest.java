package org.promptlimits.sweep;

import org.junit.jupiter.api.Test;
import org.promptlimits.precision.Budget;
import org.promptlimits.precision.CallersBudget;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WallClockTest {

    private static final Runnable MILLISECOND = () -> CallersBudget.spin(1_000_000);

    /**
     * The timed runs were always held to Budget.DEFAULT's 60 s, so timing a large problem many times could only be
     * refused. The timer's budget now sets the limit: 100 runs of 1 ms are refused under 1 ms, and a million (about
     * 17 minutes, refused under DEFAULT after a second) run on under a larger budget.
     */
    @Test
    void theTimersBudgetSetsTheTimeLimit() {
        IllegalArgumentException tiny = CallersBudget.smallRefusesWhatDefaultRuns(
                b -> WallClock.median(100).withBudget(b).seconds(MILLISECOND), Budget.DEFAULT.withMaxSeconds(1e-3));
        assertTrue(tiny.getMessage().startsWith("timing needs about ") && tiny.getMessage().contains("(reps = 100 × "),
                tiny.getMessage());
        CallersBudget.largerAdmitsWhatDefaultRefuses(b -> new WallClock(1_000_000, true, b).seconds(MILLISECOND));
    }

    @Test
    void withBudgetKeepsTheRuleAndTheRepetitions() {
        Budget b = Budget.DEFAULT.withMaxSeconds(600);
        assertEquals(new WallClock(7, true, b), WallClock.fastest(7).withBudget(b));
        assertEquals(Budget.DEFAULT, WallClock.median(7).budget());
    }
}
