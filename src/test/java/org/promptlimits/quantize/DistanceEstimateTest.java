package org.promptlimits.quantize;

import org.junit.jupiter.api.Test;
import org.promptlimits.precision.Budget;
import org.promptlimits.precision.CallersBudget;

import static org.junit.jupiter.api.Assertions.*;

class DistanceEstimateTest {

    /** d_p(x ↦ x, x ↦ 0) on [0,1] is (∫ x^p dx)^{1/p} = (1/(p+1))^{1/p}: 1/2 for p = 1, 1/√3 for p = 2. */
    @Test
    void intervalCoversTheExactDistanceOfIdentityAndZero() {
        for (double p : new double[] {1, 2}) {
            DistanceEstimate e = DistanceEstimate.of(1, 1, p, x -> x, x -> new double[][] {{0}}, 4000, 5);
            double exact = Math.pow(1 / (p + 1), 1 / p);
            assertTrue(e.lower() <= exact && exact <= e.upper(), e + " exact " + exact);
            assertEquals(4000, e.samples());
            assertTrue(e.method().contains("N = 4000"));
        }
    }

    @Test
    void distanceOfAFunctionToItselfIsZero() {
        DistanceEstimate e = DistanceEstimate.of(2, 3, 2, x -> x, x -> x, 100, 1);
        assertEquals(0, e.upper());
        assertTrue(e.atMost("d", "d_p(f, f) ≤ 0", "theory §1", 0).holds());
    }

    @Test
    void tooFewSamplesOrABadExponentAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> DistanceEstimate.of(1, 1, 2, x -> x, x -> x, 1, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DistanceEstimate.of(1, 1, 0.5, x -> x, x -> x, 10, 0));
        assertTrue(e.getMessage().startsWith("p (0.5)"));
    }


    /**
     * The Monte Carlo loop was always held to Budget.DEFAULT's 60 s, so an estimate with more samples than a minute
     * allows could only be refused. The caller's budget now sets the limit: 20,000 cheap samples are refused under
     * 1 ms, and 2^31 − 1 samples of 1 ms (refused under DEFAULT after a second) run on under a larger budget.
     */
    @Test
    void theCallersBudgetSetsTheTimeLimit() {
        IllegalArgumentException tiny = CallersBudget.smallRefusesWhatDefaultRuns(
                b -> DistanceEstimate.of(1, 2, 2, x -> x, x -> x, 20_000, 1, b), Budget.DEFAULT.withMaxSeconds(1e-3));
        assertTrue(tiny.getMessage().startsWith("Monte Carlo d_p needs about "), tiny.getMessage());
        CallersBudget.largerAdmitsWhatDefaultRefuses(b -> DistanceEstimate.of(1, 1, 2, x -> {
            CallersBudget.spin(1_000_000);
            return x;
        }, x -> x, Integer.MAX_VALUE, 1, b));
    }
}
