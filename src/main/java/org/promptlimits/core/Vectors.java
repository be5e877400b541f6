package org.promptlimits.core;

import org.promptlimits.check.Require;

import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.MathContext;

/**
 * Vector arithmetic on {@code double[]} and {@code BigDecimal[]}: dot products, Euclidean norms and
 * distances. The arrays are never modified.
 */
public final class Vectors {

    private Vectors() {
    }

    /** The dot product {@code Σ a_i b_i}. a and b have the same length. Not modified. */
    public static double dot(double[] a, double[] b) {
        sameLength(a, b);
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return finite("a·b", s, a, b);
    }

    /** The Euclidean norm {@code ‖a‖ = √(Σ a_i²)}. Not modified. */
    public static double norm(double[] a) {
        Require.notNull("a", a);
        return finite("‖a‖", euclidean(a, null), a, a);
    }

    /** The Euclidean distance {@code ‖a − b‖}. Not modified. */
    public static double distance(double[] a, double[] b) {
        sameLength(a, b);
        return finite("‖a − b‖", euclidean(a, b), a, b);
    }

    /**
     * {@code ‖a − b‖} (b null: {@code ‖a‖}) by the sum of squares, or, where the squares overflow or fall to where
     * they lose digits (sums below 2^−900, entries below about 1e-135), scaled by the largest entry as
     * {@code m·√(Σ (x_i/m)²)}: both norms are representable, and unscaled, vectors of 1e200 were refused and ones
     * of 1e-200 had norm 0.
     */
    private static double euclidean(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double x = b == null ? a[i] : a[i] - b[i];
            s += x * x;
        }
        if (Double.isFinite(s) && s >= 0x1p-900) {
            return Math.sqrt(s);
        }
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(b == null ? a[i] : a[i] - b[i]));
        }
        if (max == 0 || !Double.isFinite(max)) {
            return max;   // 0, or an infinite (or NaN) entry or difference, for finite(…) to refuse
        }
        double t = 0;
        for (int i = 0; i < a.length; i++) {
            double x = (b == null ? a[i] : a[i] - b[i]) / max;
            t += x * x;
        }
        return max * Math.sqrt(t);
    }

    /** The exact squared Euclidean distance {@code ‖a − b‖²} (b null: {@code ‖a‖²}), no rounding. Not modified. */
    public static BigDecimal squaredDistance(BigDecimal[] a, BigDecimal[] b) {
        Require.noNullElements("a", a);
        if (b != null) {
            sameLength(a, b);
            Require.noNullElements("b", b);
        }
        BigDecimal sq = BigDecimal.ZERO;
        for (int i = 0; i < a.length; i++) {
            BigDecimal x = b == null ? a[i] : a[i].subtract(b[i]);
            sq = sq.add(x.multiply(x));
        }
        return sq;
    }

    /** The squared Euclidean distance {@code ‖a − b‖²}, every difference, product and sum rounded to mc. */
    public static BigDecimal squaredDistance(BigDecimal[] a, BigDecimal[] b, MathContext mc) {
        sameLength(Require.noNullElements("a", a), Require.noNullElements("b", b));
        Require.precision("mc", mc);
        BigDecimal sq = BigDecimal.ZERO;
        for (int i = 0; i < a.length; i++) {
            BigDecimal diff = a[i].subtract(b[i], mc);
            sq = sq.add(diff.multiply(diff, mc), mc);
        }
        return sq;
    }

    private static void sameLength(Object a, Object b) {
        Require.notNull("a", a);
        Require.notNull("b", b);
        int na = Array.getLength(a);
        int nb = Array.getLength(b);
        Require.that(na == nb, "b (length " + nb + ") must have the length of a (" + na + ")");
    }

    /** A finite result, or the refusal naming a non-finite input or, if the inputs are finite, the overflow. */
    private static double finite(String what, double value, double[] a, double[] b) {
        if (!Double.isFinite(value)) {
            Require.allFinite("a", a);
            Require.allFinite("b", b);
            Require.finiteResult(what, value, "the entries of a and b are finite but too large; rescale them");
        }
        return value;
    }
}
