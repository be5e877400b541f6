package org.promptlimits.core;

/**
 * Softmax attention viewed with tokens as rows (the APTI layout of theory §7.1, flat row-major arrays): output row i
 * is {@code Σ_j w_j v_j / Σ_j w_j} with {@link Softmax} weights {@code w_j = e^{s_j − max s}} of the scores
 * {@code s_j = β⟨q_i, k_j⟩}. The same single-head attention as {@link SelfAttention}, whose columns-as-tokens
 * layout with projections, residual and W_O this view leaves out; operations tier: the caller owns every array.
 */
public final class AttentionRows {

    private AttentionRows() {
    }

    /**
     * Writes output row {@code i} into {@code out[outOffset .. outOffset+dv−1]}. Dot products are summed in index
     * order; no shape checks (the caller's public method does them).
     *
     * @param q      n×d queries. Not modified.
     * @param k      m×d keys. Not modified.
     * @param v      m×dv values. Not modified.
     * @param scores scratch of length ≥ m. Modified.
     * @param out    Modified: dv entries from outOffset.
     */
    public static void row(int i, int m, int d, int dv, double[] q, double[] k, double[] v, double beta,
                           double[] scores, double[] out, int outOffset) {
        for (int j = 0; j < m; j++) {
            double s = 0;
            for (int t = 0; t < d; t++) {
                s += q[i * d + t] * k[j * d + t];
            }
            scores[j] = beta * s;
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
        }
    }
}
