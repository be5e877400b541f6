package org.promptlimits.memorization;

import org.promptlimits.check.Require;

/**
 * A token-wise residual ReLU feed-forward layer {@code FF(Z) = Z + W_2 ReLU(W_1 Z + b_1 1^T) + b_2 1^T},
 * width w. SPEC §1.
 *
 * <p>The record copies its arrays in and out.
 *
 * @param w1 W_1, w×d
 * @param b1 b_1, length w
 * @param w2 W_2, d×w
 * @param b2 b_2, length d
 */
public record ReluLayer(double[][] w1, double[] b1, double[][] w2, double[] b2) {

    public ReluLayer {
        int width = Require.notNull("w1", w1).length;
        Require.that(width >= 1, "w1 (0 rows) must have width w >= 1 rows");
        int d = Require.rectangular("w1", w1);
        Require.that(d >= 1, "w1 (0 columns) must have d >= 1 columns");
        Require.that(Require.notNull("b1", b1).length == width, "b1 has length " + b1.length + " but w = " + width);
        Require.that(Require.notNull("w2", w2).length == d, "w2 has " + w2.length + " rows but d = " + d);
        Require.that(Require.rectangular("w2", w2) == width, "w2 has " + w2[0].length + " columns but w = " + width);
        Require.that(Require.notNull("b2", b2).length == d, "b2 has length " + b2.length + " but d = " + d);
        Require.allFinite("w1", w1);
        Require.allFinite("b1", b1);
        Require.allFinite("w2", w2);
        Require.allFinite("b2", b2);
        w1 = Dataset.copy(w1);
        b1 = b1.clone();
        w2 = Dataset.copy(w2);
        b2 = b2.clone();
    }

    /** The token dimension d. */
    public int d() {
        return w2.length;
    }

    /** The width w. */
    public int width() {
        return b1.length;
    }

    @Override
    public double[][] w1() {
        return Dataset.copy(w1);
    }

    @Override
    public double[] b1() {
        return b1.clone();
    }

    @Override
    public double[][] w2() {
        return Dataset.copy(w2);
    }

    @Override
    public double[] b2() {
        return b2.clone();
    }

    /** FF applied to one token z (length d), writing the hidden pre-activation into {@code pre} (length w). */
    void apply(double[] z, double[] pre, double[] out) {
        int w = b1.length;
        int d = b2.length;
        for (int h = 0; h < w; h++) {
            double acc = b1[h];
            double[] row = w1[h];
            for (int j = 0; j < d; j++) {
                acc += row[j] * z[j];
            }
            pre[h] = acc;
        }
        for (int j = 0; j < d; j++) {
            double acc = z[j] + b2[j];
            double[] row = w2[j];
            for (int h = 0; h < w; h++) {
                if (pre[h] > 0) {
                    acc += row[h] * pre[h];
                }
            }
            out[j] = acc;
        }
    }

    /**
     * Back-propagation through one token: given ∂ℓ/∂FF(z) in {@code gradOut} and the stored pre-activation,
     * writes ∂ℓ/∂z = gradOut + W_1^T((W_2^T gradOut) ⊙ 1[pre &gt; 0]) into {@code gradIn}.
     */
    void backward(double[] pre, double[] gradOut, double[] gradIn) {
        int w = b1.length;
        int d = b2.length;
        System.arraycopy(gradOut, 0, gradIn, 0, d);
        for (int h = 0; h < w; h++) {
            if (pre[h] > 0) {
                double g = 0;
                for (int j = 0; j < d; j++) {
                    g += w2[j][h] * gradOut[j];
                }
                double[] row = w1[h];
                for (int j = 0; j < d; j++) {
                    gradIn[j] += row[j] * g;
                }
            }
        }
    }
}
