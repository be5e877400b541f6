package org.promptlimits.core;

import org.promptlimits.check.Require;
import org.promptlimits.precision.BigMath;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Arrays;

/**
 * The softmax σ_k(a) = e^{a_k} / Σ_j e^{a_j}, computed max-shifted as e^{a_k − max a} / Σ_j e^{a_j − max a}
 * (find the max first, for numerical stability: every weight is in (0, 1] and the largest is exactly 1, so the
 * sum is ≥ 1 and nothing overflows). theory §1.2, §2.1. The one softmax of the library, in two tiers as EJML splits
 * its operations:
 * <ul>
 *   <li>double, operations tier: {@link #weights(double[], int, int, double[])} writes the shifted weights into
 *       a caller-owned array and returns their sum (summed in index order), so hot loops (attention kernels, the
 *       prompt tuner) allocate nothing; {@link #normalize} divides by the sum;</li>
 *   <li>BigDecimal, the oracle: {@link #weights(BigDecimal[], MathContext)} takes e^{a_k − max a} from
 *       {@link BigMath#exp}, which never underflows however negative the shifted score, and {@link #sum} adds
 *       in increasing order, so the result depends only on the multiset of weights.</li>
 * </ul>
 * {@link #of(double[])} and {@link #of(BigDecimal[], MathContext)} are the value tier: new arrays, normalized.
 */
public final class Softmax {

    private Softmax() {
    }

    /**
     * Shifted weights {@code w_k = e^{a_k − m}} with {@code m = max a} over {@code a[from .. from+n−1]}, written
     * to {@code w[0 .. n−1]}.
     *
     * @param a    scores, finite. Not modified (unless it is {@code w} itself with from = 0: in place is allowed).
     * @param from first score
     * @param n    number of scores, ≥ 1
     * @param w    output, length ≥ n. Modified.
     * @return the sum {@code Σ_k w_k ≥ 1}, added in index order
     */
    public static double weights(double[] a, int from, int n, double[] w) {
        Require.positive("n", n);
        Require.that(from >= 0, "from (" + from + ") must be >= 0");
        Require.notNull("a", a);
        Require.that(a.length >= (long) from + n, "a (length " + a.length + ") must hold from + n = " + from + " + "
                + n + " scores");
        Require.minLength("w", w, n);
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < n; k++) {
            max = Math.max(max, a[from + k]);
        }
        if (!Double.isFinite(max)) { // NaN, +∞, or every score −∞: name the first bad one
            for (int k = 0; k < n; k++) {
                Require.finite("a[" + (from + k) + "]", a[from + k]);
            }
        }
        double sum = 0;
        for (int k = 0; k < n; k++) {
            w[k] = Math.exp(a[from + k] - max);
            sum += w[k];
        }
        return sum;
    }

    /**
     * The softmax of {@code a[0 .. n−1]} into {@code w[0 .. n−1]}: {@link #weights} then {@link #normalize}.
     *
     * @param a scores, finite. Not modified (in place, {@code a == w}, is allowed).
     * @param w output, length ≥ n. Modified.
     */
    public static void softmax(double[] a, int n, double[] w) {
        normalize(w, n, weights(a, 0, n, w));
    }

    /** Divides {@code w[0 .. n−1]} by {@code sum}. w is modified. */
    public static void normalize(double[] w, int n, double sum) {
        Require.minLength("w", w, n);
        Require.positive("sum", sum);
        for (int k = 0; k < n; k++) {
            w[k] /= sum;
        }
    }

    /**
     * The softmax σ(a) in double, a new array in the order of a.
     *
     * @param a scores, length ≥ 1, finite. Not modified.
     */
    public static double[] of(double[] a) {
        Require.notNull("a", a);
        Require.that(a.length >= 1, "a (length 0) must have at least one score");
        double[] w = new double[a.length];
        softmax(a, a.length, w);
        return w;
    }

    /**
     * Shifted weights {@code e^{a_k − max a}} in BigDecimal, in the order of a: the shift is exact, the weight of
     * a maximal score is exactly 1 and every other is exact to mc's digits however
     * small (no underflow) down to e^{−10^9}, below which it is 0.
     *
     * @param a  scores, length ≥ 1, no null entry. Not modified.
     * @param mc working precision (see {@link org.promptlimits.precision.PrecisionPlan})
     */
    public static BigDecimal[] weights(BigDecimal[] a, MathContext mc) {
        Require.noNullElements("a", a);
        Require.that(a.length >= 1, "a (length 0) must have at least one score");
        Require.precision("mc", mc);
        BigDecimal max = a[0];
        for (BigDecimal x : a) {
            max = max.max(x);
        }
        BigDecimal[] w = new BigDecimal[a.length];
        for (int k = 0; k < a.length; k++) {
            BigDecimal x = a[k].subtract(max); // exact: the shift loses nothing before exp rounds to mc
            // a weight below e^{−10^9} is zero at any precision BigDecimal arithmetic can carry
            w[k] = x.signum() == 0 ? BigDecimal.ONE
                    : x.negate().compareTo(BigMath.EXP_ARGUMENT_LIMIT) > 0 ? BigDecimal.ZERO : BigMath.exp(x, mc);
        }
        return w;
    }

    /**
     * {@code Σ x_k} rounded to mc after each addition, the terms taken in increasing order of |x_k|, so the result
     * does not depend on their order (and small terms are not lost before they add up).
     *
     * @param x terms. Not modified.
     */
    public static BigDecimal sum(BigDecimal[] x, MathContext mc) {
        Require.noNullElements("x", x);
        Require.precision("mc", mc);
        BigDecimal[] s = x.clone();
        Arrays.sort(s, (p, q) -> p.abs().compareTo(q.abs()));
        BigDecimal sum = BigDecimal.ZERO;
        for (BigDecimal v : s) {
            sum = sum.add(v, mc);
        }
        return sum;
    }

    /**
     * The softmax σ(a) in BigDecimal at precision mc: {@link #weights(BigDecimal[], MathContext)} divided by their
     * {@link #sum}. A new array in the order of a.
     *
     * @param a scores, length ≥ 1, no null entry. Not modified.
     */
    public static BigDecimal[] of(BigDecimal[] a, MathContext mc) {
        BigDecimal[] w = weights(a, mc);
        BigDecimal total = sum(w, mc);
        for (int k = 0; k < w.length; k++) {
            w[k] = w[k].divide(total, mc);
        }
        return w;
    }
}
