package org.promptlimits.quantize;

import org.junit.jupiter.api.Test;

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
}
