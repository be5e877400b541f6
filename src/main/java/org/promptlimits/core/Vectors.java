package org.promptlimits.core;

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
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** The Euclidean norm {@code ‖a‖ = √(Σ a_i²)}. Not modified. */
    public static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }

    /** The Euclidean distance {@code ‖a − b‖}. Not modified. */
    public static double distance(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double x = a[i] - b[i];
            s += x * x;
        }
        return Math.sqrt(s);
    }

    /** The exact squared Euclidean distance {@code ‖a − b‖²} (b null: {@code ‖a‖²}), no rounding. Not modified. */
    public static BigDecimal squaredDistance(BigDecimal[] a, BigDecimal[] b) {
        BigDecimal sq = BigDecimal.ZERO;
        for (int i = 0; i < a.length; i++) {
            BigDecimal x = b == null ? a[i] : a[i].subtract(b[i]);
            sq = sq.add(x.multiply(x));
        }
        return sq;
    }

    /** The squared Euclidean distance {@code ‖a − b‖²}, every difference, product and sum rounded to mc. */
    public static BigDecimal squaredDistance(BigDecimal[] a, BigDecimal[] b, MathContext mc) {
        BigDecimal sq = BigDecimal.ZERO;
        for (int i = 0; i < a.length; i++) {
            BigDecimal diff = a[i].subtract(b[i], mc);
            sq = sq.add(diff.multiply(diff, mc), mc);
        }
        return sq;
    }
}
