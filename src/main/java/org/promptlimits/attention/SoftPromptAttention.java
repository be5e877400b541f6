package org.promptlimits.attention;

import org.promptlimits.check.Require;
import org.promptlimits.core.AttentionRows;
import org.promptlimits.core.Matrices;
import org.promptlimits.core.SelfAttention;
import org.promptlimits.precision.Budget;

import java.util.Arrays;
import java.util.Random;
import java.util.random.RandomGenerator;

/**
 * A frozen single-head attention layer read through a soft prompt, in the rows-are-tokens layout of APTI:
 * Z = [P; X] (Lp + L rows), Q_p = Z W_Q, K_p = Z W_K, V_p = Z W_V, and τ_P(X) = the last L rows of
 * softmax(β Q_p K_p^T) V_p. The prompt P changes the norms of Q_p, K_p, V_p, hence B and the APTI regime.
 * theory §1 and §7 [P definitions; C minimal layer without residual, positional encoding or FFN].
 *
 * <p>A deliberately small stand-in for the full transformer of theory §1: it exists to show which side of
 * the threshold B ≈ √(ln n) a prompt puts the induced problem. It is a view of the core model: the same layer
 * with tokens as columns is {@link #asSelfAttention()} ({@code W_Q^core = W_Qᵀ}, β folded into W_K, W_O = I, V
 * the head), and its exact output is the core attention kernel {@link AttentionRows}. Weights are d×d.
 */
public final class SoftPromptAttention {

    private final int d;
    private final double[][] wq;
    private final double[][] wk;
    private final double[][] wv;

    private SoftPromptAttention(int d, double[][] wq, double[][] wk, double[][] wv) {
        this.d = d;
        this.wq = wq;
        this.wk = wk;
        this.wv = wv;
    }

    /** A frozen layer with weights uniform in [−1/√d, 1/√d], seeded. */
    public static SoftPromptAttention random(int d, long seed) {
        Require.positive("d", d);
        Budget.DEFAULT.requireArray("weights W_Q, W_K, W_V (3·d·d doubles)", Double.BYTES,
                Budget.orMoreHeap("lower d"), 3, d, d);
        RandomGenerator rnd = new Random(seed);
        double s = 1 / Math.sqrt(d);
        double[][][] w = new double[3][d][d];
        for (double[][] a : w) {
            for (double[] row : a) {
                for (int c = 0; c < d; c++) {
                    row[c] = s * (2 * rnd.nextDouble() - 1);
                }
            }
        }
        return new SoftPromptAttention(d, w[0], w[1], w[2]);
    }

    public int dimension() {
        return d;
    }

    /**
     * The APTI instance the prompt induces: Q_p, K_p, V_p of Z = [P; X] with B = their largest entry
     * (rounded up to 1e-12 above it).
     *
     * @param prompt P, Lp×d row-major (Lp ≥ 0). Not modified.
     * @param input  X, L×d row-major (L ≥ 1). Not modified.
     */
    public Apti induced(double[] prompt, double[] input, double deltaF, double beta) {
        Require.notNull("prompt", prompt);
        Require.notNull("input", input);
        Require.that(prompt.length % d == 0, "prompt has " + prompt.length + " entries, not a multiple of d = " + d);
        Require.that(input.length % d == 0 && input.length > 0,
                "input has " + input.length + " entries; it must be L x d with L >= 1 and d = " + d);
        Require.allFinite("prompt", prompt);
        Require.allFinite("input", input);
        int n = (prompt.length + input.length) / d;
        double[][] z = new double[n][];
        for (int i = 0; i < n; i++) {
            int at = i * d;
            z[i] = at < prompt.length ? Arrays.copyOfRange(prompt, at, at + d)
                    : Arrays.copyOfRange(input, at - prompt.length, at - prompt.length + d);
        }
        double[] q = flat(Matrices.multiply(z, wq));
        double[] k = flat(Matrices.multiply(z, wk));
        double[] v = flat(Matrices.multiply(z, wv));
        double b = Math.max(maxAbs(q), Math.max(maxAbs(k), maxAbs(v)));
        return new Apti(n, d, q, k, v, Math.max(b, 1e-300) * (1 + 1e-12), deltaF, beta);
    }

    /**
     * τ_P(X): the last L output rows (L = inputRows) computed by {@code attention} with only those L
     * queries against all n keys.
     *
     * @return L×d row-major, a new array
     */
    public static double[] readOut(Attention attention, Apti induced, int inputRows) {
        Require.notNull("attention", attention);
        Require.notNull("induced", induced);
        Require.inRange("inputRows", inputRows, 1, induced.n());
        int n = induced.n();
        int d = induced.d();
        int lp = n - inputRows;
        double[] q = Arrays.copyOfRange(induced.q(), lp * d, n * d);
        double[] out = new double[inputRows * d];
        attention.attend(inputRows, n, d, d, q, induced.k(), induced.v(), induced.beta(), out);
        return out;
    }

    /**
     * The same layer with tokens as columns, as a core {@link SelfAttention} of head size d: {@code W_Q^core = W_Qᵀ},
     * {@code W_K^core = β W_Kᵀ}, {@code W_V^core = W_Vᵀ}, {@code W_O = I}. Its output minus the residual Z is
     * this layer's {@code softmax(β Q_p K_pᵀ) V_p}, transposed.
     */
    public SelfAttention asSelfAttention(double beta) {
        Require.positive("beta", beta);
        double[][] wkBeta = Matrices.transpose(wk);
        for (double[] row : wkBeta) {
            for (int c = 0; c < d; c++) {
                row[c] *= beta;
            }
        }
        double[][] identity = new double[d][d];
        for (int i = 0; i < d; i++) {
            identity[i][i] = 1;
        }
        return SelfAttention.of(identity, Matrices.transpose(wv), wkBeta, Matrices.transpose(wq));
    }

    private static double[] flat(double[][] rows) {
        int d = rows[0].length;
        double[] out = new double[rows.length * d];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, out, i * d, d);
        }
        return out;
    }

    private static double maxAbs(double[] a) {
        double m = 0;
        for (double x : a) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    /** A seeded L×d (or Lp×d) matrix with entries uniform in [−scale, scale]: inputs and soft prompts for demos. */
    public static double[] uniformRows(int rows, int d, double scale, long seed) {
        Require.nonNegative("rows", rows);
        Require.positive("d", d);
        Require.nonNegative("scale", scale);
        Budget.DEFAULT.requireArray("uniform rows (rows·d doubles)", Double.BYTES,
                Budget.orMoreHeap("lower rows or d"), rows, d);
        RandomGenerator rnd = new Random(seed);
        double[] a = new double[rows * d];
        for (int i = 0; i < a.length; i++) {
            a[i] = scale * (2 * rnd.nextDouble() - 1);
        }
        return a;
    }
}
