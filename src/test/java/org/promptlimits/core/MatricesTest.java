package org.promptlimits.core;

import org.junit.jupiter.api.Test;
import org.promptlimits.precision.Budget;

import java.math.BigDecimal;
import java.math.MathContext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MatricesTest {

    /**
     * multiplyExact checked the digits of its product against the caller's budget but its p×r array against
     * nothing: a caller's maxBytes of 1 KiB let a 16×16 product of decimals (about 12 KiB) through. The array is
     * refused by the budget at hand, with the advice to raise its maxBytes.
     */
    @Test
    void anExactProductIsCheckedAgainstTheCallersMaxBytes() {
        BigDecimal[][] column = filled(16, 1), row = filled(1, 16);
        Budget small = Budget.DEFAULT.withMaxBytes(1024);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Matrices.multiplyExact(column, row, small));
        assertTrue(e.getMessage().startsWith("product a·b (16×16 decimals) needs")
                && e.getMessage().contains("above Budget.maxBytes = 1024")
                && e.getMessage().endsWith("multiply smaller matrices, or pass a Budget with a larger maxBytes"),
                e.getMessage());
        BigDecimal[][] c = Matrices.multiplyExact(column, row, Budget.DEFAULT);
        assertEquals(BigDecimal.valueOf(4), c[15][15]);
        // the entry points that take no budget check against Budget.DEFAULT and advise more heap: a 2^16×1 by
        // 1×2^16 product (32 GiB of doubles) is above half of any heap here, refused before allocation
        double[][] tall = new double[1 << 16][1], wide = new double[1][1 << 16];
        IllegalArgumentException heap = assertThrows(IllegalArgumentException.class,
                () -> Matrices.multiply(tall, wide));
        assertTrue(heap.getMessage().startsWith("product a·b (65536×65536 doubles) needs")
                && heap.getMessage().endsWith("multiply smaller matrices, or give the JVM more heap (-Xmx)"),
                heap.getMessage());
        assertEquals(BigDecimal.valueOf(4), Matrices.multiply(column, row, MathContext.DECIMAL64)[0][0]);
    }

    private static BigDecimal[][] filled(int p, int q) {
        BigDecimal[][] m = new BigDecimal[p][q];
        for (BigDecimal[] r : m) {
            java.util.Arrays.fill(r, BigDecimal.valueOf(2));
        }
        return m;
    }
}
