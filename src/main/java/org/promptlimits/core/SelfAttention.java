package org.promptlimits.core;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.promptlimits.check.Require;
import org.promptlimits.precision.BigMath;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Arrays;

/**
 * Single-head self-attention with a residual connection,
 * {@code SA(Z) = Z + W_O W_V Z · softmax_col((W_K Z)^T (W_Q Z))}, on d×n column tokens. SPEC §1 [L].
 *
 * <p>{@code W_O ∈ R^{d×s}}, {@code W_V, W_K, W_Q ∈ R^{s×d}} for any head size s; the rank of each matrix is
 * whatever the weights give ({@link #ranks()}). The softmax runs over keys (rows) for each query column,
 * shifted by the column maximum before exp.
 *
 * <p>The weights are held as exact decimals. Three evaluations share them: {@link #apply(INDArray)} in double
 * with ND4J (the weights rounded to double), {@link #applyReference(double[][])} in double with plain loops
 * (the oracle for the ND4J path), and {@link #apply(BigDecimal[][], MathContext)} in BigDecimal, where the
 * exponentials come from {@link BigMath#exp} and never underflow. Immutable and thread-safe.
 */
public final class SelfAttention {

    private final BigDecimal[][] wO;
    private final BigDecimal[][] wV;
    private final BigDecimal[][] wK;
    private final BigDecimal[][] wQ;
    private final double[][] dO;
    private final double[][] dV;
    private final double[][] dK;
    private final double[][] dQ;
    private final int d;
    private final int s;
    private volatile INDArray[] nd; // built on first double use, so exact-only use never loads ND4J

    private SelfAttention(BigDecimal[][] wO, BigDecimal[][] wV, BigDecimal[][] wK, BigDecimal[][] wQ) {
        this.wO = BigMatrices.copy("W_O", wO);
        this.wV = BigMatrices.copy("W_V", wV);
        this.wK = BigMatrices.copy("W_K", wK);
        this.wQ = BigMatrices.copy("W_Q", wQ);
        this.d = this.wO.length;
        this.s = this.wO[0].length;
        requireShape("W_V", this.wV, s, d);
        requireShape("W_K", this.wK, s, d);
        requireShape("W_Q", this.wQ, s, d);
        this.dO = BigMatrices.toDouble(this.wO);
        this.dV = BigMatrices.toDouble(this.wV);
        this.dK = BigMatrices.toDouble(this.wK);
        this.dQ = BigMatrices.toDouble(this.wQ);
        for (double[][] m : new double[][][] {dO, dV, dK, dQ}) {
            Require.allFinite("weights rounded to double", m);
        }
    }

    /**
     * A layer with exact decimal weights.
     *
     * @param wO d×s, wV, wK, wQ s×d; rectangular, non-empty, no null entry. Not modified.
     * @throws IllegalArgumentException naming the matrix whose shape does not match W_O's d×s
     */
    public static SelfAttention ofExact(BigDecimal[][] wO, BigDecimal[][] wV, BigDecimal[][] wK, BigDecimal[][] wQ) {
        return new SelfAttention(wO, wV, wK, wQ);
    }

    /** A layer with double weights (taken exactly as decimals); finite entries only. Not modified. */
    public static SelfAttention of(double[][] wO, double[][] wV, double[][] wK, double[][] wQ) {
        return new SelfAttention(BigMatrices.exact("W_O", wO), BigMatrices.exact("W_V", wV),
                BigMatrices.exact("W_K", wK), BigMatrices.exact("W_Q", wQ));
    }

    /** A layer with ND4J weights (W_O d×s; W_V, W_K, W_Q s×d), finite entries only. Not modified. */
    public static SelfAttention of(INDArray wO, INDArray wV, INDArray wK, INDArray wQ) {
        return of(BigMatrices.fromNd("W_O", wO), BigMatrices.fromNd("W_V", wV), BigMatrices.fromNd("W_K", wK),
                BigMatrices.fromNd("W_Q", wQ));
    }

    /** Token dimension d. */
    public int d() {
        return d;
    }

    /** Head size s. */
    public int headSize() {
        return s;
    }

    /** W_O (d×s) as exact decimals, a copy. */
    public BigDecimal[][] wOExact() {
        return BigMatrices.copy("W_O", wO);
    }

