package org.promptlimits.quantize;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.promptlimits.core.FeedForward;
import org.promptlimits.core.Layer;
import org.promptlimits.core.Tokens;
import org.promptlimits.precision.Budget;
import org.promptlimits.precision.CallersBudget;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;

import static org.junit.jupiter.api.Assertions.*;

class StaircaseQuantizerTest {

    private static final MathContext MC = new MathContext(60);

    @Property(tries = 200)
    void quantizerIsExactOutsideItsSlabs(@ForAll @IntRange(min = 1, max = 3) int n,
                                         @ForAll @DoubleRange(min = 0, max = 1, maxIncluded = false) double x,
                                         @ForAll @IntRange(min = 1, max = 5) int kExp) {
        int k = 1 << kExp; // δ = 2^-kExp: every level is exact in binary and decimal
        StaircaseQuantizer q = StaircaseQuantizer.of(1, k, 1, n + 1, new BigDecimal("1e-8"), MC);
        double t = n + x; // the last position's token, inside [n, n+1)
        if (q.inSlab(t)) {
            return;
        }
        FeedForward layer = q.layer();
        BigDecimal exact = layer.apply(new BigDecimal[][] {{new BigDecimal(t)}}, MC)[0][0];
        assertEquals(0, exact.compareTo(q.reference(new BigDecimal(t))), "t = " + t + " gave " + exact);
        assertEquals(q.reference(t), layer.apply(new double[][] {{t}})[0][0], 1e-6);
    }

    @Property(tries = 100)
    void deepNarrowFormEqualsTheWideLayer(@ForAll @DoubleRange(min = 1, max = 3, maxIncluded = false) double t) {
        StaircaseQuantizer q = StaircaseQuantizer.of(1, 4, 1, 3, new BigDecimal("1e-9"), MC);
        if (q.inSlab(t)) {
            return;
        }
        BigDecimal[][] z = {{new BigDecimal(t)}};
        BigDecimal wide = q.layer().apply(z, MC)[0][0];
        BigDecimal[][] y = z;
        for (Layer l : q.deepLayers()) {
            assertEquals(3, l.width());
            y = l.apply(y, MC);
        }
        assertEquals(0, wide.subtract(y[0][0]).abs().compareTo(new BigDecimal("1e-40")) <= 0 ? 0 : 1,
                "t = " + t + ": wide " + wide + " deep " + y[0][0]);
    }

    @Test
    void quantizerInsideASlabInterpolatesBetweenLevels() {
        StaircaseQuantizer q = StaircaseQuantizer.of(1, 4, 0, 1, new BigDecimal("0.01"), MC);
        double t = 0.245; // halfway through the slab [0.24, 0.25)
        assertTrue(q.inSlab(t));
        double v = q.layer().apply(new double[][] {{t}})[0][0];
        assertEquals(0.125, v, 1e-12);
    }

    @Test
    void widthIsTwoPerStepPlusTwoPerCoordinate() {
        StaircaseQuantizer q = StaircaseQuantizer.of(2, 4, 1, 4, new BigDecimal("1e-6"), MC);
        assertEquals(2 * (2 * 11 + 2), q.layer().width());
        assertEquals(12, q.deepLayers().size());
        double[][] out = q.layer().apply(new double[][] {{1.3, 3.99}, {2.0, 2.7}});
        assertArrayEquals(new double[] {1.25, 3.75}, out[0], 1e-9);
        assertArrayEquals(new double[] {2.0, 2.5}, out[1], 1e-9);
        assertEquals(2, Tokens.requireShape("out", out, 2));
    }

