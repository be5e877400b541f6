package org.promptlimits.core;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.promptlimits.check.Require;
import org.promptlimits.precision.Budget;
import org.promptlimits.precision.BigMath;
import org.promptlimits.precision.PrecisionPlan;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Arrays;

/**
 * Single-head self-attention with a residual connection,
 * {@code SA(Z) = Z + W_O W_V Z · softmax_col((W_K Z)^T (W_Q Z))}, on d×n column tokens. theory §1 [L].
 *
 * <p>{@code W_O ∈ R^{d×s}}, {@code W_V, W_K, W_Q ∈ R^{s×d}} for any head size s; the rank of each matrix is
 * whatever the weights give ({@link #ranks()}). The softmax runs over keys (rows) for each query column,
 * shifted by the column maximum before exp.
 *
 * <p>The weights are held as exact decimals. Two arithmetic tiers share them and the one {@link Softmax}:
 * {@link #applyColumns(double[][], int[])} in double (the weights rounded to double; {@link #apply(INDArray)} is
 * its ND4J edge), and {@link #apply(BigDecimal[][], MathContext, int...)} in BigDecimal, written plainly as the
 * oracle, where the exponentials come from {@link BigMath#exp} and never underflow. Immutable and thread-safe.
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

    private SelfAttention(BigDecimal[][] wO, BigDecimal[][] wV, BigDecimal[][] wK, BigDecimal[][] wQ) {
        this.wO = Matrices.copy("W_O", wO);
        this.wV = Matrices.copy("W_V", wV);
        this.wK = Matrices.copy("W_K", wK);
        this.wQ = Matrices.copy("W_Q", wQ);
        this.d = this.wO.length;
        this.s = this.wO[0].length;
        requireShape("W_V", this.wV, s, d);
        requireShape("W_K", this.wK, s, d);
        requireShape("W_Q", this.wQ, s, d);
        this.dO = Matrices.toDouble("W_O", this.wO);
        this.dV = Matrices.toDouble("W_V", this.wV);
        this.dK = Matrices.toDouble("W_K", this.wK);
        this.dQ = Matrices.toDouble("W_Q", this.wQ);
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
        return new SelfAttention(Matrices.exact("W_O", wO), Matrices.exact("W_V", wV),
                Matrices.exact("W_K", wK), Matrices.exact("W_Q", wQ));
    }

    /** A layer with ND4J weights (W_O d×s; W_V, W_K, W_Q s×d), finite entries only. Not modified. */
    public static SelfAttention of(INDArray wO, INDArray wV, INDArray wK, INDArray wQ) {
        return of(Matrices.fromNd("W_O", wO), Matrices.fromNd("W_V", wV), Matrices.fromNd("W_K", wK),
                Matrices.fromNd("W_Q", wQ));
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
        return Matrices.copy("W_O", wO);
    }

    /** W_V (s×d) as exact decimals, a copy. */
    public BigDecimal[][] wVExact() {
        return Matrices.copy("W_V", wV);
    }

    /** W_K (s×d) as exact decimals, a copy. */
    public BigDecimal[][] wKExact() {
        return Matrices.copy("W_K", wK);
    }

    /** W_Q (s×d) as exact decimals, a copy. */
    public BigDecimal[][] wQExact() {
        return Matrices.copy("W_Q", wQ);
    }

    /** W_O rounded to double, a new ND4J array. */
    public INDArray wO() {
        return Matrices.toNd(dO);
    }

    /** W_V rounded to double, a new ND4J array. */
    public INDArray wV() {
        return Matrices.toNd(dV);
    }

    /** W_K rounded to double, a new ND4J array. */
    public INDArray wK() {
        return Matrices.toNd(dK);
    }

    /** W_Q rounded to double, a new ND4J array. */
    public INDArray wQ() {
        return Matrices.toNd(dQ);
    }

    /**
     * W_KᵀW_Q (d×d) in exact decimal arithmetic, no rounding: the score of key z_k for query z_l is
     * z_kᵀ(W_KᵀW_Q)z_l. With {@link #valueMatrix} it fixes the layer: SA(Z)_l = z_l + Σ_k softmax_k(scores) W_OW_V z_k,
     * so two layers with equal score and value matrices give identical outputs on every input.
     *
     * @throws IllegalArgumentException if the exact entries need more digits than {@code budget} allows
     */
    public BigDecimal[][] scoreMatrix(Budget budget) {
        return Matrices.multiplyExact(Matrices.transpose(wK), wQ, budget);
    }

    /** W_OW_V (d×d) in exact decimal arithmetic, no rounding; see {@link #scoreMatrix}. */
    public BigDecimal[][] valueMatrix(Budget budget) {
        return Matrices.multiplyExact(wO, wV, budget);
    }

    /** The exact ranks of W_O, W_V, W_K, W_Q, in that order (fraction-free elimination, no rounding). */
    public int[] ranks() {
        return new int[] {Matrices.rank(wO), Matrices.rank(wV), Matrices.rank(wK), Matrices.rank(wQ)};
    }

    /** SA(Z) in double: all n output columns (d×n), a new ND4J array. Z (d×n, finite) is not modified. */
    public INDArray apply(INDArray z) {
        return apply(z, (int[]) null);
    }

    /**
     * The output columns {@code columns} of SA(Z) in double (d×|columns|), a new ND4J array: the ND4J edge of
     * {@link #applyColumns(double[][], int[])} (Z is converted to {@code double[][]}, the result back).
     *
     * @param z       d×n tokens, finite. Not modified.
     * @param columns query columns in [0, n), or null for all. Not modified.
     */
    public INDArray apply(INDArray z, int... columns) {
        return Matrices.toNd(applyColumns(Matrices.fromNd("Z", z), columns));
    }

    private static final String OVERFLOW = "the scores (W_K Z)ᵀ(W_Q Z) or the values W_O W_V Z overflow double;"
            + " rescale the weights or Z, or use apply(BigDecimal[][], MathContext)";

    /**
     * SA(Z) in double with plain loops, all n columns.
     *
     * @param z d×n tokens ({@code z[i][k]} is coordinate i of token k), finite. Not modified.
     * @return a new d×n array
     */
    public double[][] applyReference(double[][] z) {
        return applyColumns(z, null);
    }

    /**
     * The output columns {@code columns} of SA(Z) in double (d×|columns|), a new array; see
     * {@link #applyColumns(double[][], int[], double[][])}.
     *
     * @param z       d×n tokens, finite. Not modified.
     * @param columns query columns in [0, n), or null for all. Not modified.
     */
    public double[][] applyColumns(double[][] z, int[] columns) {
        int n = Require.rectangular("Z", z);
        double[][] out = new double[d][columns == null ? n : columns.length];
        applyColumns(z, columns, out);
        return out;
    }

    /**
     * The operations tier: the output columns {@code columns} of SA(Z) in double, written into the caller's
     * {@code out}. Every token is a key, only the chosen ones are queries, so this costs O(n·|columns|) instead of
     * O(n²). For query l, with scores {@code a_k = (W_K z_k)·(W_Q z_l)} and {@link Softmax} weights
     * {@code w_k = e^{a_k − max a}}: {@code out_l = z_l + W_O Σ_k w_k W_V z_k / Σ_k w_k}, the head computed by
     * {@link AttentionRows} on the tokens-as-rows view of W_K Z, W_Q Z and W_V Z.
     *
     * @param z       d×n tokens, finite. Not modified.
     * @param columns query columns in [0, n), or null for all. Not modified.
     * @param out     d×|columns|. Modified (every entry overwritten).
     * @throws IllegalArgumentException if z does not have d rows, has a non-finite entry, or out has the wrong shape
     */
    public void applyColumns(double[][] z, int[] columns, double[][] out) {
        int n = Require.rectangular("Z", z);
        Require.allFinite("Z", z);
        requireRows("Z", z.length);
        int[] cols = columns(columns, n);
        Require.notNull("out", out);
        Require.that(out.length == d && Require.rectangular("out", out) == cols.length, "out is " + out.length + "×"
                + (out.length == 0 ? 0 : out[0].length) + " but must be d×|columns| = " + d + "×" + cols.length);
        // the head's keys, queries and values with tokens as rows, then the one attention kernel per query
        Budget.DEFAULT.requireArray("keys, queries and values (3·s·n doubles)", Double.BYTES,
                Budget.orMoreHeap("lower n"),
                3, s, n);
        double[] keys = tokenRows(Matrices.product(dK, z));
        double[] queries = tokenRows(Matrices.product(dQ, Matrices.columns(z, cols)));
        double[] values = tokenRows(Matrices.product(dV, z));
        double[] scores = new double[n];
        double[] head = new double[s];
        for (int l = 0; l < cols.length; l++) {
            try {
                AttentionRows.row(l, n, s, s, queries, keys, values, 1.0, scores, head, 0);
            } catch (IllegalArgumentException overflow) { // Z and the weights are finite: the products overflowed
                throw new IllegalArgumentException("SA(Z) column " + cols[l] + " is not finite; " + OVERFLOW, overflow);
            }
            for (int r = 0; r < d; r++) {
                out[r][l] = z[r][cols[l]];
                for (int i = 0; i < s; i++) {
                    out[r][l] += dO[r][i] * head[i];
                }
            }
        }
        for (int r = 0; r < d; r++) {
            Require.finiteResult("SA(Z)[" + r + "]", out[r], OVERFLOW);
        }
    }

    /** An s×n matrix as n rows of length s, flat row-major: the tokens-as-rows view of AttentionRows. */
    private static double[] tokenRows(double[][] m) {
        int rows = m.length;
        int n = m[0].length;
        double[] flat = new double[n * rows];
        for (int i = 0; i < rows; i++) {
            for (int k = 0; k < n; k++) {
                flat[k * rows + i] = m[i][k];
            }
        }
        return flat;
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
     * @param mc      working precision (see {@link PrecisionPlan})
     * @param columns query columns in [0, n), or null for all. Not modified.
     */
    public BigDecimal[][] apply(BigDecimal[][] z, MathContext mc, int... columns) {
        BigDecimal[][] zc = Matrices.copy("Z", z);
        requireRows("Z", zc.length);
        Require.notNull("mc", mc);
        Require.that(mc.getPrecision() > 0, "mc precision (0) must be >= 1");
        int n = zc[0].length;
        int[] cols = columns(columns, n);
        BigDecimal[][] zq = Matrices.columns(zc, cols);
        BigDecimal[][] kz = Matrices.multiply(wK, zc, mc);
        BigDecimal[][] qz = Matrices.multiply(wQ, zq, mc);
        BigDecimal[][] vz = Matrices.multiply(wV, zc, mc);
        BigDecimal[][] scores = Matrices.multiply(Matrices.transpose(kz), qz, mc); // n×m
        BigDecimal[][] out = zq;
        for (int l = 0; l < cols.length; l++) {
            BigDecimal[] a = new BigDecimal[n];
            for (int k = 0; k < n; k++) {
                a[k] = scores[k][l];
            }
            BigDecimal[] w = Softmax.weights(a, mc);
            BigDecimal total = Softmax.sum(w, mc);
            for (int i = 0; i < s; i++) {
                BigDecimal[] terms = new BigDecimal[n];
                for (int k = 0; k < n; k++) {
                    terms[k] = vz[i][k].multiply(w[k], mc);
                }
                BigDecimal head = Softmax.sum(terms, mc).divide(total, mc);
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
        for (int i = 0; i < columns.length; i++) {
            Require.inRange("columns[" + i + "]", columns[i], 0, n - 1);
        }
        return columns.clone();
    }

    private static void requireShape(String name, BigDecimal[][] m, int rows, int cols) {
        Require.that(m.length == rows && m[0].length == cols, name + " is " + m.length + "×" + m[0].length
                + " but must be " + rows + "×" + cols + " (W_O is d×s = " + cols + "×" + rows + ")");
    }
}
