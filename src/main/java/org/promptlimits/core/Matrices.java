package org.promptlimits.core;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.promptlimits.check.Require;
import org.promptlimits.precision.BigMath;
import org.promptlimits.precision.Budget;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Arrays;

/**
 * The library's matrix vocabulary: matrices held as {@code double[rows][cols]} and {@code BigDecimal[rows][cols]},
 * copies, exact conversion ({@code new BigDecimal(double)}, no rounding) and rounding back, products, transposes,
 * column selection, exact rank, and conversion to and from ND4J (ND4J stays at the public edges). Tokens are
 * columns (theory §1.1), so a sequence of n tokens of dimension d is a d×n matrix; {@link Tokens} adds what is
 * specific to sequences (shape checks, {@code [P, X]}). Every method returns new arrays; no argument is modified.
 */
public final class Matrices {

    private Matrices() {
    }

    /** The exact decimal values of a finite double matrix (rows × cols, rectangular, non-empty). */
    public static BigDecimal[][] exact(String name, double[][] m) {
        int cols = Require.rectangular(name, m);
        Require.allFinite(name, m);
        BigDecimal[][] x = new BigDecimal[m.length][cols];
        for (int i = 0; i < m.length; i++) {
            for (int j = 0; j < cols; j++) {
                x[i][j] = new BigDecimal(m[i][j]);
            }
        }
        return x;
    }

    /**
     * The nearest doubles of a BigDecimal matrix (tiny values become 0).
     *
     * @throws IllegalArgumentException if m or a row or entry is null, or an entry is beyond the double range
     */
    public static double[][] toDouble(BigDecimal[][] m) {
        return toDouble("m", m);
    }

    /** {@link #toDouble(BigDecimal[][])} with the matrix's name in messages. */
    public static double[][] toDouble(String name, BigDecimal[][] m) {
        Require.notNull(name, m);
        double[][] x = new double[m.length][];
        for (int i = 0; i < m.length; i++) {
            x[i] = new double[Require.notNull(name + "[" + i + "]", m[i]).length];
            for (int j = 0; j < m[i].length; j++) {
                x[i][j] = BigMath.toDouble(name + "[" + i + "][" + j + "]", m[i][j]);
            }
        }
        return x;
    }

    /** A deep copy, checking that the matrix is rectangular, non-empty and has no null entry. */
    public static BigDecimal[][] copy(String name, BigDecimal[][] m) {
        requireMatrix(name, m);
        BigDecimal[][] x = new BigDecimal[m.length][];
        for (int i = 0; i < m.length; i++) {
            x[i] = m[i].clone();
        }
        return x;
    }

    private static void requireColumns(int[] columns, int n) {
        Require.notNull("columns", columns);
        for (int j = 0; j < columns.length; j++) {
            Require.that(columns[j] >= 0 && columns[j] < n, "columns[" + j + "] (" + columns[j] + ") must be in [0, n)"
                    + " = [0, " + n + "), n the number of columns of a");
        }
    }

    /** m and its rows are non-null and hold no null entry (rows may differ in length). */
    private static void requireEntries(String name, BigDecimal[][] m) {
        Require.notNull(name, m);
        for (int i = 0; i < m.length; i++) {
            Require.noNullElements(name + "[" + i + "]", m[i]);
        }
    }

    /** m is non-empty, rectangular and has no null row or entry; returns its number of columns. */
    public static int requireMatrix(String name, BigDecimal[][] m) {
        Require.notNull(name, m);
        Require.that(m.length > 0, name + " (0 rows) must have at least one row");
        int cols = Require.notNull(name + "[0]", m[0]).length;
        Require.that(cols > 0, name + " (0 columns) must have at least one column");
        for (int i = 0; i < m.length; i++) {
            Require.notNull(name + "[" + i + "]", m[i]);
            Require.that(m[i].length == cols, name + "[" + i + "] has " + m[i].length + " entries but " + name
                    + "[0] has " + cols + "; rows must all have the same length");
            for (int j = 0; j < cols; j++) {
                Require.notNull(name + "[" + i + "][" + j + "]", m[i][j]);
            }
        }
        return cols;
    }

    /** A deep copy of a double matrix with finite entries (rows may differ in length). */
    public static double[][] copy(double[][] m) {
        return copy("m", m);
    }

