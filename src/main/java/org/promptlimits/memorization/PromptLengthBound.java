package org.promptlimits.memorization;

import org.promptlimits.check.Format;
import org.promptlimits.check.Require;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The counting lower bound on the soft-prompt length needed for ε-memorization, Theorem 2.5:
 * {@code Lp ≥ d·L·N·ln|Λ| / ln m}. theory §6 [P: exponential in dL and 1/ε; C: formula].
 *
 * <p>The argument: take N distinct inputs (the theorem takes the whole δ-grid, N = δ^{−dL}) and give each
 * of their d·L output entries a label from Λ = {0, 3ε, 6ε, …} ∩ [0, 1], so |Λ| = ⌊1/(3ε)⌋ + 1 and there are
 * |Λ|^{dLN} labelings. Two labelings differ by at least 3ε somewhere, so no output can be within ε of both:
 * one prompt ε-memorizes at most one labeling. With m distinguishable prompt tokens there are m^{Lp}
 * prompts, hence {@code m^{Lp} ≥ |Λ|^{dLN}}. The form of m is a {@link PromptSpace}.
 *
 * <p>The value can be astronomically large (δ^{−dL} grows exponentially), so it is carried as
 * {@link #log10Value()} and as a {@link BigDecimal} of 15 significant digits; the smallest integer length
 * {@link #minimumLength()} is given when the value is below 10^15, decided exactly by comparing
 * m^{Lp} with |Λ|^{dLN} in integers when m is an integer and the counts have at most
 * {@value #EXACT_BITS} bits.
 *
 * @param formula       the bound as a formula with the quantities named
 * @param inputs        the inputs and derived counts by name, in order (unmodifiable)
 * @param value         d·L·N·ln|Λ| / ln m to 15 significant digits (0 when |Λ| = 1)
 * @param log10Value    log10 of value; −∞ when the value is 0
 * @param minimumLength the smallest integer Lp allowed by the bound, or null when value ≥ 10^15
 * @param exact         whether minimumLength was decided in exact integer arithmetic
 */
public record PromptLengthBound(String formula, Map<String, String> inputs, BigDecimal value, double log10Value,
                                BigInteger minimumLength, boolean exact) {

    /** Largest bit length of |Λ|^{dLN} for which the integer comparison is done exactly. */
    public static final int EXACT_BITS = 200_000;

    private static final double MAX_LOG10 = 1e8;

    public PromptLengthBound {
        Require.notNull("formula", formula);
        inputs = Collections.unmodifiableMap(new LinkedHashMap<>(Require.notNull("inputs", inputs)));
        Require.that(value != null || log10Value >= MAX_LOG10, "value (null) must be given below 10^(10^8)");
    }

    /**
     * The bound of Theorem 2.5 with the whole δ-grid as inputs, N = δ^{−dL}, and grid prompt tokens,
     * m = δ^{−d}: {@code Lp ≥ d·L·δ^{−dL}·ln|Λ| / ln(δ^{−d})}. Reference: d = 1, L = 2, δ = ε = 1/4 gives
     * N = 16, |Λ| = 2, m = 4 and Lp ≥ 2·16·ln 2 / ln 4 = 16 (theory §6).
     *
     * @throws IllegalArgumentException unless d, L ≥ 1, 1/δ is an integer ≥ 2 and ε ∈ (0, 1)
     */
    public static PromptLengthBound gridTokens(int d, int L, double delta, double epsilon) {
        return theorem25(d, L, delta, epsilon, PromptSpace.gridTokens(d, delta));
    }

    /**
     * The bound of Theorem 2.5 for continuous prompts in [−R_P, R_P] with τ_P Λ_P-Lipschitz in P:
     * {@code Lp ≥ d·L·δ^{−dL}·ln|Λ| / (d·ln(2 R_P Λ_P / ε + 1))}. theory §6 [C].
     *
     * @throws IllegalArgumentException unless d, L ≥ 1, 1/δ is an integer, ε ∈ (0, 1), R_P, Λ_P &gt; 0
     */
    public static PromptLengthBound continuous(int d, int L, double delta, double epsilon,
                                               double promptRadius, double lipschitzInPrompt) {
        return theorem25(d, L, delta, epsilon, PromptSpace.continuous(d, promptRadius, lipschitzInPrompt, epsilon));
    }

    /**
     * The bound of Theorem 2.5 with the δ-grid as inputs (N = δ^{−dL}) and prompts from {@code space}.
     *
     * @throws IllegalArgumentException unless d, L ≥ 1, 1/δ is an integer and ε ∈ (0, 1)
     */
    public static PromptLengthBound theorem25(int d, int L, double delta, double epsilon, PromptSpace space) {
        Require.positive("d", d);
        Require.positive("L", L);
        long k = inverseStep(delta);
        Require.inOpen("epsilon", epsilon, 0, 1);
        Require.notNull("space", space);
        double log10N = (double) d * L * Math.log10(k);
        BigInteger n = log10N <= EXACT_BITS * Math.log10(2) ? BigInteger.valueOf(k).pow(d * L) : null;
        Map<String, String> in = new LinkedHashMap<>();
        in.put("d", Integer.toString(d));
        in.put("L", Integer.toString(L));
        in.put("δ", Double.toString(delta));
        in.put("ε", Double.toString(epsilon));
        in.put("N = δ^{−dL}", n != null && log10N < 15 ? n.toString() : k + "^" + ((long) d * L) + " ≈ 10^" + round(log10N));
        return count(d, L, n, log10N, epsilon, space, in,
                "Lp ≥ d·L·N·ln|Λ| / ln m with N = δ^{−dL} grid inputs, |Λ| = ⌊1/(3ε)⌋ + 1");
    }

    /**
     * The bound for memorizing every labeling of some N distinct inputs: {@code Lp ≥ d·L·N·ln|Λ| / ln m}.
     * It is a worst case over labelings: one particular dataset may need fewer prompt tokens.
     *
     * @throws IllegalArgumentException unless N, d, L ≥ 1 and ε ∈ (0, 1)
     */
    public static PromptLengthBound forDatasetSize(long datasetSize, int d, int L, double epsilon, PromptSpace space) {
        Require.that(datasetSize >= 1, "datasetSize (" + datasetSize + ") must be >= 1");
        Require.positive("d", d);
        Require.positive("L", L);
        Require.inOpen("epsilon", epsilon, 0, 1);
        Require.notNull("space", space);
        Map<String, String> in = new LinkedHashMap<>();
        in.put("d", Integer.toString(d));
        in.put("L", Integer.toString(L));
        in.put("ε", Double.toString(epsilon));
        in.put("N", Long.toString(datasetSize));
        return count(d, L, BigInteger.valueOf(datasetSize), Math.log10(datasetSize), epsilon, space, in,
                "Lp ≥ d·L·N·ln|Λ| / ln m for all labelings of N inputs, |Λ| = ⌊1/(3ε)⌋ + 1");
    }

    /**
     * The bound for one frozen transformer that ε-memorizes each of M given labelings, any two of which differ
     * by at least 3ε somewhere: one prompt serves at most one labeling, so {@code m^{Lp} ≥ M}, i.e.
     * {@code Lp ≥ ln M / ln m}. With M = |Λ|^{dLN} this is {@link #forDatasetSize}. theory §6 [C].
     *
     * @param labelings M ≥ 1
     * @throws IllegalArgumentException if M &lt; 1
     */
    public static PromptLengthBound forFamily(BigInteger labelings, PromptSpace space) {
        Require.notNull("labelings", labelings);
        Require.that(labelings.signum() > 0, "labelings (" + labelings + ") must be >= 1");
        Require.notNull("space", space);
        Map<String, String> in = new LinkedHashMap<>();
        in.put("M (labelings)", labelings.toString());
        in.put("m", space.formula() + " (" + space.description() + ")");
        in.put("ln m", Double.toString(space.lnM()));
        String formula = "Lp ≥ ln M / ln m for M labelings pairwise ≥ 3ε apart";
        if (labelings.equals(BigInteger.ONE)) {
            return new PromptLengthBound(formula, in, BigDecimal.ZERO, Double.NEGATIVE_INFINITY, BigInteger.ZERO, true);
        }
        double log10 = Math.log10(PromptSpace.ln(labelings)) - Math.log10(space.lnM());
        BigDecimal value = pow10(log10);
        BigInteger minimum = null;
        boolean exact = false;
        if (log10 < 15) {
            minimum = BigInteger.valueOf((long) Math.ceil(value.doubleValue()));
            if (space.m() != null && labelings.bitLength() <= EXACT_BITS) {
                minimum = exactMinimum(space.m(), labelings, minimum);
                exact = true;
            }
        }
        return new PromptLengthBound(formula, in, value, log10, minimum, exact);
    }

    /**
     * The number of labels |Λ| = |{0, 3ε, 6ε, …} ∩ [0, 1]| = ⌊1/(3ε)⌋ + 1, computed exactly from the binary
     * value of ε (so ε = 1/4 gives 2, ε = 0.1 gives 4).
     *
     * @throws IllegalArgumentException unless ε ∈ (0, 1)
     */
    public static long labelCount(double epsilon) {
        Require.inOpen("epsilon", epsilon, 0, 1);
        BigDecimal threeEps = new BigDecimal(epsilon).multiply(BigDecimal.valueOf(3));
        BigDecimal q = BigDecimal.ONE.divideToIntegralValue(threeEps);
        Require.that(q.compareTo(BigDecimal.valueOf(Long.MAX_VALUE - 1)) < 0,
                "epsilon (" + epsilon + ") must be >= 1e-18 so that the label count fits a long");
        return q.longValueExact() + 1;
    }

    /** 1/δ as an integer k ≥ 1, or an exception naming δ. */
    static long inverseStep(double delta) {
        Require.that(delta > 0 && delta <= 1, "delta (" + delta + ") must be in (0, 1]");
        double inv = 1 / delta;
        long k = Math.round(inv);
        Require.that(k >= 1 && Math.abs(inv - k) <= 1e-9 * k && k <= 1_000_000_000L,
                "delta (" + delta + ") must make 1/delta an integer between 1 and 1e9");
        return k;
    }

    private static PromptLengthBound count(int d, int L, BigInteger n, double log10N, double epsilon,
                                           PromptSpace space, Map<String, String> in, String formula) {
        long labels = labelCount(epsilon);
        in.put("|Λ|", Long.toString(labels));
        in.put("m", space.formula() + " (" + space.description() + ")");
        in.put("ln m", Double.toString(space.lnM()));
        if (labels == 1) {
            in.put("note", "ε > 1/3: one label, every dataset is memorized by any prompt that outputs 0");
            return new PromptLengthBound(formula, in, BigDecimal.ZERO, Double.NEGATIVE_INFINITY, BigInteger.ZERO, true);
        }
        double lnLabels = Math.log(labels);
        double log10 = Math.log10((double) d * L) + log10N + Math.log10(lnLabels) - Math.log10(space.lnM());
        BigDecimal value = pow10(log10);
        BigInteger minimum = null;
        boolean exact = false;
        if (log10 < 15) {
            minimum = BigInteger.valueOf((long) Math.ceil(value.doubleValue()));
            double labelBits = (double) d * L * (n == null ? Double.POSITIVE_INFINITY : n.doubleValue())
                    * Math.log(labels) / Math.log(2);
            if (space.m() != null && n != null && labelBits <= EXACT_BITS) {
                minimum = exactMinimum(space.m(), BigInteger.valueOf(labels).pow(d * L * n.intValueExact()), minimum);
                exact = true;
            }
        }
        return new PromptLengthBound(formula, in, value, log10, minimum, exact);
    }

    /** Smallest c with m^c ≥ labelings, starting from an estimate. */
    private static BigInteger exactMinimum(BigInteger m, BigInteger labelings, BigInteger estimate) {
        int c = estimate.intValueExact();
        while (c > 0 && m.pow(c - 1).compareTo(labelings) >= 0) {
            c--;
        }
        while (m.pow(c).compareTo(labelings) < 0) {
            c++;
        }
        return BigInteger.valueOf(c);
    }

    /** 10^log10 to 15 digits, or null above 10^(10^8) (the bound is then given by {@link #log10Value} alone). */
    private static BigDecimal pow10(double log10) {
        if (!(log10 < MAX_LOG10)) {
            return null;
        }
        double e = Math.floor(log10);
        double mantissa = Math.pow(10, log10 - e);
        return new BigDecimal(mantissa, new MathContext(15, RoundingMode.HALF_EVEN)).scaleByPowerOfTen((int) e);
    }

    private static String round(double x) {
        return new BigDecimal(x).round(new MathContext(6)).toPlainString();
    }

    /** Whether the value is too large for an integer length to be meaningful (≥ 10^15). */
    public boolean astronomical() {
        return minimumLength == null;
    }

    /** "Lp ≥ 16" or "Lp ≥ 3.162e45 (log10 = 45.5)". */
    @Override
    public String toString() {
        if (!astronomical()) {
            return "Lp ≥ " + minimumLength + " (bound " + Format.number(value) + "; " + formula + ")";
        }
        return "Lp ≥ " + (value != null ? Format.number(value) : Format.power10(log10Value)) + " (log10 = "
                + round(log10Value) + "; " + formula + ")";
    }
}
