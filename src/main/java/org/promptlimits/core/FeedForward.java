package org.promptlimits.core;

import org.promptlimits.check.Require;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Token-wise residual ReLU feed-forward layer {@code FF(Z) = Z + W_2 ReLU(W_1 Z + b_1 1^T) + b_2 1^T} of
 * width w. theory §1.
 *
 * <p>{@code W_1 ∈ R^{w×d}}, {@code b_1 ∈ R^w}, {@code W_2 ∈ R^{d×w}}, {@code b_2 ∈ R^d}. The weights are kept
 * as BigDecimal (the constructions of theory §5 have slopes near e^{2r} that must not be rounded to a double)
 * and as doubles for the fast path. Zero weights are skipped, so the sparse layers of the staircase
 * quantizer cost only their non-zero entries. Immutable.
 */
public final class FeedForward implements Layer {

    private final int d;
    private final int w;
    private final BigDecimal[][] w1;
    private final BigDecimal[] b1;
    private final BigDecimal[][] w2;
    private final BigDecimal[] b2;
    private final double[][] w1d;
    private final double[] b1d;
    private final double[][] w2d;
    private final double[] b2d;
    private final String label;

    private FeedForward(String label, BigDecimal[][] w1, BigDecimal[] b1, BigDecimal[][] w2, BigDecimal[] b2) {
        this.label = label;
        Require.notNull("w1", w1);
        Require.notNull("b1", b1);
        Require.notNull("w2", w2);
        Require.notNull("b2", b2);
        this.w = w1.length;
        this.d = b2.length;
        Require.positive("d (length of b2)", d);
        if (b1.length != w) {
            throw new IllegalArgumentException("b1 has " + b1.length + " entries but W1 has w = " + w + " rows");
        }
        if (w2.length != d) {
            throw new IllegalArgumentException("W2 has " + w2.length + " rows but d = " + d);
        }
        requireRowLengths(w1, d);
        for (int i = 0; i < d; i++) {
            if (Require.notNull("W2[" + i + "]", w2[i]).length != w) {
                throw new IllegalArgumentException("W2[" + i + "] has " + w2[i].length + " columns but w = " + w);
            }
        }
        this.w1 = deep(w1, "W1");
        this.b1 = vec(b1, "b1");
        this.w2 = deep(w2, "W2");
        this.b2 = vec(b2, "b2");
        this.w1d = Matrices.toDouble("W1", this.w1);
        this.b1d = Matrices.toDouble("b1", this.b1);
        this.w2d = Matrices.toDouble("W2", this.w2);
        this.b2d = Matrices.toDouble("b2", this.b2);
    }

    private static void requireRowLengths(BigDecimal[][] w1, int d) {
        for (int m = 0; m < w1.length; m++) {
            Require.notNull("W1[" + m + "]", w1[m]);
            if (w1[m].length != d) {
                throw new IllegalArgumentException("W1[" + m + "] has " + w1[m].length + " columns but d = " + d);
            }
        }
    }

    /**
     * A layer with exact (BigDecimal) weights.
     *
     * @param label a short name shown in size reports, e.g. "FF_1 staircase"
     * @param w1    w×d. Not modified.
     * @param b1    length w. Not modified.
     * @param w2    d×w. Not modified.
     * @param b2    length d ≥ 1. Not modified.
     * @throws IllegalArgumentException on mismatched shapes or null entries
     */
    public static FeedForward of(String label, BigDecimal[][] w1, BigDecimal[] b1, BigDecimal[][] w2, BigDecimal[] b2) {
        return new FeedForward(label, w1, b1, w2, b2);
    }

    /** A layer from double weights, taken exactly ({@code new BigDecimal(double)}); all entries must be finite. */
    public static FeedForward of(String label, double[][] w1, double[] b1, double[][] w2, double[] b2) {
        Require.allFinite("W1", w1);
        Require.allFinite("b1", b1);
        Require.allFinite("W2", w2);
        Require.allFinite("b2", b2);
        return new FeedForward(label, Matrices.exact(w1), Matrices.exact(b1), Matrices.exact(w2), Matrices.exact(b2));
    }

