package org.promptlimits.memorization;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Reference values. theory §6: d = 1, L = 2, δ = ε = 1/4 has N = 4^2 = 16 grid inputs, |Λ| = |{0, 0.75}| = 2,
 * grid tokens m = 4, so Lp ≥ 2·16·ln 2 / ln 4 = 16 (by hand: 4^{Lp} ≥ 2^{32} ⇔ Lp ≥ 16).
 */
class PromptLengthBoundTest {

    @Test
    void referenceExampleGivesSixteen() {
        PromptLengthBound b = PromptLengthBound.gridTokens(1, 2, 0.25, 0.25);
        assertEquals(BigInteger.valueOf(16), b.minimumLength());
        assertTrue(b.exact());
        assertEquals(16.0, b.value().doubleValue(), 1e-12);
        assertEquals("16", b.inputs().get("N = δ^{−dL}"));
        assertEquals("2", b.inputs().get("|Λ|"));
        assertTrue(b.formula().contains("ln|Λ| / ln m"));
        assertTrue(b.toString().startsWith("Lp ≥ 16"), b.toString());
    }

    @Test
    void labelCountIsExactForBinaryFractions() {
        assertEquals(2, PromptLengthBound.labelCount(0.25));
        assertEquals(4, PromptLengthBound.labelCount(0.1));   // {0, .3, .6, .9}
        assertEquals(1, PromptLengthBound.labelCount(0.5));   // {0}
        assertEquals(34, PromptLengthBound.labelCount(0.01)); // ⌊33.33⌋ + 1
    }

    @Test
    void epsilonAboveOneThirdNeedsNoPrompt() {
        PromptLengthBound b = PromptLengthBound.gridTokens(2, 2, 0.5, 0.5);
        assertEquals(BigInteger.ZERO, b.minimumLength());
        assertEquals(Double.NEGATIVE_INFINITY, b.log10Value());
    }

    @Test
    void astronomicalBoundIsReportedAsLog10WithoutOverflow() {
        // d = 4, L = 8, δ = ε = 1/10: N = 10^32, |Λ| = 4, m = 10^4: log10 = log10(32·10^32·ln 4/ln 10^4)
        PromptLengthBound b = PromptLengthBound.gridTokens(4, 8, 0.1, 0.1);
        double expected = Math.log10(32) + 32 + Math.log10(Math.log(4) / Math.log(1e4));
        assertEquals(expected, b.log10Value(), 1e-9);
        assertTrue(b.astronomical());
        assertNull(b.minimumLength());
        assertEquals(expected, org.promptlimits.check.Format.log10(b.value()), 1e-9);
        PromptLengthBound huge = PromptLengthBound.gridTokens(20, 50, 0.01, 0.01);
        assertEquals(2000, huge.log10Value(), 5);
        assertTrue(huge.toString().contains("log10"), huge.toString());
    }

    @Test
    void continuousBoundUsesTheCoveringAlphabet() {
        // m = (2·1·1/0.25 + 1)^1 = 9: Lp ≥ 2·16·ln 2/ln 9 = 10.09 → 11
        PromptLengthBound b = PromptLengthBound.continuous(1, 2, 0.25, 0.25, 1, 1);
        assertEquals(2 * 16 * Math.log(2) / Math.log(9), b.value().doubleValue(), 1e-9);
        assertEquals(BigInteger.valueOf(11), b.minimumLength());
        assertFalse(b.exact());
    }

    @Test
    void sixtyFourBitPromptsNeedOneTokenPerSixtyFourLabelBits() {
        // N = 100, d = 4, L = 4, ε = 0.1: labelings 4^{1600} = 2^{3200}; prompts 2^{256 Lp}: Lp ≥ 12.5 → 13
        PromptLengthBound b = PromptLengthBound.forDatasetSize(100, 4, 4, 0.1, PromptSpace.bitsPerEntry(64, 4));
        assertEquals(BigInteger.valueOf(13), b.minimumLength());
        assertTrue(b.exact());
    }

    @Property(tries = 60)
    void minimumLengthIsTheSmallestIntegerWhosePromptCountCoversTheLabelings(
            @ForAll @IntRange(min = 1, max = 3) int d, @ForAll @IntRange(min = 1, max = 3) int L,
            @ForAll @IntRange(min = 2, max = 5) int inverseDelta, @ForAll @IntRange(min = 1, max = 4) int inverseEps) {
        double delta = 1.0 / inverseDelta;
        double eps = 1.0 / (3 * inverseEps + 1);
        PromptLengthBound b = PromptLengthBound.gridTokens(d, L, delta, eps);
        if (b.astronomical() || !b.exact()) {
            return;
        }
        BigInteger m = BigInteger.valueOf(inverseDelta).pow(d);
        BigInteger labelings = BigInteger.valueOf(PromptLengthBound.labelCount(eps))
                .pow(d * L * BigInteger.valueOf(inverseDelta).pow(d * L).intValueExact());
        int lp = b.minimumLength().intValueExact();
        assertTrue(m.pow(lp).compareTo(labelings) >= 0);
        assertTrue(lp == 0 || m.pow(lp - 1).compareTo(labelings) < 0);
        assertTrue(Math.abs(b.value().doubleValue() - lp) < 1 + 1e-9);
    }

