package org.promptlimits.memorization;

import org.promptlimits.check.Require;
import org.promptlimits.core.AttentionLayer;
import org.promptlimits.core.FeedForward;
import org.promptlimits.core.Layer;
import org.promptlimits.core.Matrices;
import org.promptlimits.core.PositionalEncoding;
import org.promptlimits.core.SelfAttention;
import org.promptlimits.core.Tokens;
import org.promptlimits.core.Transformer;
import org.promptlimits.precision.Budget;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * A frozen one-layer single-head transformer with residual ReLU feed-forward layers,
 * {@code τ = FF_after ∘ SA ∘ FF_before}, where
 * {@code SA(Z) = Z + W_O W_V Z · softmax_col((W_K Z)^T (W_Q Z))}, applied to {@code [P, X] + E} with
 * {@code E[:,k] = k·1_d}. theory §1, §5.
 *
 * <p>The model is the library's core transformer ({@link #asCoreTransformer()}: {@link FeedForward} and
 * {@link SelfAttention} layers), and {@link #forward} is the core double forward pass; the prompt tuner's fused
 * forward and backward pass ({@link MemorizationLoss}) uses the same layers' operations tier.
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
    private final List<FeedForward> before;
    private final List<FeedForward> after;
    private final Transformer core;

    private FrozenTransformer(double[][] wq, double[][] wk, double[][] wv, double[][] wo,
                              List<FeedForward> before, List<FeedForward> after) {
        this.s = wq.length;
        this.d = wq[0].length;
        this.wq = wq;
        this.wk = wk;
        this.wv = wv;
        this.wo = wo;
        this.before = List.copyOf(before);
        this.after = List.copyOf(after);
        List<Layer> layers = new ArrayList<>(this.before);
        layers.add(AttentionLayer.of(SelfAttention.of(wo, wv, wk, wq)));
        layers.addAll(this.after);
        this.core = Transformer.of(d, layers);
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
                                       List<FeedForward> before, List<FeedForward> after) {
        int s = Require.notNull("wq", wq).length;
        Require.that(s >= 1, "wq (0 rows) must have head size s >= 1 rows");
        int d = Require.rectangular("wq", wq);
        Require.that(d >= 1, "wq (0 columns) must have d >= 1 columns");
        Require.allFinite("wq", wq);
        shape("wk", wk, s, d);
        shape("wv", wv, s, d);
        shape("wo", wo, d, s);
        List<FeedForward> all = new ArrayList<>(Require.noNullElements("before", before));
        all.addAll(Require.noNullElements("after", after));
        for (int i = 0; i < all.size(); i++) {
            FeedForward f = Require.notNull("layer " + i, all.get(i));
            Require.that(f.dimension() == d, "feed-forward layer " + i + " has d = " + f.dimension() + " but W_Q has d = " + d);
        }
        return new FrozenTransformer(Matrices.copy("wq", wq), Matrices.copy("wk", wk), Matrices.copy("wv", wv),
                Matrices.copy("wo", wo), before, after);
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
     * {@code 1/(4√w)}, b_2 = 0 (a mild token-wise nonlinearity on the content). The draws come from
     * {@code new SplittableRandom(seed)} in that order, so a seed always gives the same model.
     *
     * @throws IllegalArgumentException unless d, s, w ≥ 1 and the layer counts are ≥ 0
     */
    public static FrozenTransformer random(int d, int headSize, int layersBefore, int layersAfter, int width, long seed) {
        Require.positive("d", d);
        Require.positive("headSize", headSize);
        Require.nonNegative("layersBefore", layersBefore);
        Require.nonNegative("layersAfter", layersAfter);
        Require.positive("width", width);
        // 4 attention matrices s×d, and per layer W_1 (w×d), W_2 (d×w): estimate before allocating
        Budget.DEFAULT.requireArray("attention weights (4·headSize·d doubles)", Double.BYTES,
                Budget.orMoreHeap("lower d or headSize"), 4, headSize, d);
        Budget.DEFAULT.requireArray("feed-forward weights (2·(layersBefore + layersAfter)·width·d doubles)",
                Double.BYTES, Budget.orMoreHeap("lower layersBefore, layersAfter, width or d"),
                2L * ((long) layersBefore + layersAfter),
                width, d);
        RandomGenerator rng = new SplittableRandom(seed);
        double sd = 1 / Math.sqrt(d);
        double[][] wq = contentOnly(gaussian(rng, headSize, d, sd));
        double[][] wk = contentOnly(gaussian(rng, headSize, d, sd));
        double[][] wv = gaussian(rng, headSize, d, sd);
        double[][] wo = gaussian(rng, d, headSize, 1 / Math.sqrt(headSize));
        List<FeedForward> before = new ArrayList<>();
        for (int i = 0; i < layersBefore; i++) {
            before.add(randomLayer(rng, d, width, "FF_before" + (i + 1)));
        }
        List<FeedForward> after = new ArrayList<>();
        for (int i = 0; i < layersAfter; i++) {
            after.add(randomLayer(rng, d, width, "FF_after" + (i + 1)));
        }
        return new FrozenTransformer(wq, wk, wv, wo, before, after);
    }

    private static FeedForward randomLayer(RandomGenerator rng, int d, int width, String label) {
        return FeedForward.of(label, contentOnly(gaussian(rng, width, d, 1 / Math.sqrt(d))),
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

    private static double[][] gaussian(RandomGenerator rng, int rows, int cols, double sd) {
        double[][] a = new double[rows][cols];
        for (double[] row : a) {
            for (int k = 0; k < cols; k++) {
                row[k] = sd * gaussian(rng);
            }
        }
        return a;
    }

    /**
     * A standard normal by Box–Muller from two uniform draws (kept rather than {@code nextGaussian()}, whose
     * algorithm differs between generators, so that seeds keep giving the same models).
     */
    static double gaussian(RandomGenerator rng) {
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
    public List<FeedForward> layersBefore() {
        return before;
    }

    /** The FF layers after attention (unmodifiable). */
    public List<FeedForward> layersAfter() {
        return after;
    }

    /** Copies of W_Q, W_K, W_V (s×d) and W_O (d×s), in that order. */
    public double[][][] attentionWeights() {
        return new double[][][] {Matrices.copy(wq), Matrices.copy(wk), Matrices.copy(wv), Matrices.copy(wo)};
    }

    /** The same network as the library's core transformer {@code FF_after ∘ SA ∘ FF_before}. */
    public Transformer asCoreTransformer() {
        return core;
    }

    /**
     * The whole output {@code τ([P, X] + E)}, d×n with n = Lp + L: the core double forward pass (every column is
     * a query). This is the reference the tuner's fused path is tested against.
     *
     * @param prompt P, d×Lp (Lp ≥ 0 columns; pass {@code new double[d][0]} for no prompt). Not modified.
     * @param x      X, d×L. Not modified.
     * @throws IllegalArgumentException on shape mismatch or a non-finite entry
     */
    public double[][] forward(double[][] prompt, double[][] x) {
        columns("prompt", prompt, true);
        columns("x", x, false);
        double[][] result;
        try {
            result = core.apply(PositionalEncoding.add(Tokens.concat(prompt, x)));
        } catch (IllegalArgumentException overflow) { // the inputs are checked finite: what is left is overflow
            throw new IllegalArgumentException("τ([P, X] + E) overflowed double: the entries of prompt or x are too"
                    + " large for the frozen weights; rescale prompt and x (" + overflow.getMessage() + ")", overflow);
        }
        for (int j = 0; j < d; j++) {
            Require.finiteResult("τ([P, X] + E)[" + j + "]", result[j],
                    "the entries of prompt or x are too large for the frozen weights (scores overflow double); rescale them");
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
