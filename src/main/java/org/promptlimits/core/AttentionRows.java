package org.promptlimits.core;

import org.promptlimits.check.Require;

/**
 * Softmax attention viewed with tokens as rows (the APTI layout of theory §7.1, flat row-major arrays): output row i
 * is {@code Σ_j w_j v_j / Σ_j w_j} with {@link Softmax} weights {@code w_j = e^{s_j − max s}} of the scores
 * {@code s_j = β⟨q_i, k_j⟩}. The same single-head attention as {@link SelfAttention}, whose columns-as-tokens
 * layout with projections, residual and W_O this view leaves out; operations tier: the caller owns every array.
 */
public final class AttentionRows {

    private AttentionRows() {
    }

    private static void holds(String name, double[] a, long needed, String what) {
        Require.notNull(name, a);
        Require.that(a.length >= needed, name + " (length " + a.length + ") must hold " + what + " (" + needed
                + " entries)");
    }

    /**
     * Writes output row {@code i} into {@code out[outOffset .. outOffset+dv−1]}. Dot products are summed in index
     * order. Only O(1) checks (the arrays are long enough); the entries are the caller's to keep finite, and a
     * non-finite output row is refused naming the scores or values that overflowed.
     *
     * @param q      n×d queries. Not modified.
     * @param k      m×d keys. Not modified.
     * @param v      m×dv values. Not modified.
     * @param scores scratch of length ≥ m. Modified.
     * @param out    Modified: dv entries from outOffset.
     */
    public static void row(int i, int m, int d, int dv, double[] q, double[] k, double[] v, double beta,
                           double[] scores, double[] out, int outOffset) {
        Require.that(m >= 1 && d >= 1 && dv >= 1, "m (" + m + "), d (" + d + ") and dv (" + dv + ") must be >= 1");
        Require.that(i >= 0, "i (" + i + ") must be >= 0");
        holds("q", q, ((long) i + 1) * d, "row i = " + i + " of d = " + d + " entries");
        holds("k", k, (long) m * d, "m = " + m + " rows of d = " + d + " entries");
        holds("v", v, (long) m * dv, "m = " + m + " rows of dv = " + dv + " entries");
        holds("scores", scores, m, "m = " + m + " scores");
        Require.that(outOffset >= 0, "outOffset (" + outOffset + ") must be >= 0");
        holds("out", out, (long) outOffset + dv, "dv = " + dv + " entries from outOffset = " + outOffset);
        for (int j = 0; j < m; j++) {
            double s = 0;
            for (int t = 0; t < d; t++) {
                s += q[i * d + t] * k[j * d + t];
            }
            scores[j] = beta * s;
            if (!Double.isFinite(scores[j])) {
                throw new IllegalArgumentException("score beta·<q_" + i + ", k_" + j + "> (" + scores[j] + ") must be"
                        + " finite: q, k and beta must be finite and their products within double range; lower beta"
                        + " or rescale q and k");
            }
        }
        double sum = Softmax.weights(scores, 0, m, scores);
        for (int c = 0; c < dv; c++) {
            out[outOffset + c] = 0;
        }
        for (int j = 0; j < m; j++) {
            double w = scores[j];
            for (int c = 0; c < dv; c++) {
                out[outOffset + c] += w * v[j * dv + c];
            }
        }
        for (int c = 0; c < dv; c++) {
            out[outOffset + c] /= sum;
            if (!Double.isFinite(out[outOffset + c])) {
                throw new IllegalArgumentException("attention row " + i + " (" + out[outOffset + c] + " at column "
                        + c + ") is not finite; q, k and v must be finite and beta·<q_i, k_j> and the values must"
                        + " stay within double range; lower beta or rescale q, k, v");
            }
        }
    }
}