    private static BigDecimal[][] deep(BigDecimal[][] a, String name) {
        BigDecimal[][] c = new BigDecimal[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = vec(a[i], name + "[" + i + "]");
        }
        return c;
    }

    private static BigDecimal[] vec(BigDecimal[] v, String name) {
        BigDecimal[] c = v.clone();
        for (int i = 0; i < c.length; i++) {
            Require.notNull(name + "[" + i + "]", c[i]);
        }
        return c;
    }

    @Override
    public int dimension() {
        return d;
    }

    @Override
    public int width() {
        return w;
    }

    @Override
    public String kind() {
        return "FF";
    }

    /** True: a feed-forward layer acts on each token separately. */
    @Override
    public boolean tokenwise() {
        return true;
    }

    /** The label given at construction. */
    public String label() {
        return label;
    }

    @Override
    public long parameterCount() {
        return 2L * w * d + w + d;
    }

    /** {@code FF(Z) = Z + W_2 ReLU(W_1 Z + b_1 1^T) + b_2 1^T} in double, column by column ({@link #applyToken}). */
    @Override
    public double[][] apply(double[][] z) {
        int n = Tokens.requireShape("Z", z, d);
        double[][] out = new double[d][n];
        double[] token = new double[d];
        double[] pre = new double[w];
        double[] y = new double[d];
        for (int col = 0; col < n; col++) {
            for (int i = 0; i < d; i++) {
                token[i] = z[i][col];
            }
            applyToken(token, pre, y);
            for (int i = 0; i < d; i++) {
                out[i][col] = y[i];
            }
        }
        return out;
    }

    /**
     * The operations tier: {@code FF(z) = z + b_2 + W_2 ReLU(h)} for one token, with the pre-activation
     * {@code h = W_1 z + b_1} written to {@code pre} (what back-propagation needs). No allocation.
     *
     * @param z   the token, length d. Not modified.
     * @param pre length ≥ w. Modified: the pre-activation h.
     * @param out length d, distinct from z. Modified: FF(z).
     */
    public void applyToken(double[] z, double[] pre, double[] out) {
        Require.minLength("z", z, d);
        Require.minLength("pre", pre, w);
        Require.minLength("out", out, d);
        Require.that(out != z, "out must be distinct from z");
        for (int m = 0; m < w; m++) {
            double acc = b1d[m];
            double[] row = w1d[m];
            for (int i = 0; i < d; i++) {
                if (row[i] != 0) {
                    acc += row[i] * z[i];
                }
            }
            pre[m] = acc;
        }
        for (int i = 0; i < d; i++) {
            double acc = z[i] + b2d[i];
            double[] row = w2d[i];
            for (int m = 0; m < w; m++) {
                if (pre[m] > 0) {
                    acc += row[m] * pre[m];
                }
            }
            out[i] = acc;
            if (!Double.isFinite(acc)) {
                Require.allFinite("z", z);
                Require.finiteResult("FF(z)[" + i + "]", acc, "z's entries are finite but too large for this layer's"
                        + " weights (the sums overflow double); rescale z");
            }
        }
    }

    /**
     * Back-propagation through one token: given ∂ℓ/∂FF(z) in {@code gradOut} and the pre-activation stored by
     * {@link #applyToken}, writes {@code ∂ℓ/∂z = gradOut + W_1ᵀ((W_2ᵀ gradOut) ⊙ 1[pre > 0])} into {@code gradIn}.
     *
     * @param pre     length ≥ w. Not modified.
     * @param gradOut length d. Not modified.
     * @param gradIn  length d, distinct from gradOut. Modified.
     */
    public void backwardToken(double[] pre, double[] gradOut, double[] gradIn) {
        Require.minLength("pre", pre, w);
        Require.minLength("gradOut", gradOut, d);
        Require.minLength("gradIn", gradIn, d);
        Require.that(gradIn != gradOut, "gradIn must be distinct from gradOut");
        System.arraycopy(gradOut, 0, gradIn, 0, d);
        for (int m = 0; m < w; m++) {
            if (pre[m] > 0) {
                double g = 0;
                for (int i = 0; i < d; i++) {
                    g += w2d[i][m] * gradOut[i];
                }
                double[] row = w1d[m];
                for (int i = 0; i < d; i++) {
                    gradIn[i] += row[i] * g;
                }
            }
        }
        for (int i = 0; i < d; i++) {
            if (!Double.isFinite(gradIn[i])) {
                Require.allFinite("gradOut", gradOut);
                Require.finiteResult("∂ℓ/∂z[" + i + "]", gradIn[i], "gradOut's entries are finite but too large for"
                        + " this layer's weights; rescale gradOut");
            }
        }
    }

