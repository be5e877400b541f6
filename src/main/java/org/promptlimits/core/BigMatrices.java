package org.promptlimits.core;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.promptlimits.check.Require;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * Small helpers for matrices held as {@code BigDecimal[rows][cols]} and {@code double[rows][cols]}, and their
 * conversion to and from ND4J: products, transposes, exact rank. Tokens are columns (SPEC §1), so a
 * sequence of n tokens of dimension d is a d×n matrix. Every method copies; no argument is modified.
 */
public final class BigMatrices {

    private BigMatrices() {
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

    /** The nearest doubles of a BigDecimal matrix (values beyond the double range become ±∞, tiny ones 0). */
    public static double[][] toDouble(BigDecimal[][] m) {
        double[][] x = new double[m.length][];
        for (int i = 0; i < m.length; i++) {
            x[i] = new double[m[i].length];
            for (int j = 0; j < m[i].length; j++) {
                x[i][j] = m[i][j].doubleValue();
            }
        }
        return x;
    }

    /** A deep copy, checking that the matrix is rectangular, non-empty and has no null entry. */
    public static BigDecimal[][] copy(String name, BigDecimal[][] m) {
        Require.notNull(name, m);
        Require.that(m.length > 0, name + " (0 rows) must have at least one row");
        int cols = Require.notNull(name + "[0]", m[0]).length;
        Require.that(cols > 0, name + " (0 columns) must have at least one column");
        BigDecimal[][] x = new BigDecimal[m.length][];
        for (int i = 0; i < m.length; i++) {
            Require.notNull(name + "[" + i + "]", m[i]);
            Require.that(m[i].length == cols, name + "[" + i + "] has " + m[i].length + " entries but " + name
                    + "[0] has " + cols + "; rows must all have the same length");
            for (int j = 0; j < cols; j++) {
                Require.notNull(name + "[" + i + "][" + j + "]", m[i][j]);
            }
            x[i] = m[i].clone();
        }
        return x;
    }

    /** A deep copy of a double matrix. */
    public static double[][] copy(double[][] m) {
        double[][] x = new double[m.length][];
        for (int i = 0; i < m.length; i++) {
            x[i] = m[i].clone();
        }
        return x;
    }

    /** The product a·b, each entry a sum rounded to {@code mc} (a is p×q, b is q×r). */
    public static BigDecimal[][] multiply(BigDecimal[][] a, BigDecimal[][] b, MathContext mc) {
        int q = b.length;
        Require.that(a[0].length == q, "a has " + a[0].length + " columns but b has " + q + " rows");
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
        return Nd4j.create(m).castTo(DataType.DOUBLE);
    }

    /** The entries of a 2-D ND4J array as doubles, row by row; the array is not modified. */
    public static double[][] fromNd(String name, INDArray a) {
        Require.notNull(name, a);
        Require.that(a.rank() == 2, name + " has rank " + a.rank() + " (shape " + java.util.Arrays.toString(a.shape())
                + ") but must be a 2-D matrix");
        Require.that(a.rows() > 0 && a.columns() > 0, name + " (shape " + java.util.Arrays.toString(a.shape())
                + ") must be non-empty");
        double[][] m = a.castTo(DataType.DOUBLE).toDoubleMatrix();
        Require.allFinite(name, m);
        return m;
    }
}
