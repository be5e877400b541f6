package org.promptlimits.check;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class RequireTest {

    private static String message(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Test
    void messagesNameParameterValueAndRule() {
        assertEquals("delta (NaN) must be finite and > 0", message(() -> Require.positive("delta", Double.NaN)));
        assertEquals("rank (0) must be > 0", message(() -> Require.positive("rank", 0)));
        assertEquals("eps (1.0) must be in (0.0, 1.0)", message(() -> Require.inOpen("eps", 1.0, 0, 1)));
        assertEquals("r (5) must be in [1, 2]", message(() -> Require.inRange("r", 5, 1, 2)));
        assertEquals("x[1] (Infinity) must be finite",
                message(() -> Require.allFinite("x", new double[] {0, Double.POSITIVE_INFINITY})));
        assertEquals("Z[1][0] (NaN) must be finite",
                message(() -> Require.allFinite("Z", new double[][] {{1}, {Double.NaN}})));
        assertEquals("Z[1] has 1 entries but Z[0] has 2; rows must all have the same length",
                message(() -> Require.rectangular("Z", new double[][] {{1, 2}, {3}})));
        assertEquals("Z (0 rows) must have at least one row", message(() -> Require.rectangular("Z", new double[0][])));
    }

    @Test
    void validValuesPassThrough() {
        assertEquals(0.5, Require.inOpen("eps", 0.5, 0, 1));
        assertEquals(2, Require.rectangular("Z", new double[][] {{1, 2}, {3, 4}}));
        assertEquals(0.0, Require.nonNegative("x", 0.0));
    }
}