    /** {@link #copy(double[][])} with the matrix's name in messages ({@code x[1] (null) must not be null}). */
    public static double[][] copy(String name, double[][] m) {
        Require.allFinite(name, m);
        double[][] x = new double[m.length][];
        for (int i = 0; i < m.length; i++) {
            x[i] = m[i].clone();
        }
        return x;
    }

    /** A deep copy (BigDecimal is immutable, so copying the rows suffices); rows may differ in length. */
    public static BigDecimal[][] copy(BigDecimal[][] m) {
        return copyRows("m", m);
    }

    /** {@link #copy(BigDecimal[][])} with the matrix's name in messages. */
    public static BigDecimal[][] copyRows(String name, BigDecimal[][] m) {
        requireEntries(name, m);
        BigDecimal[][] x = new BigDecimal[m.length][];
        for (int i = 0; i < m.length; i++) {
            x[i] = m[i].clone();
        }
        return x;
    }

    /** The exact decimal value of every entry ({@code new BigDecimal(double)}, no rounding); entries finite. */
    public static BigDecimal[][] exact(double[][] m) {
        Require.allFinite("m", m);
        BigDecimal[][] x = new BigDecimal[m.length][];
        for (int i = 0; i < m.length; i++) {
            x[i] = exact(m[i]);
        }
        return x;
    }

    /** The exact decimal value of every entry of a vector; entries finite. */
    public static BigDecimal[] exact(double[] v) {
        Require.allFinite("v", v);
        BigDecimal[] x = new BigDecimal[v.length];
        for (int i = 0; i < v.length; i++) {
            x[i] = new BigDecimal(v[i]);
        }
        return x;
    }

    /** The nearest double of every entry of a vector (tiny values become 0). */
    public static double[] toDouble(BigDecimal[] v) {
        return toDouble("v", v);
    }

