package org.promptlimits.core;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PositionalEncodingTest {

    @Test
    void addsTheColumnIndexToEveryEntry() {
        double[][] z = {{0.5, 0.25}, {0, -1}};
        assertArrayEquals(new double[][] {{1.5, 2.25}, {1, 1}}, PositionalEncoding.add(z));
        assertArrayEquals(new double[] {0.5, 0.25}, z[0]);
        BigDecimal[][] exact = PositionalEncoding.add(new BigDecimal[][] {{new BigDecimal("0.1"), BigDecimal.ZERO}});
        assertEquals(new BigDecimal("1.1"), exact[0][0]);
        assertEquals(new BigDecimal("2"), exact[0][1]);
    }

    /**
     * Z + E is defined for a d×n sequence only; a ragged z ({{1, 2}, {1}}) was "encoded" row by row into another
     * ragged array, whose short row then met the next layer as a shape error far from its cause.
     */
    @Test
    void aRaggedSequenceIsRefusedNamingTheRow() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PositionalEncoding.add(new double[][] {{1, 2}, {1}}));
        assertEquals("z[1] has 1 entries but z[0] has 2; rows must all have the same length", e.getMessage());
        IllegalArgumentException exact = assertThrows(IllegalArgumentException.class, () -> PositionalEncoding.add(
                new BigDecimal[][] {{BigDecimal.ONE, BigDecimal.ONE}, {BigDecimal.ONE}}));
        assertEquals("z[1] has 1 entries but z[0] has 2; rows must all have the same length", exact.getMessage());
    }
}
