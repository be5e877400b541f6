package org.promptlimits.universality;

import org.junit.jupiter.api.Test;
import org.promptlimits.quantize.Grid;

import static org.junit.jupiter.api.Assertions.*;

class UniversalitySizesTest {

    /** theory §8.4: "ε = 1/2 needs Lp ≈ 136, K ≈ 1,100, r ≈ 1e18" (d = 1, L = 2, p = 1, L_f = 1). */
    @Test
    void fullFamilyAtEpsilonOneHalfMatchesTheSpecReference() {
        UniversalitySizes s = UniversalitySizes.fullFamily(1, 2, 1, 1, 0.5);
        assertEquals(8, s.steps());
        assertEquals(136, s.promptLength());
        assertEquals(136, PromptCode.fullFamilyLength(1, 2, 8, 8));
        assertEquals(1104, s.vocabulary());
        assertEquals(18, Math.floor(Math.log10(s.r())));
        assertTrue(s.toString().contains("Lp"));
    }

    /** theory §8.4: d = 1, L = 2, two targets, δ = 1/4: "c ≈ 4.7e5, r ≈ 7.5e6, millions of digits". */
    @Test
    void twoTargetsOnTheQuarterGridMatchTheSpecReference() {
        UniversalitySizes s = UniversalitySizes.forTargets(Grid.of(1, 2, 0.25), 2, 0.5);
        assertEquals(1, s.promptLength());
        assertEquals(4.66e5, s.temperature(), 0.01e5);
        assertEquals(7.46e6, s.r(), 0.01e6);
        assertTrue(s.digits() > 1e6);
        assertTrue(s.log10Separation() < -1e6);
    }

    @Test
    void deepLayerCountGrowsLikeOneOverEpsilonToTheDN() {
        double previous = 0;
        for (double eps : new double[] {0.5, 0.25, 0.1}) {
            UniversalitySizes s = UniversalitySizes.fullFamily(1, 1, 1, 0.5, eps);
            assertTrue(s.log10DeepLayers() > previous);
            previous = s.log10DeepLayers();
        }
    }

    /** A length past 2^63 came back as Long.MAX_VALUE, and one past double's range as 0 (from NaN). */
    @Test
    void fullFamilyLengthsThatDoNotFitALongAreRefused() {
        IllegalArgumentException saturated = assertThrows(IllegalArgumentException.class,
                () -> PromptCode.fullFamilyLength(1, 62, 2, 1));
        assertTrue(saturated.getMessage().startsWith("Lp of the full family (2.8"), saturated.getMessage());
        assertTrue(saturated.getMessage().endsWith("must fit a long; lower d, L or k"), saturated.getMessage());
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> PromptCode.fullFamilyLength(1000, 1000, 1000, 8));
        assertTrue(nan.getMessage().startsWith("Lp of the full family (Infinity"), nan.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PromptCode.fullFamilyLength(0, 2, 8, 8))
                .getMessage().startsWith("d (0) must be > 0"));
    }

    /**
     * fullFamily(Integer.MAX_VALUE, 2, …) and fullFamily(1, 2, 2, 1, 1e-300) were accepted and handed back digits() =
     * Infinity (every size past double's range, even as a log10); they are refused, naming the first such size.
     */
    @Test
    void sizesBeyondDoublesRangeAreRefusedNotReportedAsInfinity() {
        for (Runnable call : new Runnable[] {() -> UniversalitySizes.fullFamily(Integer.MAX_VALUE, 2, 2, 1, 0.5),
                () -> UniversalitySizes.fullFamily(1, 2, 2, 1, 1e-300),
                () -> UniversalitySizes.fullFamily(1, 2, 2, 1e300, 0.5)}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
            assertTrue(e.getMessage().contains("of the size report (Infinity) is not finite")
                    && e.getMessage().endsWith("lower d, L or lipschitz, or raise epsilon"), e.getMessage());
        }
        // L_f at Double.MAX_VALUE (with p = 2, or p at Double.MAX_VALUE too) made 1/δ infinite, and the refusal of
        // a size downstream advised "lower d or L, or raise epsilon": it names 1/δ, its rule and the L_f given
        for (double p : new double[] {2, Double.MAX_VALUE}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> UniversalitySizes.fullFamily(1, 2, p, Double.MAX_VALUE, 0.5));
            assertTrue(e.getMessage().startsWith("1/δ = ⌈2 L_f (dL)^{1/p} / ε⌉ (Infinity) is not finite; for"
                    + " lipschitz = 1.7976931348623157E308, p = " + p + ", d = 1, L = 2, epsilon = 0.5")
                    && e.getMessage().endsWith("lower lipschitz or raise epsilon"), e.getMessage());
        }
        // p at Double.MAX_VALUE alone makes (dL)^{1/p} = 1: a report, not a refusal
        assertTrue(Double.isFinite(UniversalitySizes.fullFamily(1, 2, Double.MAX_VALUE, 1, 0.5).digits()));
        UniversalitySizes fine = UniversalitySizes.fullFamily(1, 2, 2, 1, 1e-9);
        assertTrue(Double.isFinite(fine.digits()) && fine.digits() > 1e100, fine.toString());
    }
}
