package org.promptlimits;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.promptlimits.attention.Apti;
import org.promptlimits.attention.SoftPromptAttention;
import org.promptlimits.attention.exact.ReferenceAttention;
import org.promptlimits.attention.fast.PolynomialAttention;
import org.promptlimits.boltzmann.Boltzmann;
import org.promptlimits.boltzmann.BoltzmannChecks;
import org.promptlimits.check.Format;
import org.promptlimits.contextual.ContextualMapping;
import org.promptlimits.contextual.MappingOptions;
import org.promptlimits.contextual.Sequences;
import org.promptlimits.core.FeedForward;
import org.promptlimits.core.Layer;
import org.promptlimits.core.Matrices;
import org.promptlimits.core.SelfAttention;
import org.promptlimits.core.Tokens;
import org.promptlimits.core.Transformer;
import org.promptlimits.core.Vectors;
import org.promptlimits.precision.BigMath;
import org.promptlimits.precision.Interval;
import org.promptlimits.quantize.DistanceEstimate;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exact refusal messages for the classes of bad input the sweep ({@link EveryEntryPointRefusesBadInputTest}) can
 * only find generically: exponential work estimated before it starts, non-finite results, domain rules, advice that
 * names the real cause, null elements, and sizes too large to print digit by digit.
 */
class RefusalMessagesTest {