    /** W_V (s×d) as exact decimals, a copy. */
    public BigDecimal[][] wVExact() {
        return BigMatrices.copy("W_V", wV);
    }

    /** W_K (s×d) as exact decimals, a copy. */
    public BigDecimal[][] wKExact() {
        return BigMatrices.copy("W_K", wK);
    }

    /** W_Q (s×d) as exact decimals, a copy. */
    public BigDecimal[][] wQExact() {
        return BigMatrices.copy("W_Q", wQ);
    }

    /** W_O rounded to double, a new ND4J array. */
    public INDArray wO() {
        return BigMatrices.toNd(dO);
    }

    /** W_V rounded to double, a new ND4J array. */
    public INDArray wV() {
        return BigMatrices.toNd(dV);
    }

    /** W_K rounded to double, a new ND4J array. */
    public INDArray wK() {
        return BigMatrices.toNd(dK);
    }

    /** W_Q rounded to double, a new ND4J array. */
    public INDArray wQ() {
        return BigMatrices.toNd(dQ);
    }

    /** The exact ranks of W_O, W_V, W_K, W_Q, in that order (fraction-free elimination, no rounding). */
    public int[] ranks() {
        return new int[] {BigMatrices.rank(wO), BigMatrices.rank(wV), BigMatrices.rank(wK), BigMatrices.rank(wQ)};
    }

    /** SA(Z) in double with ND4J: all n output columns (d×n). Z (d×n, finite) is not modified. */
    public INDArray apply(INDArray z) {
        return apply(z, (int[]) null);
    }

    /**
     * The output columns {@code columns} of SA(Z) in double with ND4J (d×|columns|): every token is a key,
     * only the chosen ones are queries, so this costs O(n·|columns|) instead of O(n²).
     *
     * @param z       d×n tokens, finite. Not modified.
     * @param columns query columns in [0, n), or null for all. Not modified.
     */
    public INDArray apply(INDArray z, int... columns) {
        double[][] zm = BigMatrices.fromNd("Z", z);
        requireRows("Z", zm.length);
        int[] cols = columns(columns, zm[0].length);
        INDArray[] w = nd();
        INDArray zd = Nd4j.create(zm).castTo(DataType.DOUBLE);
        INDArray zq = zd.getColumns(cols);
        INDArray scores = w[2].mmul(zd).transpose().mmul(w[3].mmul(zq)); // n×m: keys are rows
        INDArray max = scores.max(0);
        INDArray weights = Transforms.exp(scores.subRowVector(max), false);
        weights.diviRowVector(weights.sum(0));
        return zq.add(w[0].mmul(w[1].mmul(zd).mmul(weights)));
    }

