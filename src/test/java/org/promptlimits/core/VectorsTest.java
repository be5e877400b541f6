package org.promptlimits.core;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class VectorsTest {

    /**
     * Norms and distances are representable for every finite vector whose norm is: the sum of squares fell to 0
     * for entries of 1e-200 (norm 0, so a ratio |vᵀx|/‖x‖ became +∞), and overflowed for differences of 1e200
     * (the distance was refused as "too large"). Reference: ‖(3, 4)·s‖ = 5s.
     */
    @Test
    void normAndDistanceScaleWithTheEntries() {
        for (double s : new double[] {1e-300, 1e-200, 1e-160, 1, 1e160, 1e200, 1e300}) {
            double[] a = {3 * s, 4 * s};
            double[] minusA = {-3 * s, -4 * s};
            assertEquals(5 * s, Vectors.norm(a), 5 * s * 1e-15, "‖a‖ at scale " + s);
            assertEquals(5 * s, Vectors.distance(a, new double[2]), 5 * s * 1e-15, "‖a − 0‖ at scale " + s);
            if (s < 1e300) {
                assertEquals(10 * s, Vectors.distance(a, minusA), 10 * s * 1e-15, "‖a − (−a)‖ at scale " + s);
            }
        }
        assertEquals(Double.MIN_VALUE, Vectors.norm(new double[] {0, Double.MIN_VALUE}));
        assertEquals(0, Vectors.norm(new double[3]));
    }

    /** A difference that is itself beyond double is still refused, naming the overflow. */
    @Test
    void aDistanceBeyondDoubleIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Vectors.distance(new double[] {Double.MAX_VALUE}, new double[] {-Double.MAX_VALUE}));
        assertTrue(e.getMessage().contains("‖a − b‖ (Infinity) is not finite"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Vectors.norm(new double[] {1, Double.NaN}));
    }
}
