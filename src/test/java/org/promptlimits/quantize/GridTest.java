package org.promptlimits.quantize;

import org.junit.jupiter.api.Test;
import org.promptlimits.precision.Budget;

import java.math.BigInteger;

import static org.junit.jupiter.api.Assertions.*;

class GridTest {

    @Test
    void sizeIsOneOverDeltaToTheDL() {
        Grid g = Grid.of(2, 3, 0.25);
        assertEquals(BigInteger.valueOf(4).pow(6), g.size());
        assertEquals(BigInteger.valueOf(16), g.tokenCount());
    }

    /** toString of a grid with more than a million-digit size threw (it printed size(), which refuses them). */
    @Test
    void describesGridsOfAnySize() {
        assertEquals("Grid[d=2, L=3, delta=1/4, 4096 points]", Grid.of(2, 3, 0.25).toString());
        assertEquals("Grid[d=1000, L=1000, delta=1/1000, 10^3000000 points]", Grid.withSteps(1000, 1000, 1000).toString());
        assertEquals("Grid[d=3, L=20, delta=1/10, 10^60 points]", Grid.withSteps(3, 20, 10).toString());
    }

    @Test
    void indexAndPointAreInverse() {
        Grid g = Grid.of(2, 2, 1.0 / 3);
        for (long i = 0; i < g.size().longValue(); i++) {
            assertEquals(i, g.indexOf(g.point(i)));
        }
    }

    /** A cell index is a long: 2^62 cells are indexed, 2^63 and 4^64 are refused (the index used to wrap around). */
    @Test
    void cellIndicesAreRefusedForGridsWithMoreCellsThanALongHolds() {
        double[][] high = {new double[62]};
        java.util.Arrays.fill(high[0], 0.9);
        assertEquals((1L << 62) - 1, Grid.of(1, 62, 0.5).indexOf(high), "every digit 1 in base 2");
        double[][] over = {new double[63]};
        java.util.Arrays.fill(over[0], 0.9);
        double[][] square = new double[8][8];
        for (double[] row : square) {
            java.util.Arrays.fill(row, 0.9);
        }
        for (Object[] c : new Object[][] {{Grid.of(1, 63, 0.5), over, "2^63"}, {Grid.of(8, 8, 0.25), square, "4^64"}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ((Grid) c[0]).indexOf((double[][]) c[1]));
            assertTrue(e.getMessage().startsWith("grid (" + c[0] + ") must have at most 2^63 - 1 cells for a cell index;"
                    + " k^(dL) = " + c[2] + " is more"), e.getMessage());
        }
    }

    @Test
    void enumerationListsEveryPointOnceInIndexOrder() {
        Grid g = Grid.of(2, 1, 0.5);
        java.util.List<double[][]> all = g.enumerate(Budget.DEFAULT);
        assertEquals(4, all.size());
        assertArrayEquals(new double[] {0.5}, all.get(1)[0]);
        assertArrayEquals(new double[] {0.0}, all.get(1)[1]);
        assertArrayEquals(new double[] {0.5}, all.get(3)[1]);
    }

    @Test
    void cellLookupIsExactAtBoundaries() {
        Grid g = Grid.of(1, 1, 0.1);
        // The double 0.3 is 0.29999999999999998889…, below the boundary 3/10.
        assertEquals(2, g.level(0.3));
        assertEquals(5, g.level(0.5));
        assertEquals(9, g.level(1.0));
        assertEquals(0, g.level(0.0));
    }

    @Test
    void deltaWhoseInverseIsNotAnIntegerIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Grid.of(1, 2, 0.3));
        assertEquals("delta (0.3) must make 1/delta an integer", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Grid.of(1, 2, 1.5));
        assertThrows(IllegalArgumentException.class, () -> Grid.of(1, 2, Double.NaN));
    }

    @Test
    void enumerationAboveTheBudgetIsRefusedWithTheEstimate() {
        Grid g = Grid.of(2, 6, 0.25);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> g.requireEnumerable(Budget.DEFAULT.withMaxCells(1000)));
        assertTrue(e.getMessage().contains("4^12"), e.getMessage());
        assertTrue(e.getMessage().contains("increase delta"), e.getMessage());
    }

    /**
     * A budget that allows the cells of a grid with more than 2^31 points once let the point count be cast to an
     * int: f̄'s table of 46341² points failed with a NegativeArraySizeException, the one of 2^32 points was refused
     * as "outputs has 0 entries", and enumerate(budget) ran on towards an OutOfMemoryError.
     */
    @Test
    void gridsBeyondAnArrayOrTheBytesAreRefusedBeforeEnumeration() {
        Budget cells = Budget.DEFAULT.withMaxCells(Long.MAX_VALUE);
        QuantizedFunction over2to31 = QuantizedFunction.of(Targets.cumulativeMax(1, 2, 2), 1.0 / 46341, 0.5);
        IllegalArgumentException bytes = assertThrows(IllegalArgumentException.class, () -> over2to31.table(cells));
        assertTrue(bytes.getMessage().contains("grid G_delta points") && bytes.getMessage().contains("maxBytes")
                && bytes.getMessage().contains("increase delta"), bytes.getMessage());
        Grid over2to32 = Grid.of(1, 2, 1.0 / 65536);
        IllegalArgumentException array = assertThrows(IllegalArgumentException.class,
                () -> over2to32.enumerate(cells.withMaxBytes(Long.MAX_VALUE)));
        assertTrue(array.getMessage().contains("4.295e9 items in one array")
                && array.getMessage().contains("Java's array limit"), array.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> QuantizedFunction.of(Targets.cumulativeMax(1, 2, 2), 1.0 / 65536, 0.5).table(cells));
    }

    @Test
    void inputOutsideTheUnitCubeIsRejected() {
        Grid g = Grid.of(1, 2, 0.5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> g.indexOf(new double[][] {{0.2, 1.5}}));
        assertTrue(e.getMessage().contains("X[0][1] (1.5) must be in [0, 1]"), e.getMessage());
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class,
                () -> g.indexOf(new double[][] {{0.2}}));
        assertTrue(e2.getMessage().contains("L = 2"), e2.getMessage());
    }
}
