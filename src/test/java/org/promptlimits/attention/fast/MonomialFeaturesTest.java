package org.promptlimits.attention.fast;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.promptlimits.precision.Budget;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MonomialFeaturesTest {

    /**
     * φ(q)·φ(k) = P_g(β⟨q, k⟩), with the right side computed in BigDecimal (50 digits) from the same
     * double inputs: the multinomial identity behind the polynomial method.
     */
    @Property(tries = 60)
    void featureInnerProductIsTheTaylorPolynomialOfTheScore(@ForAll @IntRange(min = 1, max = 5) int d,
                                                           @ForAll @IntRange(min = 0, max = 5) int g,
                                                           @ForAll @DoubleRange(min = 0.05, max = 1.5) double beta,
                                                           @ForAll long seed) {
        Random rnd = new Random(seed);
        double[] q = new double[d];
        double[] k = new double[d];
        for (int t = 0; t < d; t++) {
            q[t] = 2 * rnd.nextDouble() - 1;
            k[t] = 2 * rnd.nextDouble() - 1;
        }
        MonomialFeatures f = MonomialFeatures.of(d, g, beta, Budget.DEFAULT);
        double[] fq = f.features(q, 0);
        double[] fk = f.features(k, 0);
        double dot = 0;
        for (int a = 0; a < fq.length; a++) {
            dot += fq[a] * fk[a];
        }
        MathContext mc = new MathContext(50);
        BigDecimal x = BigDecimal.ZERO;
        for (int t = 0; t < d; t++) {
            x = x.add(new BigDecimal(q[t]).multiply(new BigDecimal(k[t])), mc);
        }
        x = x.multiply(new BigDecimal(beta), mc);
        BigDecimal term = BigDecimal.ONE;
        BigDecimal p = BigDecimal.ONE;
        for (int t = 1; t <= g; t++) {
            term = term.multiply(x, mc).divide(BigDecimal.valueOf(t), mc);
            p = p.add(term, mc);
        }
        assertEquals(p.doubleValue(), dot, 1e-13 * Math.max(1, Math.abs(p.doubleValue())));
        assertEquals(p.doubleValue(), Taylor.polynomial(g, x.doubleValue()), 1e-14 * Math.max(1, Math.abs(p.doubleValue())));
    }

    @Test
    void monomialsAreTheDistinctMultiIndicesOfDegreeAtMostGCountedByTheBinomial() {
        int d = 4, g = 3;
        MonomialFeatures f = MonomialFeatures.of(d, g, 1, Budget.DEFAULT);
        assertEquals(35, f.rank()); // C(7, 4)
        Set<String> seen = new HashSet<>();
        for (int a = 0; a < f.rank(); a++) {
            int[] alpha = f.multiIndex(a);
            int sum = 0;
            for (int x : alpha) {
                sum += x;
            }
            assertTrue(sum <= g);
            assertTrue(seen.add(java.util.Arrays.toString(alpha)), "duplicate monomial");
        }
    }

    /** Ranks from theory §7 and PERF-NOTES: C(10,8)=45, C(11,8)=165, C(12,8)=495, C(20,16)=4845, C(68,64)=814385. */
    @Test
    void rankMatchesTheBinomialTable() {
        assertEquals(BigInteger.valueOf(45), MonomialFeatures.rank(8, 2));
        assertEquals(BigInteger.valueOf(165), MonomialFeatures.rank(8, 3));
        assertEquals(BigInteger.valueOf(495), MonomialFeatures.rank(8, 4));
        assertEquals(BigInteger.valueOf(4845), MonomialFeatures.rank(16, 4));
        assertEquals(BigInteger.valueOf(814385), MonomialFeatures.rank(64, 4));
    }

    @Test
    void rankAboveBudgetIsRefusedWithTheEstimateAndWhatToChange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PolynomialAttention.ofDegree(64, 4, 1.0 / 64, Budget.DEFAULT.withMaxBytes(1L << 30)));
        String msg = e.getMessage();
        assertTrue(msg.contains("C(68, 64) = 814385") && msg.contains("bytes") && msg.contains("lower the degree g"), msg);
    }

    /** With g + d past 2^31 the refusal named C(-2147483647, 2): the int sum wrapped in the message. */
    @Test
    void refusalsNameTheBinomialOfTheGivenDegreeAndDimension() {
        String bytes = assertThrows(IllegalArgumentException.class,
                () -> PolynomialAttention.ofDegree(2, Integer.MAX_VALUE, 1)).getMessage();
        assertTrue(bytes.startsWith("feature rank r = C(g+d, d) = C(2147483649, 2) = "), bytes);
        String cells = assertThrows(IllegalArgumentException.class,
                () -> MonomialFeatures.of(Integer.MAX_VALUE, 2, 1, Budget.DEFAULT.withMaxBytes(Long.MAX_VALUE))).getMessage();
        assertTrue(cells.contains("(C(2147483649, 2147483647))"), cells);
    }

    /** beta = 1e300 was accepted and gave the weight β²/2! = Infinity for g = 2. */
    @Test
    void betaWhoseWeightsOverflowIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MonomialFeatures.of(2, 2, 1e300, Budget.DEFAULT));
        assertEquals("beta (1.0E300) must keep the feature weights β^|α|/α! finite up to degree g = 2 (β^g = Infinity);"
                + " lower beta or g", e.getMessage());
        for (double w : MonomialFeatures.of(2, 2, 1e150, Budget.DEFAULT).weights()) {
            assertTrue(Double.isFinite(w));
        }
    }
}
