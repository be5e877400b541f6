package org.promptlimits.attention;

import org.junit.jupiter.api.Test;
import org.promptlimits.precision.Budget;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PhaseTransitionTest {

    @Test
    void everyFeasiblePointIsWithinDeltaFAndLargeBoundsAreOverTheRankBudget() {
        List<PhaseTransition.Point> pts = PhaseTransition.sweep(4, new int[] {64, 128}, new double[] {0.5, 1.0, 3.0},
                1e-2, 0.25, 1, 3, Budget.DEFAULT.withMaxCells(5_000));
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
}