    /** {@link #toDouble(BigDecimal[])} with the vector's name in messages. */
    public static double[] toDouble(String name, BigDecimal[] v) {
        Require.noNullElements(name, v);
        double[] x = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            x[i] = BigMath.toDouble(name + "[" + i + "]", v[i]);
        }
        return x;
    }

    /** Every entry rounded to {@code mc}. */
    public static BigDecimal[][] round(BigDecimal[][] m, MathContext mc) {
        requireEntries("m", m);
        Require.precision("mc", mc);
        BigDecimal[][] x = new BigDecimal[m.length][];
        for (int i = 0; i < m.length; i++) {
            x[i] = new BigDecimal[m[i].length];
            for (int j = 0; j < m[i].length; j++) {
                x[i][j] = m[i][j].round(mc);
            }
        }
        return x;
    }

    /** Largest entrywise absolute difference {@code max |a_ij − b_ij|}, computed exactly. */
    public static BigDecimal maxAbsDifference(BigDecimal[][] a, BigDecimal[][] b) {
        requireEntries("a", a);
        requireEntries("b", b);
        Require.that(a.length == b.length, "b has " + b.length + " rows but a has " + a.length);
        for (int i = 0; i < a.length; i++) {
            Require.that(a[i].length == b[i].length, "b[" + i + "] has " + b[i].length + " entries but a[" + i
                    + "] has " + a[i].length);
        }
        BigDecimal m = BigDecimal.ZERO;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                m = m.max(a[i][j].subtract(b[i][j]).abs());
            }
        }
        return m;
    }

    /** The product {@code c_ij = Σ_k a_ik b_kj} in double, summed in index order (a is p×q, b is q×r). */
    public static double[][] multiply(double[][] a, double[][] b) {
        int q = Require.rectangular("a", a);
        int r = Require.rectangular("b", b);
        Require.that(b.length == q, "b has " + b.length + " rows but a has " + q + " columns");
        requireProduct(Budget.DEFAULT, Budget.orMoreHeap(SMALLER), "doubles", Double.BYTES, a.length, r);
        double[][] c = product(a, b);
        for (int i = 0; i < c.length; i++) {
            if (!allFinite(c[i])) {
                Require.allFinite("a", a);
                Require.allFinite("b", b);
                Require.finiteResult("(a·b)[" + i + "]", c[i], "entries of a and b are finite but their products"
                        + " overflow double; rescale them");
            }
        }
        return c;
    }

    private static final String SMALLER = "multiply smaller matrices";

    /** About the bytes of a BigDecimal entry of a few digits (object, unscaled value, reference). */
    private static final long BIG_DECIMAL_BYTES = 48;

    /**
     * Refuses a p×r product above the budget's maxBytes before it is allocated: the budget at hand, the caller's
     * (advice {@link Budget#orLarger}) or, at an entry point that takes none, {@link Budget#DEFAULT}
     * ({@link Budget#orMoreHeap}).
     */
    private static void requireProduct(Budget budget, String fix, String items, long bytesPerItem, int p, int r) {
        budget.requireArray("product a·b (" + p + "×" + r + " " + items + ")", bytesPerItem, fix, p, r);
    }

    /** a·b without checks, for callers that checked the shapes and check the final result themselves. */
    static double[][] product(double[][] a, double[][] b) {
        double[][] c = new double[a.length][b[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < b[0].length; j++) {
                double sum = 0;
                for (int k = 0; k < b.length; k++) {
                    sum += a[i][k] * b[k][j];
                }
                c[i][j] = sum;
            }
        }
        return c;
    }

    private static boolean allFinite(double[] x) {
        for (double v : x) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The product {@code out_i = Σ_j w_ij t_j} of a matrix and a vector, into {@code out}: the operations tier
     * (hot loops), so only shapes are checked (O(rows)); entries are the caller's to keep finite. out is modified.
     */
    public static void multiply(double[][] w, double[] t, double[] out) {
        Require.notNull("w", w);
        Require.notNull("t", t);
        Require.notNull("out", out);
        Require.that(out.length >= w.length, "out has " + out.length + " entries but w has " + w.length + " rows");
        for (int a = 0; a < w.length; a++) {
            double acc = 0;
            double[] row = w[a];
            Require.that(row != null && row.length >= t.length, "w[" + a + "] has "
                    + (row == null ? "null" : row.length + " entries") + " but t has " + t.length);
            for (int j = 0; j < t.length; j++) {
                acc += row[j] * t[j];
            }
            out[a] = acc;
        }
    }

    /** The transpose of a double matrix. */
    public static double[][] transpose(double[][] a) {
        Require.rectangular("a", a);
        Require.allFinite("a", a);
        double[][] t = new double[a[0].length][a.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                t[j][i] = a[i][j];
            }
        }
        return t;
    }

    /** The columns {@code columns} of a double matrix, in that order. */
    public static double[][] columns(double[][] a, int[] columns) {
        int n = Require.rectangular("a", a);
        requireColumns(columns, n);
        double[][] c = new double[a.length][columns.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < columns.length; j++) {
                c[i][j] = a[i][columns[j]];
            }
        }
        return c;
    }

    /** The product a·b, each entry a sum rounded to {@code mc} (a is p×q, b is q×r). */
    public static BigDecimal[][] multiply(BigDecimal[][] a, BigDecimal[][] b, MathContext mc) {
        requireMatrix("a", a);
        requireMatrix("b", b);
        Require.precision("mc", mc);
        Require.that(a[0].length == b.length, "a has " + a[0].length + " columns but b has " + b.length + " rows");
        requireProduct(Budget.DEFAULT, Budget.orMoreHeap(SMALLER), "decimals", BIG_DECIMAL_BYTES, a.length,
                b[0].length);
        return product(a, b, mc);
    }

    /**
     * The product a·b in exact decimal arithmetic: no entry is rounded (a is p×q, b is q×r). The digits of an entry
     * are estimated before any work as (largest integer digits of a + of b) + (largest scale of a + of b) + the
     * digits of q, and refused above {@link Budget#maxDigits()}.
     *
     * @throws IllegalArgumentException if the shapes do not match or the estimate is above the budget
     */
    public static BigDecimal[][] multiplyExact(BigDecimal[][] a, BigDecimal[][] b, Budget budget) {
        requireMatrix("a", a);
        requireMatrix("b", b);
        Require.notNull("budget", budget);
        int q = b.length;
        Require.that(a[0].length == q, "a has " + a[0].length + " columns but b has " + q + " rows");
        long digits = (long) integerDigits(a) + integerDigits(b) + Math.max(0, largestScale(a))
                + Math.max(0, largestScale(b)) + String.valueOf(q).length();
        budget.requireDigits("exact product a·b (" + a.length + "×" + q + " by " + q + "×" + b[0].length + ")",
                BigDecimal.valueOf(digits), "integer digits plus scales of both factors plus digits of " + q,
                Budget.orLarger("round the entries to fewer digits", "maxDigits"));
        requireProduct(budget, Budget.orLarger(SMALLER, "maxBytes"), "decimals", BIG_DECIMAL_BYTES, a.length,
                b[0].length);
        return product(a, b, MathContext.UNLIMITED);
    }

    /** The largest number of digits left of the decimal point over the entries (at least 1). */
    private static int integerDigits(BigDecimal[][] m) {
        int top = 1;
        for (BigDecimal[] row : m) {
            for (BigDecimal x : row) {
                top = Math.max(top, x.precision() - x.scale());
            }
        }
        return top;
    }

    /** The largest scale (digits right of the decimal point) over the entries. */
    private static int largestScale(BigDecimal[][] m) {
        int scale = Integer.MIN_VALUE;
        for (BigDecimal[] row : m) {
            for (BigDecimal x : row) {
                scale = Math.max(scale, x.scale());
            }
        }
        return scale;
    }

    /** c_ij = Σ_k a_ik b_kj, each product and partial sum rounded to mc (exact when mc is unlimited). */
    private static BigDecimal[][] product(BigDecimal[][] a, BigDecimal[][] b, MathContext mc) {
        int q = b.length;
        int r = b[0].length;
        BigDecimal[][] c = new BigDecimal[a.length][r];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < r; j++) {
                BigDecimal sum = BigDecimal.ZERO;
                for (int k = 0; k < q; k++) {
                    if (a[i][k].signum() != 0 && b[k][j].signum() != 0) {
                        sum = sum.add(a[i][k].multiply(b[k][j], mc), mc);
                    }
                }
                c[i][j] = sum;
            }
        }
        return c;
    }

    /** The transpose. */
    public static BigDecimal[][] transpose(BigDecimal[][] a) {
        requireMatrix("a", a);
        BigDecimal[][] t = new BigDecimal[a[0].length][a.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                t[j][i] = a[i][j];
            }
        }
        return t;
    }

    /** The columns {@code columns} of a, in that order. */
    public static BigDecimal[][] columns(BigDecimal[][] a, int[] columns) {
        requireColumns(columns, requireMatrix("a", a));
        BigDecimal[][] c = new BigDecimal[a.length][columns.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < columns.length; j++) {
                c[i][j] = a[i][columns[j]];
            }
        }
        return c;
    }

    /**
     * The exact rank of a matrix of decimals, by fraction-free Gaussian elimination (rows combined by
     * cross-multiplication only, so no rounding ever happens).
     */
    public static int rank(BigDecimal[][] m) {
        BigDecimal[][] a = copy("m", m);
        int rows = a.length;
        int cols = a[0].length;
        int rank = 0;
        for (int col = 0; col < cols && rank < rows; col++) {
            int pivot = -1;
            for (int i = rank; i < rows; i++) {
                if (a[i][col].signum() != 0) {
                    pivot = i;
                    break;
                }
            }
            if (pivot < 0) {
                continue;
            }
            BigDecimal[] t = a[pivot];
            a[pivot] = a[rank];
            a[rank] = t;
            for (int i = rank + 1; i < rows; i++) {
                if (a[i][col].signum() == 0) {
                    continue;
                }
                BigDecimal f = a[i][col];
                BigDecimal p = a[rank][col];
                for (int j = col; j < cols; j++) {
                    a[i][j] = a[i][j].multiply(p).subtract(a[rank][j].multiply(f)).stripTrailingZeros();
                }
            }
            rank++;
        }
        return rank;
    }

    /** A double ND4J array holding {@code m} (rows × cols). */
    public static INDArray toNd(double[][] m) {
        Require.rectangular("m", m);
        Require.allFinite("m", m);
        return Nd4j.create(m).castTo(DataType.DOUBLE);
    }

    /** The entries of a 2-D ND4J array as doubles, row by row; the array is not modified. */
    public static double[][] fromNd(String name, INDArray a) {
        Require.notNull(name, a);
        Require.that(a.rank() == 2, name + " has rank " + a.rank() + " (shape " + Arrays.toString(a.shape())
                + ") but must be a 2-D matrix");
        Require.that(a.rows() > 0 && a.columns() > 0, name + " (shape " + Arrays.toString(a.shape())
                + ") must be non-empty");
        double[][] m = a.castTo(DataType.DOUBLE).toDoubleMatrix();
        Require.allFinite(name, m);
        return m;
    }
}
