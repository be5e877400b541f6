package org.promptlimits.attention;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AptiTest {

    private static String message(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Test
    void refusesOutOfRangeParametersNamingThem() {
        double[] a = {0.1, 0.2};
        assertTrue(message(() -> new Apti(1, 2, a, a, a, 0, 0.1, 1)).startsWith("B (0.0) must"));
        assertTrue(message(() -> new Apti(1, 2, a, a, a, 1, 0, 1)).startsWith("deltaF (0.0) must be in (0.0, 1.0)"));
        assertTrue(message(() -> new Apti(1, 2, a, a, a, 1, 1, 1)).startsWith("deltaF (1.0)"));
        assertTrue(message(() -> new Apti(1, 2, a, a, a, 1, 0.1, -1)).startsWith("beta (-1.0)"));
    }

    /**
     * An entry bound whose score bound R = βdB² overflows (B = 1e200) was accepted: scoreBound() and the printed
     * instance said R = Infinity, and a polynomial method's certificate was computed from it.
     */
    @Test
    void refusesAnEntryBoundWhoseScoreBoundOverflows() {
        double[] a = {0.1, 0.2};
        String expected = "R = βdB² (Infinity for B = 1.0E200, beta = 1.0, d = 2) must be finite; lower B or beta";
        assertEquals(expected, message(() -> new Apti(1, 2, a, a, a, 1e200, 0.1, 1)));
        assertEquals(expected, message(() -> Apti.random(4, 2, 1e200, 0.1, 1, 1)));
        assertEquals(expected, message(() -> org.promptlimits.attention.fast.PolynomialAttention.forError(1e200, 0.1, 1, 2)));
        assertEquals(1e300, Apti.random(4, 2, 1e150, 0.1, 0.5, 1).scoreBound(), 1e286);
    }

    @Test
    void refusesEntriesAboveBAndNonFiniteEntriesWithTheirPosition() {
        double[] ok = {0.1, 0.2, 0.3, 0.4};
        double[] big = {0.1, 0.2, 0.3, 1.5};
        double[] nan = {0.1, Double.NaN, 0.3, 0.4};
        String m = message(() -> new Apti(2, 2, ok, big, ok, 1, 0.1, 1));
        assertTrue(m.startsWith("K_p[1][1] (1.5) must satisfy |x| <= B = 1.0") && m.contains("rescaledToBound"), m);
        assertTrue(message(() -> new Apti(2, 2, nan, ok, ok, 1, 0.1, 1)).startsWith("Q_p[0][1] (NaN) must be finite"));
    }

    @Test
    void refusesShapeMismatchWithBothShapes() {
        String m = message(() -> Apti.of(Nd4j.zeros(3, 2), Nd4j.zeros(3, 2), Nd4j.zeros(4, 2), 1, 0.1, 1));
        assertEquals("V_p has shape 4x2 but Q_p has shape 3x2; Q_p, K_p, V_p must all be n x d", m);
    }

    @Test
    void rescalingIsAnExplicitOptInThatBringsEntriesWithinB() {
        var q = Nd4j.createFromArray(new double[][] {{4, -2}});
        var s = Apti.rescaledToBound(q, q, q, 1, 0.1, 1);
        assertEquals(4, s.rescale());
        assertEquals(1, s.problem().valueMax());
        assertEquals(2, s.problem().scoreBound()); // β d B² = 1·2·1
    }

    @Test
    void nd4jRoundTripKeepsRowMajorEntries() {
        Apti p = Apti.random(3, 2, 1, 0.1, 0.5, 9);
        Apti back = Apti.of(p.queries(), p.keys(), p.values(), 1, 0.1, 0.5);
        assertTrue(java.util.Arrays.equals(p.q(), back.q()));
        assertTrue(java.util.Arrays.equals(p.v(), back.v()));
    }
}
