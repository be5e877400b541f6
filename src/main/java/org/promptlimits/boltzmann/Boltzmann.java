package org.promptlimits.boltzmann;

import org.promptlimits.check.Require;
import org.promptlimits.core.Softmax;
import org.promptlimits.precision.BigMath;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Arrays;

/**
 * The Boltzmann operator boltz(a) = Σ a_k e^{a_k} / Σ e^{a_k}, the softmax-weighted mean of the scores.
 * theory §2 [L] (Kajitsuka &amp; Sato 2024).
 *
 * <p>Both versions are max-shifted: with m = max a and weights w_k = e^{a_k − m} ∈ (0, 1],
 * {@code boltz(a) = m − Σ w_k (m − a_k) / Σ w_k}. Every term of the sum is ≥ 0, so the gap to the maximum
 * ({@link #gapToMax}) is computed without cancellation, even when it is 10^-400; and the entries are
 * summed in sorted order, so the result depends only on the multiset of entries: it is exactly
 * permutation invariant, in floating point too. In double, min a ≤ boltz(a) ≤ max a holds exactly
 * (check B1) because a non-positive weighted mean of values ≥ min a − m is added to m.
 */
public final class Boltzmann {

    private Boltzmann() {
    }

    /**
     * boltz(a) in double.
     *
     * @param a scores, length ≥ 1, all finite. Not modified.
     * @return boltz(a), with min a ≤ boltz(a) ≤ max a
     * @throws IllegalArgumentException if a is empty or has a non-finite entry
     */
    public static double of(double[] a) {
        double[] s = sorted(a);
        double m = s[s.length - 1];
        return m - gapSorted(s);
    }

    /**
     * max a − boltz(a) = Σ w_k (m − a_k) / Σ w_k in double, with no cancellation (all terms ≥ 0).
     *
     * @param a scores, length ≥ 1, all finite. Not modified.
     */
    public static double gapToMax(double[] a) {
        return gapSorted(sorted(a));
    }

    private static double gapSorted(double[] s) {
        double m = s[s.length - 1];
        double[] w = new double[s.length];
        double weights = Softmax.weights(s, 0, s.length, w); // ascending: smallest weights first; ≥ 1
        double weighted = 0;
        for (int k = 0; k < s.length; k++) {
            if (w[k] != 0) { // w = 0 (underflow for huge spreads) drops the term; m − s_k may overflow to +∞ there
                weighted += w[k] * (m - s[k]);
            }
        }
        return weighted / weights;
    }

    /**
     * The softmax weights σ_k(a) = e^{a_k − max a} / Σ_j e^{a_j − max a} in double, in the order of a
     * ({@link Softmax#of(double[])}).
     *
     * @param a scores, length ≥ 1, all finite. Not modified.
     */
    public static double[] softmax(double[] a) {
        return Softmax.of(requireScores(a));
    }

    /**
     * The gradient ∂boltz/∂a_k = σ_k(a) (1 + a_k − boltz(a)) in double (theory §2, B2).
     *
     * @param a scores, length ≥ 1, all finite. Not modified.
     */
    public static double[] gradient(double[] a) {
        double b = of(a);
        double[] sigma = softmax(a);
        double[] g = new double[a.length];
        for (int k = 0; k < a.length; k++) {
            // σ_k = 0 (a_k − max a below −745) makes the term 0; 1 + a_k − b alone may overflow to −∞ there
            g[k] = sigma[k] == 0 ? 0 : sigma[k] * ((a[k] - b) + 1); // a_k − b first: 1 is not lost beside large a_k
        }
        return Require.finiteResult("gradient", g, "the scores a differ by more than 1e308; rescale a");
    }

    /**
     * boltz(a) in BigDecimal at precision {@code mc}; exponentials by {@link BigMath#exp}, so no weight
     * underflows however negative a_k − max a is.
     *
     * @param a  scores, length ≥ 1, no null entry. Not modified.
     * @param mc working precision; choose it with {@link org.promptlimits.precision.PrecisionPlan}
     * @return boltz(a) with relative error about 10^{−digits}·(max a − min a)/|boltz(a)|
     */
    public static BigDecimal of(BigDecimal[] a, MathContext mc) {
        Require.precision("mc", mc);
        BigDecimal[] s = sorted(a);
        return s[s.length - 1].subtract(gapSorted(s, mc), mc);
    }

    /** max a − boltz(a) in BigDecimal, with no cancellation (all terms ≥ 0). {@code a} is not modified. */
    public static BigDecimal gapToMax(BigDecimal[] a, MathContext mc) {
        Require.precision("mc", mc);
        return gapSorted(sorted(a), mc);
    }

    private static BigDecimal gapSorted(BigDecimal[] s, MathContext mc) {
        BigDecimal m = s[s.length - 1];
        BigDecimal[] w = Softmax.weights(s, mc);
        BigDecimal weighted = BigDecimal.ZERO;
        for (int k = 0; k < s.length; k++) {
            weighted = weighted.add(w[k].multiply(m.subtract(s[k]), mc), mc);
        }
        return weighted.divide(Softmax.sum(w, mc), mc);
    }

    /** The softmax weights σ_k(a) in BigDecimal at precision {@code mc}, in the order of a ({@link Softmax}). Not modified. */
    public static BigDecimal[] softmax(BigDecimal[] a, MathContext mc) {
        Require.precision("mc", mc);
        return Softmax.of(requireScores(a), mc);
    }

    /** The gradient σ_k(a)(1 + a_k − boltz(a)) in BigDecimal at precision {@code mc}. {@code a} is not modified. */
    public static BigDecimal[] gradient(BigDecimal[] a, MathContext mc) {
        Require.precision("mc", mc);
        BigDecimal b = of(a, mc);
        BigDecimal[] sigma = softmax(a, mc);
        BigDecimal[] g = new BigDecimal[a.length];
        for (int k = 0; k < a.length; k++) {
            g[k] = sigma[k].multiply(BigDecimal.ONE.add(a[k]).subtract(b), mc);
        }
        return g;
    }

    static double[] requireScores(double[] a) {
        Require.notNull("a", a);
        Require.that(a.length >= 1, "a (length 0) must have at least one entry");
        Require.allFinite("a", a);
        return a;
    }

    static BigDecimal[] requireScores(BigDecimal[] a) {
        Require.notNull("a", a);
        Require.that(a.length >= 1, "a (length 0) must have at least one entry");
        for (int k = 0; k < a.length; k++) {
            Require.notNull("a[" + k + "]", a[k]);
        }
        return a;
    }

    private static double[] sorted(double[] a) {
        double[] s = requireScores(a).clone();
        Arrays.sort(s);
        return s;
    }

    private static BigDecimal[] sorted(BigDecimal[] a) {
        BigDecimal[] s = requireScores(a).clone();
        Arrays.sort(s);
        return s;
    }
}
