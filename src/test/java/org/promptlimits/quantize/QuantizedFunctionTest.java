package org.promptlimits.quantize;

import org.junit.jupiter.api.Test;
import org.promptlimits.precision.Budget;
import org.promptlimits.precision.CallersBudget;

import java.math.BigInteger;

import static org.junit.jupiter.api.Assertions.*;

class QuantizedFunctionTest {

    @Test
    void supErrorStaysBelowTheBoundForEveryCatalogueTarget() {
        for (Seq2Seq f : Targets.catalogue(1, 3, 2)) {
            for (int k : new int[] {2, 4, 8}) {
                QuantizedFunction q = QuantizedFunction.of(f, 1.0 / k, 0.05);
                assertTrue(q.supErrorCheck("sup", 400, k).holds(), q + " " + q.supErrorCheck("sup", 400, k));
            }
        }
    }

    @Test
    void forEpsilonChoosesStepsWhoseBoundIsBelowEpsilon() {
        for (Seq2Seq f : Targets.catalogue(2, 2, 1)) {
            for (double eps : new double[] {0.5, 0.2, 0.1}) {
                QuantizedFunction q = QuantizedFunction.forEpsilon(f, eps);
                assertTrue(q.supErrorBound() <= eps + 1e-12, q + " bound " + q.supErrorBound());
            }
        }
    }

    @Test
    void quantizedValuesAreConstantOnCellsAndOnTheOutputLattice() {
        QuantizedFunction q = QuantizedFunction.of(Targets.square(1, 2, 2), 0.25, 0.125);
        double[][] a = q.apply(new double[][] {{0.26, 0.74}});
        double[][] b = q.apply(new double[][] {{0.49, 0.51}});
        assertArrayEquals(a[0], b[0]);
        for (double v : a[0]) {
            assertEquals(0, v * 8 - Math.rint(v * 8), 1e-12);
        }
    }

    /** theory §4: |F̄| = (1/δ_y + 1)^{dL δ^{−dL}}; d = 1, L = 2, δ = δ_y = 1/2 gives 3^{2·4} = 6561. */
    /**
     * f̄ on a grid of 4^64 cells, more than a long indexes: an entrywise target's f̄ is, entry by entry, f̄ of the
     * 1×1 target on a grid of the same step. f̄ went through the cell's index, which wrapped around a long.
     */
    @Test
    void valuesOnGridsBeyondALongIndexAreTheQuantizedImageOfTheCellPoint() {
        QuantizedFunction big = QuantizedFunction.of(Targets.tokenwiseAffine(8, 8, 2, -0.5, 0.75), 0.25, 0.125);
        QuantizedFunction one = QuantizedFunction.of(Targets.tokenwiseAffine(1, 1, 2, -0.5, 0.75), 0.25, 0.125);
        java.util.Random random = new java.util.Random(5);
        for (int s = 0; s < 20; s++) {
            double[][] x = new double[8][8];
            for (double[] row : x) {
                for (int l = 0; l < 8; l++) {
                    row[l] = random.nextDouble();
                }
            }
            double[][] y = big.apply(x);
            for (int i = 0; i < 8; i++) {
                for (int l = 0; l < 8; l++) {
                    assertEquals(one.apply(new double[][] {{x[i][l]}})[0][0], y[i][l], "sample " + s + " entry " + i
                            + "," + l);
                }
            }
        }
    }

    @Test
    void familySizeMatchesTheCountingFormula() {
        Grid g = Grid.of(1, 2, 0.5);
        assertEquals(BigInteger.valueOf(6561), QuantizedFunction.familySize(g, 2, Budget.DEFAULT));
        assertEquals(Math.log10(6561), QuantizedFunction.log10FamilySize(g, 2), 1e-12);
        assertThrows(IllegalArgumentException.class,
                () -> QuantizedFunction.familySize(Grid.of(2, 4, 0.125), 8, Budget.DEFAULT));
    }

    /**
     * A grid with 10^3000 points (d = L = 1,000, δ = 1/1,000): log10 |F̄| itself overflows double, and
     * log10FamilySize returned Infinity while familySize threw NumberFormatException("Infinite or NaN").
     */
    @Test
    void familySizesWhoseLogOverflowsAreRefusedWithTheGridSize() {
        Grid huge = Grid.withSteps(1000, 1000, 1000);
        String expected = "log10 |F̄| (Infinity) is not finite; the grid has 10^3000000 points, too many for even the"
                + " log10 of the count to fit a double; lower d or L, or increase delta";
        assertEquals(expected, assertThrows(IllegalArgumentException.class,
                () -> QuantizedFunction.log10FamilySize(huge, 8)).getMessage());
        assertEquals(expected, assertThrows(IllegalArgumentException.class,
                () -> QuantizedFunction.familySize(huge, 8, Budget.DEFAULT)).getMessage());
        // 10^300 points: the log10 is still a double
        assertEquals(100 * 1e300 * Math.log10(9), QuantizedFunction.log10FamilySize(Grid.withSteps(1, 100, 1000), 8),
                1e289);
    }

    @Test
    void badStepsAreRejected() {
        Seq2Seq f = Targets.shift(1, 2, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> QuantizedFunction.of(f, 0.25, 0.3));
        assertEquals("deltaY (0.3) must make 1/deltaY an integer", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> QuantizedFunction.forEpsilon(f, 0));
        assertThrows(IllegalArgumentException.class, () -> QuantizedFunction.forEpsilon(f, 1.5));
    }


    /**
     * The sup error check's samples were always held to Budget.DEFAULT's 60 s. The caller's budget now sets the
     * limit: 10,000 cheap samples are refused under 1 ms, and 2^31 − 1 samples of a target that takes 1 ms (refused
     * under DEFAULT after a second) run on under a larger budget.
     */
    @Test
    void theCallersBudgetSetsTheSupErrorChecksTimeLimit() {
        QuantizedFunction q = QuantizedFunction.of(Targets.shift(1, 2, 2), 0.25, 0.125);
        IllegalArgumentException tiny = CallersBudget.smallRefusesWhatDefaultRuns(
                b -> q.supErrorCheck("s", 10_000, 1, b), Budget.DEFAULT.withMaxSeconds(1e-3));
        assertTrue(tiny.getMessage().startsWith("sup error check needs about "), tiny.getMessage());
        QuantizedFunction slowQ = QuantizedFunction.of(Seq2SeqTest.identityTakingAMillisecond(), 0.25, 0.125);
        CallersBudget.largerAdmitsWhatDefaultRefuses(b -> slowQ.supErrorCheck("s", Integer.MAX_VALUE, 1, b));
    }
}
