package org.promptlimits.core;

import org.promptlimits.check.Format;
import org.promptlimits.check.Require;

import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.function.IntUnaryOperator;

/**
 * Helpers for token matrices: sequences stored as d×n arrays whose columns are the tokens (theory §1.1): shape checks,
 * concatenation {@code [P, X]}, column slices, the p-distance of outputs and a readable rendering. General matrix
 * operations (copies, double ↔ BigDecimal, products) are in {@link Matrices}. All methods return new arrays and
 * never modify their arguments.
 */
public final class Tokens {

    private Tokens() {
    }

    /**
     * Checks that {@code z} is a d-row rectangular array with finite entries and returns its number of columns.
     *
     * @throws IllegalArgumentException naming {@code name}, the shape found and the shape expected
     */
    public static int requireShape(String name, double[][] z, int d) {
        int n = requireRectangular(name, z, d, i -> z[i].length);
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < n; j++) {
                if (!Double.isFinite(z[i][j])) {
                    throw new IllegalArgumentException(name + "[" + i + "][" + j + "] (" + z[i][j] + ") must be finite");
                }
            }
        }
        return n;
    }

    /** z non-null with d non-null rows of one length (rowLength(i) is the length of row i); returns it. */
    private static int requireRectangular(String name, Object[] z, int d, IntUnaryOperator rowLength) {
        Require.notNull(name, z);
        if (z.length != d) {
            throw new IllegalArgumentException(name + " has " + z.length + " rows but d = " + d);
        }
        int n = -1;
        for (int i = 0; i < d; i++) {
            Require.notNull(name + "[" + i + "]", z[i]);
            int len = rowLength.applyAsInt(i);
            if (n < 0) {
                n = len;
            } else if (len != n) {
                throw new IllegalArgumentException(name + "[" + i + "] has " + len
                        + " columns but " + name + "[0] has " + n + "; rows must all have the same length");
            }
        }
        return Math.max(n, 0);
    }

    /** As {@link #requireShape(String, double[][], int)} and also requires exactly {@code n} columns. */
    public static void requireShape(String name, double[][] z, int d, int n) {
        int cols = requireShape(name, z, d);
        if (cols != n) {
            throw new IllegalArgumentException(name + " has " + cols + " columns but L = " + n);
        }
    }

    /** Shape check for an arbitrary-precision sequence; returns its number of columns. */
    public static int requireShape(String name, BigDecimal[][] z, int d) {
        int n = requireRectangular(name, z, d, i -> z[i].length);
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < n; j++) {
                Require.notNull(name + "[" + i + "][" + j + "]", z[i][j]);
            }
        }
        return n;
    }

    /** The concatenation {@code [A, B]} along columns; both must have the same number of rows. */
    public static double[][] concat(double[][] a, double[][] b) {
        sameRows(Require.allFinite("a", a).length, Require.allFinite("b", b).length);
        double[][] c = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = new double[a[i].length + b[i].length];
            System.arraycopy(a[i], 0, c[i], 0, a[i].length);
            System.arraycopy(b[i], 0, c[i], a[i].length, b[i].length);
        }
        return c;
    }

    /** The concatenation {@code [A, B]} along columns. */
    public static BigDecimal[][] concat(BigDecimal[][] a, BigDecimal[][] b) {
        sameRows(rows("a", a).length, rows("b", b).length);
        BigDecimal[][] c = new BigDecimal[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = new BigDecimal[a[i].length + b[i].length];
            System.arraycopy(a[i], 0, c[i], 0, a[i].length);
            System.arraycopy(b[i], 0, c[i], a[i].length, b[i].length);
        }
        return c;
    }

    /** Columns {@code from .. to−1} (0-based). */
    public static double[][] columns(double[][] z, int from, int to) {
        columnRange(Require.allFinite("z", z), from, to);
        double[][] c = new double[z.length][];
        for (int i = 0; i < z.length; i++) {
            c[i] = Arrays.copyOfRange(z[i], from, to);
        }
        return c;
    }

    /** Columns {@code from .. to−1} (0-based). */
    public static BigDecimal[][] columns(BigDecimal[][] z, int from, int to) {
        columnRange(rows("z", z), from, to);
        BigDecimal[][] c = new BigDecimal[z.length][];
        for (int i = 0; i < z.length; i++) {
            c[i] = Arrays.copyOfRange(z[i], from, to);
        }
        return c;
    }

    /** Column {@code j} (0-based) as a vector of length d. */
    public static BigDecimal[] column(BigDecimal[][] z, int j) {
        for (Object[] row : rows("z", z)) {
            Require.that(j >= 0 && j < row.length, "j (" + j + ") must be in [0, n) = [0, " + row.length
                    + "), n the number of columns of z");
        }
        BigDecimal[] c = new BigDecimal[z.length];
        for (int i = 0; i < z.length; i++) {
            c[i] = z[i][j];
        }
        return c;
    }

    /** Entrywise p-norm {@code (Σ |a_ij − b_ij|^p)^{1/p}} of the difference; p ≥ 1 finite. */
    public static double pDistance(double[][] a, double[][] b, double p) {
        Require.that(p >= 1 && p < Double.POSITIVE_INFINITY, "p (" + p + ") must be finite and >= 1");
        sameShape(Require.allFinite("a", a), Require.allFinite("b", b));
        double s = 0;
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                max = Math.max(max, Math.abs(a[i][j] - b[i][j]));
            }
        }
        if (max == 0) {
            return 0;
        }
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                s += Math.pow(Math.abs(a[i][j] - b[i][j]) / max, p);
            }
        }
        return Require.finiteResult("p-distance", max * Math.pow(s, 1 / p),
                "entries of a and b differ by more than 1e308; rescale them");
    }

    /** A readable rendering {@code [[a, b], [c, d]]} with entries to 4 significant digits. */
    public static String toString(double[][] z) {
        rows("z", z);
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < z.length; i++) {
            sb.append(i == 0 ? "[" : ", [");
            for (int j = 0; j < z[i].length; j++) {
                sb.append(j == 0 ? "" : ", ").append(Format.number(z[i][j]));
            }
            sb.append(']');
        }
        return sb.append(']').toString();
    }

    /** z and each of its rows are non-null; returns z. */
    private static <T> T[] rows(String name, T[] z) {
        Require.notNull(name, z);
        for (int i = 0; i < z.length; i++) {
            Require.notNull(name + "[" + i + "]", z[i]);
            if (z[i] instanceof Object[] row) {
                for (int j = 0; j < row.length; j++) {
                    Require.notNull(name + "[" + i + "][" + j + "]", row[j]);
                }
            }
        }
        return z;
    }

    private static void sameRows(int a, int b) {
        Require.that(a == b, "b has " + b + " rows but a has " + a + "; [A, B] needs the same number of rows");
    }

    private static void sameShape(Object[] a, Object[] b) {
        Require.that(a.length == b.length, "b has " + b.length + " rows but a has " + a.length);
        for (int i = 0; i < a.length; i++) {
            int na = Array.getLength(a[i]);
            int nb = Array.getLength(b[i]);
            Require.that(na == nb, "b[" + i + "] has " + nb + " entries but a[" + i + "] has " + na);
        }
    }

    private static void columnRange(Object[] z, int from, int to) {
        for (Object row : z) {
            int n = Array.getLength(row);
            Require.that(0 <= from && from <= to && to <= n, "from (" + from + ") and to (" + to
                    + ") must satisfy 0 <= from <= to <= n = " + n + ", the number of columns of z");
        }
    }
}
