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
        double s = 0;
        for (double x : a) {
            s += x * x;
        }
        if (Double.isFinite(s)) {
            return Math.sqrt(s);
        }
        Require.allFinite("a", a);
        double max = 0; // finite entries whose squares overflow: scale by the largest
        for (double x : a) {
            max = Math.max(max, Math.abs(x));
        }
        double t = 0;
        for (double x : a) {
            t += (x / max) * (x / max);
        }
        return finite("‖a‖", max * Math.sqrt(t), a, a);
    }

    /** The Euclidean distance {@code ‖a − b‖}. Not modified. */
    public static double distance(double[] a, double[] b) {
        sameLength(a, b);
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double x = a[i] - b[i];
            s += x * x;
        }
        return finite("‖a − b‖", Math.sqrt(s), a, b);
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
