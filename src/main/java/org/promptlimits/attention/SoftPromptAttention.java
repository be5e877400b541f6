package org.promptlimits.attention;

import org.promptlimits.check.Require;

import java.util.Random;

/**
 * A frozen single-head attention layer read through a soft prompt, in the rows-are-tokens layout of APTI:
 * Z = [P; X] (Lp + L rows), Q_p = Z W_Q, K_p = Z W_K, V_p = Z W_V, and τ_P(X) = the last L rows of
 * softmax(β Q_p K_p^T) V_p. The prompt P changes the norms of Q_p, K_p, V_p, hence B and the APTI regime.
 * SPEC §1 and §7 [P definitions; C minimal layer without residual, positional encoding or FFN].
 *
 * <p>A deliberately small stand-in for the full transformer of SPEC §1: it exists to show which side of
 * the threshold B ≈ √(ln n) a prompt puts the induced problem. Weights are d×d, row-major.
 */
public final class SoftPromptAttention {

    private final int d;
    private final double[] wq;
    private final double[] wk;
    private final double[] wv;

    private SoftPromptAttention(int d, double[] wq, double[] wk, double[] wv) {
        this.d = d;
        this.wq = wq;
        this.wk = wk;
        this.wv = wv;
    }

    /** A frozen layer with weights uniform in [−1/√d, 1/√d], seeded. */
    public static SoftPromptAttention random(int d, long seed) {
        Require.positive("d", d);
        Random rnd = new Random(seed);
        double s = 1 / Math.sqrt(d);
        double[][] w = new double[3][d * d];
        for (double[] a : w) {
            for (int i = 0; i < a.length; i++) {
                a[i] = s * (2 * rnd.nextDouble() - 1);
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
        double[] z = new double[n * d];
        System.arraycopy(prompt, 0, z, 0, prompt.length);
        System.arraycopy(input, 0, z, prompt.length, input.length);
        double[] q = times(z, wq, n);
        double[] k = times(z, wk, n);
        double[] v = times(z, wv, n);
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
        double[] q = java.util.Arrays.copyOfRange(induced.q(), lp * d, n * d);
        double[] out = new double[inputRows * d];
        attention.attend(inputRows, n, d, d, q, induced.k(), induced.v(), induced.beta(), out);
        return out;
    }

    private double[] times(double[] z, double[] w, int n) {
        double[] out = new double[n * d];
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < d; t++) {
                double x = z[i * d + t];
                for (int c = 0; c < d; c++) {
                    out[i * d + c] += x * w[t * d + c];
                }
            }
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
        Random rnd = new Random(seed);
        double[] a = new double[rows * d];
        for (int i = 0; i < a.length; i++) {
            a[i] = scale * (2 * rnd.nextDouble() - 1);
        }
        return a;
    }
}
