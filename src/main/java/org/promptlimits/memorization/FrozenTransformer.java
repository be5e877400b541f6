package org.promptlimits.memorization;

import org.promptlimits.check.Require;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A frozen one-layer single-head transformer with residual ReLU feed-forward layers,
 * {@code τ = FF_after ∘ SA ∘ FF_before}, where
 * {@code SA(Z) = Z + W_O W_V Z · softmax_col((W_K Z)^T (W_Q Z))}, applied to {@code [P, X] + E} with
 * {@code E[:,k] = k·1_d}. SPEC §1, §5.
 *
 * <p>The prompt-tuned model reads the last L columns: {@code τ_P(X) = τ([P, X] + E)[:, Lp+1..n]}
 * ({@link #forward}). For memorization the model's output head removes the positional encoding it added,
 * {@link #output}: {@code τ_P(X) − E[:, Lp+1..n]} [C]. A random frozen network cannot remove k·1_d by
 * itself, and without this fixed head no prompt could bring the outputs near labels in [0, 1]; the head is
 * part of the frozen model, so the counting bound of Theorem 2.5 applies to it unchanged.
 *
 * <p>Matrices are given as {@code [row][column]} and copied in; the transformer is immutable.
 */
public final class FrozenTransformer {

    private final int d;
    private final int s;
    private final double[][] wq;
    private final double[][] wk;
    private final double[][] wv;
    private final double[][] wo;
    private final List<ReluLayer> before;
    private final List<ReluLayer> after;

    private FrozenTransformer(double[][] wq, double[][] wk, double[][] wv, double[][] wo,
                              List<ReluLayer> before, List<ReluLayer> after) {
        this.s = wq.length;
        this.d = wq[0].length;
        this.wq = wq;
        this.wk = wk;
        this.wv = wv;
        this.wo = wo;
        this.before = before;
        this.after = after;
    }

    /**
     * The transformer with the given weights.
     *
     * @param wq     W_Q, s×d. Not modified (copied).
     * @param wk     W_K, s×d. Not modified.
     * @param wv     W_V, s×d. Not modified.
     * @param wo     W_O, d×s. Not modified.
     * @param before FF layers applied before attention, in order (may be empty)
     * @param after  FF layers applied after attention, in order (may be empty)
     * @throws IllegalArgumentException if shapes disagree or an entry is not finite
     */
    public static FrozenTransformer of(double[][] wq, double[][] wk, double[][] wv, double[][] wo,
                                       List<ReluLayer> before, List<ReluLayer> after) {
        int s = Require.notNull("wq", wq).length;
        Require.that(s >= 1, "wq (0 rows) must have head size s >= 1 rows");
        int d = Require.rectangular("wq", wq);
        Require.that(d >= 1, "wq (0 columns) must have d >= 1 columns");
        Require.allFinite("wq", wq);
        shape("wk", wk, s, d);
        shape("wv", wv, s, d);
        shape("wo", wo, d, s);
        Require.notNull("before", before);
        Require.notNull("after", after);
        List<ReluLayer> all = new ArrayList<>(before);
        all.addAll(after);
        for (int i = 0; i < all.size(); i++) {
            ReluLayer f = Require.notNull("layer " + i, all.get(i));
            Require.that(f.d() == d, "feed-forward layer " + i + " has d = " + f.d() + " but W_Q has d = " + d);
        }
        return new FrozenTransformer(Dataset.copy(wq), Dataset.copy(wk), Dataset.copy(wv), Dataset.copy(wo),
                List.copyOf(before), List.copyOf(after));
    }

    private static void shape(String name, double[][] a, int rows, int cols) {
        Require.notNull(name, a);
        Require.that(a.length == rows, name + " has " + a.length + " rows but must have " + rows);
        Require.that(Require.rectangular(name, a) == cols, name + " has " + a[0].length + " columns but must have " + cols);
        Require.allFinite(name, a);
    }

    /**
     * A seeded random frozen transformer [C]. Entries are independent Gaussians: W_Q, W_K with standard
     * deviation {@code 1/√d}, then each row projected orthogonally to 1_d, so that scores see token content
     * and not the positional offset k·1_d (otherwise scores grow like k² and softmax saturates on the last
     * positions, and no prompt gets attention; for d = 1 this leaves W_Q = W_K = 0 and uniform attention);
     * W_V with {@code 1/√d} and W_O with {@code 1/√s}, unprojected, so prompt values reach every direction;
     * FF layers: W_1 with {@code 1/√d}, rows projected orthogonally to 1_d, b_1 with 1, W_2 with
     * {@code 1/(4√w)}, b_2 = 0 (a mild token-wise nonlinearity on the content).
     *
     * @throws IllegalArgumentException unless d, s, w ≥ 1 and the layer counts are ≥ 0
     */
    public static FrozenTransformer random(int d, int headSize, int layersBefore, int layersAfter, int width, long seed) {
        Require.positive("d", d);
        Require.positive("headSize", headSize);
        Require.nonNegative("layersBefore", layersBefore);
        Require.nonNegative("layersAfter", layersAfter);
        Require.positive("width", width);
        SplittableRandom rng = new SplittableRandom(seed);
        double sd = 1 / Math.sqrt(d);
        double[][] wq = contentOnly(gaussian(rng, headSize, d, sd));
        double[][] wk = contentOnly(gaussian(rng, headSize, d, sd));
        double[][] wv = gaussian(rng, headSize, d, sd);
        double[][] wo = gaussian(rng, d, headSize, 1 / Math.sqrt(headSize));
        List<ReluLayer> before = new ArrayList<>();
        for (int i = 0; i < layersBefore; i++) {
            before.add(randomLayer(rng, d, width));
        }
        List<ReluLayer> after = new ArrayList<>();
        for (int i = 0; i < layersAfter; i++) {
            after.add(randomLayer(rng, d, width));
        }
        return new FrozenTransformer(wq, wk, wv, wo, List.copyOf(before), List.copyOf(after));
    }

    private static ReluLayer randomLayer(SplittableRandom rng, int d, int width) {
        return new ReluLayer(contentOnly(gaussian(rng, width, d, 1 / Math.sqrt(d))),
                gaussian(rng, 1, width, 1)[0], gaussian(rng, d, width, 0.25 / Math.sqrt(width)), new double[d]);
    }

    /** Each row minus its mean: the rows become orthogonal to 1_d (modified in place and returned). */
    private static double[][] contentOnly(double[][] w) {
        for (double[] row : w) {
            double mean = 0;
            for (double v : row) {
                mean += v;
            }
            mean /= row.length;
            for (int j = 0; j < row.length; j++) {
                row[j] -= mean;
            }
        }
        return w;
    }

    private static double[][] gaussian(SplittableRandom rng, int rows, int cols, double sd) {
        double[][] a = new double[rows][cols];
        for (double[] row : a) {
            for (int k = 0; k < cols; k++) {
                row[k] = sd * gaussian(rng);
            }
        }
        return a;
    }

    /** A standard normal by Box–Muller (SplittableRandom has no nextGaussian on Java 17). */
    static double gaussian(SplittableRandom rng) {
        double u = rng.nextDouble();
        double v = rng.nextDouble();
        return Math.sqrt(-2 * Math.log1p(-u)) * Math.cos(2 * Math.PI * v);
    }

    /** The token dimension d. */
    public int d() {
        return d;
    }

    /** The head size s. */
    public int headSize() {
        return s;
    }

    /** The FF layers before attention (unmodifiable). */
    public List<ReluLayer> layersBefore() {
        return before;
    }

    /** The FF layers after attention (unmodifiable). */
    public List<ReluLayer> layersAfter() {
        return after;
    }

    /** Copies of W_Q, W_K, W_V (s×d) and W_O (d×s), in that order. */
    public double[][][] attentionWeights() {
        return new double[][][] {Dataset.copy(wq), Dataset.copy(wk), Dataset.copy(wv), Dataset.copy(wo)};
    }

    /**
     * The same network as the library's core transformer {@code FF_after ∘ SA ∘ FF_before}, built from
     * {@link org.promptlimits.core.SelfAttention} and {@link org.promptlimits.core.FeedForward} with these weights;
     * its {@code tau(P, X)} equals the last L columns of {@link #forward} (tests compare them).
     */
    public org.promptlimits.core.Transformer asCoreTransformer() {
        List<org.promptlimits.core.Layer> layers = new ArrayList<>();
        int i = 0;
        for (ReluLayer f : before) {
            layers.add(org.promptlimits.core.FeedForward.of("FF_before" + (++i), f.w1(), f.b1(), f.w2(), f.b2()));
        }
        layers.add(org.promptlimits.core.AttentionLayer.of(org.promptlimits.core.SelfAttention.of(wo, wv, wk, wq)));
        i = 0;
        for (ReluLayer f : after) {
            layers.add(org.promptlimits.core.FeedForward.of("FF_after" + (++i), f.w1(), f.b1(), f.w2(), f.b2()));
        }
        return org.promptlimits.core.Transformer.of(d, layers);
    }

    /**
     * The whole output {@code τ([P, X] + E)}, d×n with n = Lp + L, computed directly from the definition
     * (every column is a query). This is the reference the tuner's fast path is tested against.
     *
     * @param prompt P, d×Lp (Lp ≥ 0 columns; pass {@code new double[d][0]} for no prompt). Not modified.
     * @param x      X, d×L. Not modified.
     * @throws IllegalArgumentException on shape mismatch or a non-finite entry
     */
    public double[][] forward(double[][] prompt, double[][] x) {
        int lp = columns("prompt", prompt, true);
        int len = columns("x", x, false);
        int n = lp + len;
        double[][] z = new double[n][d];
        for (int k = 0; k < n; k++) {
            for (int j = 0; j < d; j++) {
                z[k][j] = (k < lp ? prompt[j][k] : x[j][k - lp]) + (k + 1);
            }
        }
        z = applyAll(before, z);
        double[][] kk = project(wk, z);
        double[][] qq = project(wq, z);
        double[][] vv = project(wv, z);
        double[][] out = new double[n][];
        double[] weights = new double[n];
        double[] u = new double[s];
        for (int l = 0; l < n; l++) {
            softmaxColumn(kk, qq[l], n, weights);
            java.util.Arrays.fill(u, 0);
            for (int j = 0; j < n; j++) {
                for (int a = 0; a < s; a++) {
                    u[a] += weights[j] * vv[j][a];
                }
            }
            out[l] = z[l].clone();
            for (int i = 0; i < d; i++) {
                for (int a = 0; a < s; a++) {
                    out[l][i] += wo[i][a] * u[a];
                }
            }
        }
        out = applyAll(after, out);
        double[][] result = new double[d][n];
        for (int k = 0; k < n; k++) {
            for (int j = 0; j < d; j++) {
                result[j][k] = out[k][j];
            }
        }
        return result;
    }

    /**
     * The memorization output {@code τ_P(X) − E[:, Lp+1..n]}: the last L columns of {@link #forward} with the
     * positional encoding removed, d×L. [C]
     *
     * @param prompt P, d×Lp. Not modified.
     * @param x      X, d×L. Not modified.
     */
    public double[][] output(double[][] prompt, double[][] x) {
        double[][] full = forward(prompt, x);
        int lp = prompt[0].length;
        int len = x[0].length;
        double[][] y = new double[d][len];
        for (int j = 0; j < d; j++) {
            for (int k = 0; k < len; k++) {
                y[j][k] = full[j][lp + k] - (lp + k + 1);
            }
        }
        return y;
    }

    private int columns(String name, double[][] a, boolean mayBeEmpty) {
        Require.notNull(name, a);
        Require.that(a.length == d, name + " has " + a.length + " rows but d = " + d);
        int c = Require.rectangular(name, a);
        Require.that(mayBeEmpty || c >= 1, name + " (0 columns) must have at least one column");
        Require.allFinite(name, a);
        return c;
    }

    /** Tokens (token-major, n×d) through a list of FF layers. */
    private static double[][] applyAll(List<ReluLayer> layers, double[][] z) {
        for (ReluLayer f : layers) {
            double[][] next = new double[z.length][z.length == 0 ? 0 : z[0].length];
            double[] pre = new double[f.width()];
            for (int k = 0; k < z.length; k++) {
                f.apply(z[k], pre, next[k]);
            }
            z = next;
        }
        return z;
    }

    /** W t_k for every token t_k (token-major result, n×rows(W)). */
    static double[][] project(double[][] w, double[][] tokens) {
        double[][] r = new double[tokens.length][w.length];
        for (int k = 0; k < tokens.length; k++) {
            project(w, tokens[k], r[k]);
        }
        return r;
    }

    static void project(double[][] w, double[] t, double[] out) {
        for (int a = 0; a < w.length; a++) {
            double acc = 0;
            double[] row = w[a];
            for (int j = 0; j < t.length; j++) {
                acc += row[j] * t[j];
            }
            out[a] = acc;
        }
    }

    /** weights[j] = softmax_j(keys[j]·q) over the first n keys, max subtracted before exp. */
    static void softmaxColumn(double[][] keys, double[] q, int n, double[] weights) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            double sc = 0;
            double[] kj = keys[j];
            for (int a = 0; a < q.length; a++) {
                sc += kj[a] * q[a];
            }
            weights[j] = sc;
            max = Math.max(max, sc);
        }
        double sum = 0;
        for (int j = 0; j < n; j++) {
            weights[j] = Math.exp(weights[j] - max);
            sum += weights[j];
        }
        for (int j = 0; j < n; j++) {
            weights[j] /= sum;
        }
    }

    double[][] wq() {
        return wq;
    }

    double[][] wk() {
        return wk;
    }

    double[][] wv() {
        return wv;
    }

    double[][] wo() {
        return wo;
    }

    @Override
    public String toString() {
        return "FrozenTransformer(d = " + d + ", head size = " + s + ", " + before.size() + " FF before, "
                + after.size() + " FF after)";
    }
}