    @Test
    void precisionTooSmallForEtaIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StaircaseQuantizer.of(1, 4, 1, 10, new BigDecimal("1e-30"), new MathContext(20)));
        assertTrue(e.getMessage().startsWith("mc precision (20) must exceed"), e.getMessage());
        assertEquals(new BigDecimal("1E-3"), StaircaseQuantizer.powerOfTenAtMost(0.005));
        assertEquals(new BigDecimal("1E-2"), StaircaseQuantizer.powerOfTenAtMost(0.01));
    }

    /**
     * A range whose level count (hi − lo)·k overflows an int used to give a negative step count, a layer that threw
     * NegativeArraySizeException and an empty deep form; a count that fits but whose layer is too large for memory
     * must be refused by its size estimate before anything is allocated.
     */
    @Test
    void levelCountsThatOverflowOrExceedTheBudgetAreRefusedByName() {
        BigDecimal eta = new BigDecimal("1e-3");
        IllegalArgumentException wide = assertThrows(IllegalArgumentException.class,
                () -> StaircaseQuantizer.of(1, 2, Integer.MIN_VALUE, 3, eta, MC));
        assertTrue(wide.getMessage().startsWith("(hi − lo)·k ((3 − -2147483648)·2 = 4294967302 levels per coordinate)"
                + " must be below 2^31"), wide.getMessage());
        IllegalArgumentException high = assertThrows(IllegalArgumentException.class,
                () -> StaircaseQuantizer.of(1, 2, 0, Integer.MAX_VALUE, eta, MC));
        assertTrue(high.getMessage().contains("= 4294967294 levels per coordinate"), high.getMessage());

        StaircaseQuantizer big = StaircaseQuantizer.of(1, 2, 0, 1 << 29, eta, MC);
        assertEquals((1 << 30) - 1, big.stepCount());
        IllegalArgumentException layer = assertThrows(IllegalArgumentException.class, big::layer);
        assertTrue(layer.getMessage().startsWith("staircase layer weights W1 and W2"), layer.getMessage());
        assertTrue(layer.getMessage().contains("lower k, narrow [lo, hi) or lower d"), layer.getMessage());
        IllegalArgumentException deep = assertThrows(IllegalArgumentException.class, big::deepLayers);
        assertTrue(deep.getMessage().startsWith("deep staircase weights"), deep.getMessage());
    }

    /** inSlab(NaN) threw NumberFormatException("Infinite or NaN"), naming neither the parameter nor the rule. */
    @Test
    void nonFiniteArgumentsAreRefusedByName() {
        StaircaseQuantizer q = StaircaseQuantizer.of(1, 4, 1, 3, new BigDecimal("1e-6"), MC);
        for (double t : new double[] {Double.NaN, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> q.inSlab(t));
            assertEquals("t (" + t + ") must be finite", e.getMessage());
        }
    }

    /** The exact reference clamps t far above hi to the top level (its level index once wrapped around a long). */
    @Test
    void exactReferenceClampsHugeArguments() {
        StaircaseQuantizer q = StaircaseQuantizer.of(1, 4, 1, 3, new BigDecimal("1e-6"), MC);
        // (t − lo)·k = 2^64 and −2^64 + 1: the low 64 bits of the level index are 0 and 1
        BigDecimal above = new BigDecimal(BigInteger.ONE.shiftLeft(62)).add(BigDecimal.ONE);
        BigDecimal below = BigDecimal.ONE.subtract(new BigDecimal(BigInteger.ONE.shiftLeft(62))).add(new BigDecimal("0.25"));
        for (BigDecimal t : new BigDecimal[] {above, new BigDecimal("1e30")}) {
            assertEquals(0, new BigDecimal("2.75").compareTo(q.reference(t)), "t = " + t);
        }
        for (BigDecimal t : new BigDecimal[] {below, new BigDecimal("-1e30")}) {
            assertEquals(0, BigDecimal.ONE.compareTo(q.reference(t)), "t = " + t);
        }
        assertEquals(2.75, q.reference(1e300));
    }


    /**
     * The exactness check's samples were always held to Budget.DEFAULT's 60 s, and only their drawing was timed, not
     * their interval evaluation. The quantizer's budget ({@code withBudget}) now sets the limit of draws and
     * evaluations together: 2,000 samples are refused under 1 ms, and 2^31 − 1 (refused under DEFAULT after a
     * second, with no array of 2^31 points allocated first) run on under a larger budget.
     */
    @Test
    void theQuantizersBudgetSetsTheExactnessChecksTimeLimit() {
        StaircaseQuantizer q = StaircaseQuantizer.of(1, 4, 0, 1, new BigDecimal("0.03"), MC);
        IllegalArgumentException tiny = CallersBudget.smallRefusesWhatDefaultRuns(
                b -> q.withBudget(b).exactnessCheck("S", 2000, 3), Budget.DEFAULT.withMaxSeconds(1e-3));
        assertTrue(tiny.getMessage().startsWith("staircase exactness check needs about "), tiny.getMessage());
        CallersBudget.largerAdmitsWhatDefaultRefuses(b -> q.withBudget(b).exactnessCheck("S", Integer.MAX_VALUE, 3));
        assertTrue(q.withBudget(Budget.DEFAULT.withMaxSeconds(600)).exactnessCheck("S", 200, 3).holds());
    }

    /** The layers' weights are held to the quantizer's maxBytes. */
    @Test
    void theQuantizersBudgetHoldsItsWeights() {
        StaircaseQuantizer q = StaircaseQuantizer.of(1, 4, 0, 1, new BigDecimal("0.03"), MC);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> q.withBudget(Budget.DEFAULT.withMaxBytes(100)).layer());
        assertTrue(e.getMessage().startsWith("staircase layer weights W1 and W2") && e.getMessage().endsWith(
                "lower k, narrow [lo, hi) or lower d, or pass a Budget with a larger maxBytes"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> q.withBudget(Budget.DEFAULT.withMaxBytes(100)).deepLayers());
        assertEquals(q.layer().toString(), q.withBudget(Budget.DEFAULT.withMaxBytes(1 << 20)).layer().toString());
    }
}