    /**
     * SA(Z) in double with plain loops (all columns), the reference for the ND4J path.
     *
     * @param z d×n tokens as rows of a double matrix ({@code z[i][k]} is coordinate i of token k). Not modified.
     */
    public double[][] applyReference(double[][] z) {
        int n = Require.rectangular("Z", z);
        Require.allFinite("Z", z);
        requireRows("Z", z.length);
        double[][] kz = mul(dK, z);
        double[][] qz = mul(dQ, z);
        double[][] vz = mul(dV, z);
        double[][] out = BigMatrices.copy(z);
        for (int l = 0; l < n; l++) {
            double[] a = new double[n];
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < n; k++) {
                double sum = 0;
                for (int i = 0; i < s; i++) {
                    sum += kz[i][k] * qz[i][l];
                }
                a[k] = sum;
                max = Math.max(max, sum);
            }
            double total = 0;
            for (int k = 0; k < n; k++) {
                a[k] = Math.exp(a[k] - max);
                total += a[k];
            }
            for (int i = 0; i < s; i++) {
                double head = 0;
                for (int k = 0; k < n; k++) {
                    head += vz[i][k] * a[k];
                }
                head /= total;
                for (int r = 0; r < d; r++) {
                    out[r][l] += dO[r][i] * head;
                }
            }
        }
        return out;
    }

    /** SA(Z) in BigDecimal at precision {@code mc}, all n columns. Z (d×n) is not modified. */
    public BigDecimal[][] apply(BigDecimal[][] z, MathContext mc) {
        return apply(z, mc, (int[]) null);
    }

    /**
     * The output columns {@code columns} of SA(Z) in BigDecimal at precision {@code mc} (d×|columns|).
     * Softmax weights e^{a_k − max a} are exact to mc's digits however small; sums are taken in increasing
     * order of the weights.
     *
     * @param z       d×n tokens, no null entry. Not modified.
     * @param mc      working precision (see {@link org.promptlimits.precision.PrecisionPlan})
     * @param columns query columns in [0, n), or null for all. Not modified.
     */
    public BigDecimal[][] apply(BigDecimal[][] z, MathContext mc, int... columns) {
        BigDecimal[][] zc = BigMatrices.copy("Z", z);
        requireRows("Z", zc.length);
        Require.notNull("mc", mc);
        Require.that(mc.getPrecision() > 0, "mc precision (0) must be >= 1");
        int n = zc[0].length;
        int[] cols = columns(columns, n);
        BigDecimal[][] zq = BigMatrices.columns(zc, cols);
        BigDecimal[][] kz = BigMatrices.multiply(wK, zc, mc);
        BigDecimal[][] qz = BigMatrices.multiply(wQ, zq, mc);
        BigDecimal[][] vz = BigMatrices.multiply(wV, zc, mc);
        BigDecimal[][] scores = BigMatrices.multiply(BigMatrices.transpose(kz), qz, mc); // n×m
        BigDecimal[][] out = zq;
        for (int l = 0; l < cols.length; l++) {
            BigDecimal max = scores[0][l];
            for (int k = 1; k < n; k++) {
                max = max.max(scores[k][l]);
            }
            BigDecimal[] w = new BigDecimal[n];
            for (int k = 0; k < n; k++) {
                BigDecimal x = scores[k][l].subtract(max, mc);
                w[k] = x.signum() == 0 ? BigDecimal.ONE : BigMath.exp(x, mc);
            }
            BigDecimal total = sumSorted(w, mc);
            for (int i = 0; i < s; i++) {
                BigDecimal[] terms = new BigDecimal[n];
                for (int k = 0; k < n; k++) {
                    terms[k] = vz[i][k].multiply(w[k], mc);
                }
                BigDecimal head = sumSorted(terms, mc).divide(total, mc);
                if (head.signum() == 0) {
                    continue;
                }
                for (int r = 0; r < d; r++) {
                    if (wO[r][i].signum() != 0) {
                        out[r][l] = out[r][l].add(wO[r][i].multiply(head, mc), mc);
                    }
                }
            }
        }
        return out;
    }

    private static BigDecimal sumSorted(BigDecimal[] x, MathContext mc) {
        BigDecimal[] s = x.clone();
        Arrays.sort(s, (a, b) -> a.abs().compareTo(b.abs()));
        BigDecimal sum = BigDecimal.ZERO;
        for (BigDecimal v : s) {
            sum = sum.add(v, mc);
        }
        return sum;
    }

    private INDArray[] nd() {
        INDArray[] w = nd;
        if (w == null) {
            w = new INDArray[] {BigMatrices.toNd(dO), BigMatrices.toNd(dV), BigMatrices.toNd(dK), BigMatrices.toNd(dQ)};
            nd = w;
        }
        return w;
    }

    private static double[][] mul(double[][] a, double[][] b) {
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

    private void requireRows(String name, int rows) {
        Require.that(rows == d, name + " has " + rows + " rows but d = " + d + " (tokens are columns)");
    }

    private static int[] columns(int[] columns, int n) {
        if (columns == null) {
            int[] all = new int[n];
            Arrays.setAll(all, k -> k);
            return all;
        }
        Require.that(columns.length > 0, "columns (empty) must name at least one query column");
        for (int c : columns) {
            Require.inRange("column", c, 0, n - 1);
        }
        return columns.clone();
    }

    private static void requireShape(String name, BigDecimal[][] m, int rows, int cols) {
        Require.that(m.length == rows && m[0].length == cols, name + " is " + m.length + "×" + m[0].length
                + " but must be " + rows + "×" + cols + " (W_O is d×s = " + cols + "×" + rows + ")");
    }
}