    @Property(tries = 40)
    void boundGrowsWithSequenceLengthAndShrinksWithEpsilon(@ForAll @IntRange(min = 1, max = 3) int d,
                                                            @ForAll @IntRange(min = 1, max = 3) int L) {
        double a = PromptLengthBound.gridTokens(d, L, 0.5, 0.05).log10Value();
        assertTrue(PromptLengthBound.gridTokens(d, L + 1, 0.5, 0.05).log10Value() > a);
        assertTrue(PromptLengthBound.gridTokens(d, L, 0.5, 0.02).log10Value() > a);
    }

    @Test
    void badInputIsRefusedWithParameterValueAndRule() {
        assertMessage(() -> PromptLengthBound.gridTokens(1, 2, 0.25, 0), "epsilon (0.0) must be in (0.0, 1.0)");
        assertMessage(() -> PromptLengthBound.gridTokens(1, 2, 0.25, 1.5), "epsilon (1.5) must be in (0.0, 1.0)");
        assertMessage(() -> PromptLengthBound.gridTokens(1, 2, 0.25, Double.NaN), "epsilon (NaN)");
        assertMessage(() -> PromptLengthBound.gridTokens(1, 2, 0.3, 0.25), "delta (0.3) must make 1/delta an integer");
        assertMessage(() -> PromptLengthBound.gridTokens(1, 2, 1, 0.25), "delta (1.0) must be <= 1/2");
        assertMessage(() -> PromptLengthBound.gridTokens(1, 2, -0.25, 0.25), "delta (-0.25) must be in (0, 1]");
        assertMessage(() -> PromptLengthBound.gridTokens(1, 2, Double.NaN, 0.25), "delta (NaN) must be in (0, 1]");
        assertMessage(() -> PromptLengthBound.gridTokens(0, 2, 0.25, 0.25), "d (0) must be > 0");
        assertMessage(() -> PromptLengthBound.gridTokens(1, -1, 0.25, 0.25), "L (-1) must be > 0");
        assertMessage(() -> PromptLengthBound.continuous(1, 2, 0.25, 0.25, -1, 1), "promptRadius (-1.0) must be");
        assertMessage(() -> PromptLengthBound.continuous(1, 2, 0.25, 0.25, 1, Double.POSITIVE_INFINITY),
                "lipschitzInPrompt (Infinity) must be");
        assertMessage(() -> PromptSpace.alphabet(BigInteger.ONE), "m (1) must be >= 2");
        assertMessage(() -> PromptLengthBound.forDatasetSize(0, 1, 1, 0.1, PromptSpace.alphabet(BigInteger.TWO)),
                "datasetSize (0) must be >= 1");
        // a bound beyond 10^(10^8) is reported by its log10, never refused (size reports do not refuse)
        PromptLengthBound huge = PromptLengthBound.gridTokens(10_000, 10_000, 1e-9, 0.1);
        assertTrue(huge.astronomical() && huge.value() == null && huge.log10Value() > 1e8, huge.toString());
        assertTrue(huge.toString().startsWith("Lp ≥ 10^"), huge.toString());
    }

    /**
     * R_P = Λ_P = 1e-200: 2 R_P Λ_P / ε underflowed to 0, so ln m = 0 and the call was refused as "lnM (0.0) must
     * be > 0", a value the caller never gave. The refusal names the ratio and the caller's parameters.
     */
    @Test
    void aPromptSpaceRatioBelowDoubleIsRefusedByItsParameters() {
        assertMessage(() -> PromptLengthBound.continuous(1, 2, 0.25, 0.25, 1e-200, 1e-200),
                "2 R_P Λ_P / ε (0.0 for promptRadius = 1.0E-200, lipschitzInPrompt = 1.0E-200, epsilon = 0.25) must be"
                        + " at least 2.2250738585072014E-308");
        assertTrue(PromptLengthBound.continuous(1, 2, 0.25, 0.25, 1e-150, 1e-150).log10Value() > 300);
    }

    static void assertMessage(org.junit.jupiter.api.function.Executable call, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expected), "message: " + e.getMessage());
    }
}