    /**
     * {@code FF(Z)} in arbitrary precision. Each hidden pre-activation and each output entry is accumulated
     * exactly (products and sums without rounding) and rounded once to {@code mc}, which is both more accurate
     * and faster than rounding every term. z is not modified.
     */
    @Override
    public BigDecimal[][] apply(BigDecimal[][] z, MathContext mc) {
        int n = Tokens.requireShape("Z", z, d);
        Require.notNull("mc", mc);
        BigDecimal[][] out = new BigDecimal[d][n];
        BigDecimal[] h = new BigDecimal[w];
        for (int col = 0; col < n; col++) {
            for (int m = 0; m < w; m++) {
                BigDecimal s = b1[m];
                for (int i = 0; i < d; i++) {
                    BigDecimal a = w1[m][i];
                    if (a.signum() != 0) {
                        s = s.add(a.multiply(z[i][col]));
                    }
                }
                h[m] = s.signum() > 0 ? s.round(mc) : null;
            }
            for (int i = 0; i < d; i++) {
                BigDecimal s = b2[i].add(z[i][col]);
                for (int m = 0; m < w; m++) {
                    if (h[m] != null && w2[i][m].signum() != 0) {
                        s = s.add(w2[i][m].multiply(h[m]));
                    }
                }
                out[i][col] = s.round(mc);
            }
        }
        return out;
    }

    /** W_1 (w×d), a copy. */
    public BigDecimal[][] w1() {
        return deep(w1, "W1");
    }

    /** b_1 (length w), a copy. */
    public BigDecimal[] b1() {
        return b1.clone();
    }

    /** W_2 (d×w), a copy. */
    public BigDecimal[][] w2() {
        return deep(w2, "W2");
    }

    /** b_2 (length d), a copy. */
    public BigDecimal[] b2() {
        return b2.clone();
    }

    /** W1 (w×d), b1 (w×1), W2 (d×w), b2 (d×1): exact copies, in this order. */
    @Override
    public Map<String, BigDecimal[][]> weights() {
        Map<String, BigDecimal[][]> m = new LinkedHashMap<>();
        m.put("W1", w1());
        m.put("b1", column(b1()));
        m.put("W2", w2());
        m.put("b2", column(b2()));
        return Collections.unmodifiableMap(m);
    }

    private static BigDecimal[][] column(BigDecimal[] v) {
        BigDecimal[][] c = new BigDecimal[v.length][1];
        for (int i = 0; i < v.length; i++) {
            c[i][0] = v[i];
        }
        return c;
    }

    /** The largest absolute weight {@code max(|W_1|, |b_1|, |W_2|, |b_2|)}, exactly. */
    public BigDecimal maxAbsWeight() {
        BigDecimal m = BigDecimal.ZERO;
        for (BigDecimal[] r : w1) {
            for (BigDecimal x : r) {
                m = m.max(x.abs());
            }
        }
        for (BigDecimal[] r : w2) {
            for (BigDecimal x : r) {
                m = m.max(x.abs());
            }
        }
        for (BigDecimal x : b1) {
            m = m.max(x.abs());
        }
        for (BigDecimal x : b2) {
            m = m.max(x.abs());
        }
        return m;
    }

    @Override
    public String toString() {
        return "FeedForward[" + label + ", d=" + d + ", w=" + w + "]";
    }
}