    private static void refused(Executable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), () -> "'" + f + "' not in: " + e.getMessage());
        }
    }

    // ---------------------------------------------------------------- exponential work before the budget

    @Test
    void theoryMappingWithFortyTokensIsRefusedWithItsDigitEstimateBeforeAnyExponential() {
        double[][] voc = new double[40][];
        for (int t = 0; t < 40; t++) {
            double angle = 2 * Math.PI * t / 40;
            voc[t] = new double[] {Math.cos(angle), Math.sin(angle)};
        }
        refused(() -> ContextualMapping.construct(Sequences.allArrangements(voc, 2, 10_000), MappingOptions.theory()),
                "THEORY contextual mapping (exact outputs) needs", "digits", "K = 40 tokens", "above Budget.maxDigits",
                "use EMPIRICAL constants, or fewer tokens K");
    }

    @Test
    void theoryMappingWithTokensOneInATrillionApartNamesTheirDistance() {
        double[][] voc = {{1, 0}, {1 + 1e-12, 0}, {0, 1}};
        refused(() -> ContextualMapping.construct(Sequences.allArrangements(voc, 2, 100), MappingOptions.theory()),
                "THEORY contextual mapping (exact outputs) needs", "(the smallest distance between two tokens)",
                "tokens further apart");
    }

    @Test
    void b4AtAScoreBoundOfAMillionIsRefusedAgainstTheDigitBudget() {
        BigDecimal[][] vectors = {{BigDecimal.ZERO, BigDecimal.TEN}, {BigDecimal.ONE, new BigDecimal(20)}};
        refused(() -> BoltzmannChecks.b4(vectors, new BigDecimal(1_000_000)), "B4 check at r = 1e6 needs",
                "digits", "above Budget.maxDigits", "lower the score bound r");
    }

    @Test
    void b3WhoseTwoSidesNeedMillionsOfDigitsIsRefusedBeforeTheRetryNotComputedForMinutes() {
        // {0, −1e8}: max a − boltz(a) is (n−1)Δe^{−Δ} / (1 + e^{−Δ}), so only 4.3e7 digits would tell it from the bound
        refused(() -> BoltzmannChecks.b3(new double[] {0, -1e8}), "B3 at Delta = 1e8", "needs 4.343e7 digits",
                "above Budget.maxDigits", "lower Delta");
        // with the other entries spread out, 40 digits separate them and the same gap is checked
        assertTrue(BoltzmannChecks.b3(new double[] {0, -1e8, -1e8 - 1}).holds());
    }

    @Test
    void b3WithAGapBeyondExpsLimitNamesDeltaNotExpsArgument() {
        refused(() -> BoltzmannChecks.b3(new double[] {0, -2e9, -2e9 - 1}), "Delta (2e9) must be <= 1e9");
        refused(() -> BoltzmannChecks.b3(new double[] {1e300, -1e300}), "Delta (2e300) must be <= 1e9");
    }

    @Test
    void aSizeOfTwoToTheThirtyMillionPrintsFromItsBits() {
        BigDecimal huge = new BigDecimal(BigInteger.ONE.shiftLeft(30_000_000));
        // log10(2^(3·10^7)) = 9030899.86991943…: mantissa 10^0.86991943… = 7.41173
        assertEquals("7.412e9030899", Format.number(huge));
        assertEquals(9030899, Format.exponent10(huge));
        assertEquals(9030899.8699, Format.log10(huge), 1e-3);
    }

    @Test
    void aMonteCarloLoopOfTwoBillionSamplesIsRefusedWithItsTimeEstimate() {
        refused(() -> DistanceEstimate.of(1, 2, 2, x -> x, x -> x, Integer.MAX_VALUE, 1),
                "Monte Carlo d_p needs about", "seconds (samples = 2147483647 ×", "measured over units",
                "above Budget.maxSeconds", "lower samples");
    }

    // ---------------------------------------------------------------- non-finite results

    @Test
    void referenceAttentionWithOverflowingScoresRefusesInsteadOfNaN() {
        double[] q = {1e200, 1e200};
        double[] v = {1, 2};
        refused(() -> ReferenceAttention.create().attend(2, 2, 1, 1, q, q.clone(), v, 1, new double[2]),
                "score beta·<q_0, k_0> (Infinity) must be finite", "lower beta or rescale q and k");
    }

    @Test
    void selfAttentionWithWeightsOf1e200RefusesNamingTheOverflow() {
        double[][] big = {{1e200}};
        SelfAttention sa = SelfAttention.of(big, big, big, big);
        refused(() -> sa.applyReference(new double[][] {{1, 2}}), "SA(Z) column 0 is not finite",
                "rescale the weights or Z");
    }

    @Test
    void boltzmannGradientAtTheEdgesOfTheDoubleRangeIsFinite() {
        double[] g = Boltzmann.gradient(new double[] {-1.7e308, 1.7e308});
        assertEquals(0, g[0]);
        assertEquals(1, g[1]);
    }

    @Test
    void aDotProductThatOverflowsIsRefusedButANormOfLargeEntriesIsComputed() {
        refused(() -> Vectors.dot(new double[] {1e200}, new double[] {1e200}), "a·b (Infinity) is not finite",
                "rescale them");
        assertEquals(Math.sqrt(2) * 1e200, Vectors.norm(new double[] {1e200, 1e200}), 1e186);
    }

    // ---------------------------------------------------------------- domain rules

    @Test
    void pNormBelowOneAndNaNScaleAreRefused() {
        double[][] a = {{1, 2}};
        refused(() -> Tokens.pDistance(a, a, 0), "p (0.0) must be finite and >= 1");
        refused(() -> SoftPromptAttention.uniformRows(2, 2, Double.NaN, 1), "scale (NaN) must be finite and >= 0");
    }

    @Test
    void polynomialAttentionOnRawArraysAboveItsBoundIsRefusedNamingTheBound() {
        PolynomialAttention pa = PolynomialAttention.forError(1, 0.1, 1, 2);
        double[] q = new double[8];
        Arrays.fill(q, 30);
        refused(() -> pa.attend(4, 4, 2, 2, q, q.clone(), q.clone(), 1, new double[8]),
                "q and k reach scores up to R' = β·max‖q_i‖·max‖k_j‖ = 1800", "above R = βdB² = 2", "(B = 1)",
                "keep the entries of q and k within [−B, B]");
    }

    @Test
    void polynomialAttentionAtAScoreBoundOf36NamesCancellationNotTheDegree() {
        refused(() -> PolynomialAttention.forError(3, 0.1, 2, 2), "R = βdB² (36 for B = 3.0, beta = 2.0, d = 2)",
                "cancels whatever the degree", "use exact attention");
        // a fixed degree of 40 on scores of −36: a positive but meaningless denominator unless refused
        PolynomialAttention fixed = PolynomialAttention.ofDegree(2, 40, 2);
        double[] q = {3, 3, 3, 3};
        double[] k = {-3, -3, -3, -3};
        refused(() -> fixed.attend(2, 2, 2, 2, q, k, new double[] {1, 2, 3, 4}, 2, new double[4]),
                "R' = β·max‖q_i‖·max‖k_j‖ = 36", "raising g does not help", "use exact attention");
    }

    @Test
    void polynomialAttentionWithTooSmallADegreeNamesTheRowAndTheInstanceScoreBound() {
        // P_1(x) = 1 + x: every score is −8 (β⟨q, k⟩ with q = (2, 2), k = (−2, −2)), so every denominator is 3·(1 − 8)
        PolynomialAttention linear = PolynomialAttention.ofDegree(2, 1, 1);
        double[] q = {2, 2, 2, 2, 2, 2};
        double[] k = {-2, -2, -2, -2, -2, -2};
        for (int threads : new int[] {1, 2}) {
            refused(() -> linear.withThreads(threads).attend(3, 3, 2, 2, q, k, new double[] {1, 2, 3, 4, 5, 6}, 1,
                            new double[6]), "denominator of row 0 (-21.0) must be positive and finite",
                    "degree g = 1 is too small for scores up to R' = 8", "build it with forProblem");
        }
    }

    // ---------------------------------------------------------------- nulls

    @Test
    void nullLayersAndListsHoldingNullNameTheParameter() {
        refused(() -> Transformer.of(1, null), "layers (null) must not be null");
        FeedForward ff = FeedForward.of("f", new double[][] {{1}}, new double[] {0}, new double[][] {{1}},
                new double[] {0});
        List<Layer> withNull = Arrays.asList(ff, null);
        refused(() -> Transformer.of(1, withNull), "layers[1] (null) must not be null");
        refused(() -> Matrices.copy(new double[][] {{1}, null}), "m[1] (null) must not be null");
    }

    @Test
    void bigDecimalEntriesBeyondTheDoubleRangeAreRefusedNamingTheEntry() {
        BigDecimal huge = new BigDecimal("-1e400");
        refused(() -> Matrices.toDouble("W_Q", new BigDecimal[][] {{BigDecimal.ONE, huge}}),
                "W_Q[0][1] (-1e400)", "must be within double's range");
        refused(() -> Matrices.toDouble("b1", new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ONE, huge}),
                "b1[2] (", "must be within double's range");
        refused(() -> Matrices.toDouble("W_K", new BigDecimal[][] {{BigDecimal.ONE}, {null}}),
                "W_K[1][0] (null) must not be null");
    }

    @Test
    void elementaryFunctionsAtMillionsOfDigitsAreRefusedBeforeComputing() {
        MathContext huge = new MathContext(10_000_000);
        refused(() -> BigMath.exp(BigDecimal.ONE, huge),
                "mc precision (10000000) must be <= 100000 digits (BigMath.MAX_FUNCTION_DIGITS)", "ask for fewer digits");
        refused(() -> BigMath.log(BigDecimal.TEN, huge), "mc precision (10000000)");
        refused(() -> BigMath.pi(huge), "mc precision (10000000)");
        refused(() -> Interval.point(new BigDecimal("1e-30")).exp(huge), "mc precision (10000000)");
        refused(() -> Interval.point(BigDecimal.ONE).log(huge), "mc precision (10000000)");
        refused(() -> Interval.point(new BigDecimal(2)).sqrt(huge), "mc precision (10000000)");
    }

    @Test
    void aptiInstanceSizesAreCheckedBeforeAllocating() {
        refused(() -> Apti.random(1 << 30, 1 << 10, 1, 0.1, 1, 1), "n*d", "must be < 2^31");
    }

    @Test
    void aValueJustBeyondItsBoundIsPrintedWithTheDigitsThatShowIt() {
        refused(() -> BigMath.exp(new BigDecimal("1.0000001e9"), new MathContext(20)), "x (1.0000001e9)", "1e9");
        refused(() -> BigMath.exp(new BigDecimal("-1.0000001e9"), new MathContext(20)), "x (-1.0000001e9)");
        refused(() -> Interval.of(new BigDecimal("1.0000002"), new BigDecimal("1.0000001")),
                "lo (1.0000002)", "hi (1.0000001)");
    }
}
