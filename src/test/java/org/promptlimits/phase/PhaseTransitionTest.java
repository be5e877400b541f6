package org.promptlimits.phase;

import org.junit.jupiter.api.Test;
import org.promptlimits.precision.Budget;
import org.promptlimits.sweep.Timer;
import org.promptlimits.sweep.WallClock;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PhaseTransitionTest {

    @Test
    void everyFeasiblePointIsWithinDeltaFAndLargeBoundsAreOverTheRankBudget() {
        List<PhaseTransition.Point> pts = PhaseTransition.sweep(4, new int[] {64, 128}, new double[] {0.5, 1.0, 3.0},
                1e-2, 0.25, WallClock.median(1), 3, Budget.DEFAULT.withMaxCells(5_000));
        assertEquals(6, pts.size());
        for (PhaseTransition.Point p : pts) {
            if (p.feasible()) {
                assertTrue(p.maxError() <= p.deltaF(), p.toString());
            }
        }
        assertFalse(pts.get(2).feasible(), "B = 3 gives R = 9: rank far above 5,000");
        assertTrue(pts.get(0).feasible());
    }

    @Test
    void logLogSlopeRecoversThePowerLaw() {
        double[] x = {10, 100, 1000};
        assertEquals(2, PhaseTransition.logLogSlope(x, new double[] {3e2, 3e4, 3e6}), 1e-12);
        assertEquals(1, PhaseTransition.logLogSlope(x, new double[] {5, 50, 500}), 1e-12);
    }

    @Test
    void skippedTimingLeavesTheReproducibleColumnsUnchanged() {
        Budget budget = Budget.DEFAULT.withMaxCells(5_000);
        List<PhaseTransition.Point> timed = PhaseTransition.sweep(4, new int[] {64}, new double[] {0.5, 1.0}, 1e-2,
                0.25, WallClock.fastest(2), 9, budget);
        List<PhaseTransition.Point> untimed = PhaseTransition.sweep(4, new int[] {64}, new double[] {0.5, 1.0}, 1e-2,
                0.25, Timer.skip(), 9, budget);
        for (int i = 0; i < timed.size(); i++) {
            assertEquals(timed.get(i).maxError(), untimed.get(i).maxError(), 0.0);
            assertEquals(timed.get(i).rank(), untimed.get(i).rank());
            assertTrue(timed.get(i).exactSeconds() > 0);
            assertTrue(Double.isNaN(untimed.get(i).exactSeconds()));
        }
    }

    @Test
    void badInputNamesTheParameter() {
        assertMessage("timer (null)", () -> PhaseTransition.sweep(2, new int[] {8}, new double[] {1}, 0.1, 1, null, 1, Budget.DEFAULT));
        assertMessage("reps (0)", () -> WallClock.median(0));
        assertMessage("n (1)", () -> PhaseTransition.sqrtLnN(1));
        assertMessage("x and y", () -> PhaseTransition.logLogSlope(new double[] {1, 2}, new double[] {1}));
        assertMessage("y[1] (0.0)", () -> PhaseTransition.logLogSlope(new double[] {1, 2}, new double[] {1, 0}));
        assertMessage("grid holds the point", () -> PhaseTransition.sweep(2, new int[] {8, 8}, new double[] {1}, 0.1, 1,
                Timer.skip(), 1, Budget.DEFAULT));
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
