package org.promptlimits.core;

import org.promptlimits.check.Format;
import org.promptlimits.check.Require;
import org.promptlimits.precision.BigMath;
import org.promptlimits.precision.Interval;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Arrays;
import java.util.List;

/**
 * A transformer evaluated in interval arithmetic from its stored weights: every output entry is an
 * {@link Interval} that provably contains the exact real value of τ_P(X) for the stored (exact decimal)
 * weights. theory §8.3.
 *
 * <p>This path shares no rounding with {@link Transformer#tau(BigDecimal[][], BigDecimal[][], MathContext)}:
 * that one rounds to nearest at the construction's precision, so re-running it repeats its errors exactly;
 * here every operation rounds outward, so the enclosure's width is an honest bound on everything rounding can
 * have done. Feed-forward pre-activations and outputs are accumulated exactly (products and sums of interval
 * ends) and rounded outward once; a unit active on the whole input box is affine there, so all active units of a
 * layer are folded into one exact linear map of the token before the box is applied (without this, the two ReLUs of
 * a steep bump would each add slope × width, and 64 bump layers would widen an enclosure by 10^2886). Attention
 * uses {@link Interval#softmax}. An exact sum of ends that would exceed 8p + 10,000 digits (an entry of 10^{−10^8}
 * beside one of 1) is rounded outward at that length instead; the folded map refuses weights whose exact sums would
 * exceed {@link #FOLD_DIGITS} digits.
 */
public final class IntervalForward {

    private IntervalForward() {
    }

    /**
     * Enclosure of τ_P(X) = τ([P, X] + E)[:, Lp+1 .. n] for exact P and X.
     *
     * @param model  the transformer; its layers' stored weights are used. Not modified.
     * @param prompt P, d×Lp. Not modified.
     * @param x      X, d×L, L ≥ 1. Not modified.
     * @param mc     precision of the interval ends (digits)
     * @return d×L enclosures
     */
    public static Interval[][] tau(Transformer model, BigDecimal[][] prompt, BigDecimal[][] x, MathContext mc) {
        Require.notNull("model", model);
        int d = model.dimension();
        int lp = Tokens.requireShape("P", prompt, d);
        int len = Tokens.requireShape("X", x, d);
        Require.positive("L (columns of X)", len);
        Require.notNull("mc", mc);
        Interval[][] z = points(PositionalEncoding.add(Tokens.concat(prompt, x)));
        List<Layer> layers = model.layers();
        int last = -1;
        for (int j = layers.size() - 1; j >= 0; j--) {
            if (!layers.get(j).tokenwise()) {
                last = j;
                break;
            }
        }
        for (int j = 0; j < last; j++) {
            z = layer(layers.get(j), z, mc, 0);
        }
        z = last < 0 ? columns(z, lp) : layer(layers.get(last), z, mc, lp);
        for (int j = last + 1; j < layers.size(); j++) {
            z = layer(layers.get(j), z, mc, 0);
        }
        return z;
    }

    /** Whether every layer of {@code model} has an interval evaluation (feed-forward and attention layers do). */
    public static boolean supports(Transformer model) {
        Require.notNull("model", model);
        for (Layer layer : model.layers()) {
            if (!(layer instanceof FeedForward) && !(layer instanceof AttentionLayer)) {
                return false;
            }
        }
        return true;
    }

    /** The enclosure of one layer's output columns from .. n−1. */
    static Interval[][] layer(Layer layer, Interval[][] z, MathContext mc, int from) {
        if (layer instanceof FeedForward ff) {
            return feedForward(ff, columns(z, from), mc);
        }
        if (layer instanceof AttentionLayer a) {
            int n = z[0].length;
            int[] cols = new int[n - from];
            for (int j = 0; j < cols.length; j++) {
                cols[j] = from + j;
            }
            return attention(a.attention(), z, mc, cols);
        }
        throw new IllegalArgumentException("layer (" + layer.kind() + ") has no interval evaluation; "
                + "only feed-forward and attention layers are supported");
    }

    /** FF(Z) = Z + W_2 ReLU(W_1 Z + b_1) + b_2 on interval tokens, each entry accumulated exactly, rounded outward once. */
    public static Interval[][] feedForward(FeedForward ff, Interval[][] z, MathContext mc) {
        Require.notNull("ff", ff);
        requireEntries("z", z);
        BigDecimal[][] w1 = ff.w1();
        BigDecimal[] b1 = ff.b1();
        BigDecimal[][] w2 = ff.w2();
        BigDecimal[] b2 = ff.b2();
        int d = ff.dimension();
        Require.that(z.length == d, "Z has " + z.length + " rows but d = " + d + " (tokens are columns)");
        int n = z[0].length;
        int w = ff.width();
        Interval[][] out = new Interval[d][n];
        Interval[] h = new Interval[w];
        boolean[] active = new boolean[w];
        for (int col = 0; col < n; col++) {
            for (int m = 0; m < w; m++) {
                Interval pre = dot(b1[m], b1[m], w1[m], z, col, mc);
                active[m] = pre.lo().signum() >= 0;
                h[m] = pre.relu();
            }
            for (int i = 0; i < d; i++) {
                // units active on the whole box are affine there: their terms are folded into one exact linear map of
                // the token (so the two ReLUs of a bump, both active, cancel instead of adding their widths);
                // inactive units give 0; units whose pre-activation straddles 0 enter as interval ReLUs
                BigDecimal constant = b2[i];
                BigDecimal[] coef = new BigDecimal[d];
                Arrays.fill(coef, BigDecimal.ZERO);
                coef[i] = BigDecimal.ONE;
                BigDecimal lo = BigDecimal.ZERO, hi = BigDecimal.ZERO;
                for (int m = 0; m < w; m++) {
                    BigDecimal a = w2[i][m];
                    if (a.signum() == 0 || h[m].hi().signum() == 0) {
                        continue;
                    }
                    if (active[m]) {
                        constant = folded(constant, a.multiply(b1[m]), "w2[" + i + "][" + m + "]·b1[" + m + "]");
                        for (int k = 0; k < d; k++) {
                            coef[k] = folded(coef[k], a.multiply(w1[m][k]), "w2[" + i + "][" + m + "]·w1[" + m + "][" + k + "]");
                        }
                    } else if (a.signum() > 0) {
                        lo = down(lo, a.multiply(h[m].lo()), mc);
                        hi = up(hi, a.multiply(h[m].hi()), mc);
                    } else {
                        lo = down(lo, a.multiply(h[m].hi()), mc);
                        hi = up(hi, a.multiply(h[m].lo()), mc);
                    }
                }
                out[i][col] = dot(down(lo, constant, mc), up(hi, constant, mc), coef, z, col, mc);
            }
        }
        return out;
    }

    /**
     * The output columns {@code cols} of SA(Z) = Z + W_O W_V Z softmax((W_K Z)ᵀ W_Q Z) on interval tokens.
     *
     * @param cols query columns in [0, n). Not modified.
     */
    public static Interval[][] attention(SelfAttention sa, Interval[][] z, MathContext mc, int... cols) {
        return attention(sa, z, mc, false, cols);
    }

    /**
     * {@link #attention} with the softmax weights to p absolute digits ({@link Interval#softmaxAbsolute}) and the
     * value sum z + W_O Σ_k W_V z_k σ_k accumulated exactly, each output entry rounded outward once. The weights' error
     * of a few units of 10^{−p} costs |v|·10^{−p} per term, what the p-digit rounding of the largest term (σ ≥ 1/n)
     * costs in {@link #attention}. For outputs compared to an absolute resolution (Lemma 2.2's separations against δ);
     * the enclosures hold the exact outputs as {@link #attention}'s do.
     *
     * @param cols query columns in [0, n). Not modified.
     */
    public static Interval[][] attentionToAbsoluteDigits(SelfAttention sa, Interval[][] z, MathContext mc, int... cols) {
        return attention(sa, z, mc, true, cols);
    }

    private static Interval[][] attention(SelfAttention sa, Interval[][] z, MathContext mc, boolean absolute, int... cols) {
        Require.notNull("sa", sa);
        requireEntries("z", z);
        BigDecimal[][] wO = sa.wOExact(), wV = sa.wVExact(), wK = sa.wKExact(), wQ = sa.wQExact();
        int d = sa.d(), s = sa.headSize();
        Require.that(z.length == d, "Z has " + z.length + " rows but d = " + d + " (tokens are columns)");
        int n = z[0].length;
        Interval[][] kz = product(wK, z, mc);
        Interval[][] vz = product(wV, z, mc);
        Interval[][] out = new Interval[d][cols.length];
        for (int l = 0; l < cols.length; l++) {
            int q = cols[l];
            Require.inRange("column", q, 0, n - 1);
            Interval[] qz = new Interval[s];
            for (int r = 0; r < s; r++) {
                qz[r] = dot(wQ[r], z, q, mc);
            }
            Interval[] scores = new Interval[n];
            for (int k = 0; k < n; k++) {
                Interval sum = Interval.point(BigDecimal.ZERO);
                for (int r = 0; r < s; r++) {
                    sum = sum.add(kz[r][k].multiply(qz[r], mc), mc);
                }
                scores[k] = sum;
            }
            if (absolute) {
                absoluteOutputs(Interval.softmaxAbsolute(scores, mc), vz, wO, z, q, l, out, mc);
                continue;
            }
            Interval[] sigma = Interval.softmax(scores, mc);
            for (int r = 0; r < d; r++) {
                out[r][l] = z[r][q];
            }
            for (int i = 0; i < s; i++) {
                Interval head = Interval.point(BigDecimal.ZERO);
                for (int k = 0; k < n; k++) {
                    head = head.add(vz[i][k].multiply(sigma[k], mc), mc);
                }
                for (int r = 0; r < d; r++) {
                    if (wO[r][i].signum() != 0) {
                        out[r][l] = out[r][l].add(head.multiply(wO[r][i], mc), mc);
                    }
                }
            }
        }
        return out;
    }

    /**
     * out[:, l] = z[:, q] + W_O Σ_k vz[:, k] σ_k with every product and sum exact and each output entry rounded outward
     * once (σ_k ≥ 0, so each product's ends are two of the four end products, chosen by the sign of vz): the weights of
     * {@link Interval#softmaxAbsolute} carry at most p + 3 digits at one scale, so the exact sums stay within a few
     * digits of p + (the digits of v and W_O), and the many p-digit roundings of the head become one per entry.
     */
    private static void absoluteOutputs(Interval[] sigma, Interval[][] vz, BigDecimal[][] wO, Interval[][] z, int q, int l,
                                        Interval[][] out, MathContext mc) {
        int d = out.length;
        BigDecimal[] lo = new BigDecimal[d];
        BigDecimal[] hi = new BigDecimal[d];
        for (int r = 0; r < d; r++) {
            lo[r] = z[r][q].lo();
            hi[r] = z[r][q].hi();
        }
        for (int i = 0; i < vz.length; i++) {
            BigDecimal headLo = BigDecimal.ZERO, headHi = BigDecimal.ZERO;
            for (int k = 0; k < sigma.length; k++) {
                Interval v = vz[i][k];
                // σ ⊂ [0, 1]: v σ is increasing in σ when v ≥ 0 and decreasing when v ≤ 0
                headLo = down(headLo, v.lo().multiply(v.lo().signum() >= 0 ? sigma[k].lo() : sigma[k].hi()), mc);
                headHi = up(headHi, v.hi().multiply(v.hi().signum() >= 0 ? sigma[k].hi() : sigma[k].lo()), mc);
            }
            for (int r = 0; r < d; r++) {
                BigDecimal a = wO[r][i];
                if (a.signum() > 0) {
                    lo[r] = down(lo[r], a.multiply(headLo), mc);
                    hi[r] = up(hi[r], a.multiply(headHi), mc);
                } else if (a.signum() < 0) {
                    lo[r] = down(lo[r], a.multiply(headHi), mc);
                    hi[r] = up(hi[r], a.multiply(headLo), mc);
                }
            }
        }
        for (int r = 0; r < d; r++) {
            out[r][l] = Interval.of(lo[r], hi[r]).round(mc);
        }
    }

    private static Interval[][] product(BigDecimal[][] w, Interval[][] z, MathContext mc) {
        int n = z[0].length;
        Interval[][] out = new Interval[w.length][n];
        for (int r = 0; r < w.length; r++) {
            for (int k = 0; k < n; k++) {
                out[r][k] = dot(w[r], z, k, mc);
            }
        }
        return out;
    }

    /** Σ_i row_i z[i][col], accumulated exactly and rounded outward once. */
    private static Interval dot(BigDecimal[] row, Interval[][] z, int col, MathContext mc) {
        return dot(BigDecimal.ZERO, BigDecimal.ZERO, row, z, col, mc);
    }

    /** [lo, hi] + Σ_i row_i z[i][col], accumulated exactly and rounded outward once. */
    private static Interval dot(BigDecimal lo, BigDecimal hi, BigDecimal[] row, Interval[][] z, int col, MathContext mc) {
        for (int i = 0; i < row.length; i++) {
            BigDecimal a = row[i];
            if (a.signum() > 0) {
                lo = down(lo, a.multiply(z[i][col].lo()), mc);
                hi = up(hi, a.multiply(z[i][col].hi()), mc);
            } else if (a.signum() < 0) {
                lo = down(lo, a.multiply(z[i][col].hi()), mc);
                hi = up(hi, a.multiply(z[i][col].lo()), mc);
            }
        }
        return Interval.around(lo, mc).hull(Interval.around(hi, mc));
    }

    /**
     * Digits an exact sum of the ends may take before it is rounded: 8p + 10,000. The exact sums of this class have
     * about p plus the weights' digits; one with terms of very different scales (an entry of 10^{−10^8} beside one of
     * 1) would have 10^8, and is rounded instead.
     */
    private static long exactDigits(MathContext mc) {
        return 8L * mc.getPrecision() + 10_000;
    }

    /** sum + term for a lower end: exact while the exact sum fits {@link #exactDigits}, else rounded down to that many digits. */
    private static BigDecimal down(BigDecimal sum, BigDecimal term, MathContext mc) {
        return accumulate(sum, term, mc, RoundingMode.FLOOR);
    }

    /** sum + term for an upper end: exact, or rounded up as in {@link #down}. */
    private static BigDecimal up(BigDecimal sum, BigDecimal term, MathContext mc) {
        return accumulate(sum, term, mc, RoundingMode.CEILING);
    }

    /** Most digits an exact sum of the folded linear map of {@link #feedForward} may take. */
    public static final long FOLD_DIGITS = 1_000_000;

    /**
     * sum + term exactly, for the folded linear map (which must stay exact for a bump's two units to cancel), refused
     * when it would exceed {@link #FOLD_DIGITS} digits: stored weights of very different scales.
     */
    private static BigDecimal folded(BigDecimal sum, BigDecimal term, String what) {
        long digits = sumDigits(sum, term);
        if (digits > FOLD_DIGITS) {
            throw new IllegalArgumentException(what + " (" + Format.number(term) + ") added to "
                    + Format.number(sum) + " needs about " + digits + " digits exactly, above "
                    + FOLD_DIGITS + ": the feed-forward layer's weights must not span more decimal orders than that");
        }
        return sum.add(term);
    }

    /**
     * A bound on the digits of the exact sum a + b: aligned at the larger scale S it has at most max(high) + S + 1 digits,
     * high(v) = digits(u) − scale the digits of v before the point (negative for small v), digits(u) ≤ ⌊bitLength·log10 2⌋
     * + 1: from the bit lengths and scales alone, without counting digits.
     */
    private static long sumDigits(BigDecimal a, BigDecimal b) {
        return Math.max(high(a), high(b)) + Math.max(a.scale(), b.scale()) + 1;
    }

    private static long high(BigDecimal v) {
        return (long) (v.unscaledValue().bitLength() * 0.30102999566398120) + 1 - v.scale();
    }

    private static BigDecimal accumulate(BigDecimal sum, BigDecimal term, MathContext mc, RoundingMode mode) {
        long digits = sumDigits(sum, term);
        long limit = exactDigits(mc);
        if (digits <= limit) {
            return BigMath.add(sum, term);
        }
        return sum.add(term, new MathContext((int) Math.min(limit, Integer.MAX_VALUE), mode));
    }

    /** z, its rows and entries are non-null, and z has at least one row. */
    private static void requireEntries(String name, Interval[][] z) {
        Require.noNullElements(name, z);
        Require.that(z.length > 0, name + " (0 rows) must have at least one row");
        for (int i = 0; i < z.length; i++) {
            Require.noNullElements(name + "[" + i + "]", z[i]);
        }
    }

    /** Point intervals of an exact matrix. */
    public static Interval[][] points(BigDecimal[][] z) {
        Matrices.requireMatrix("z", z);
        Interval[][] out = new Interval[z.length][z[0].length];
        for (int i = 0; i < z.length; i++) {
            for (int j = 0; j < z[i].length; j++) {
                out[i][j] = Interval.point(z[i][j]);
            }
        }
        return out;
    }

    private static Interval[][] columns(Interval[][] z, int from) {
        Interval[][] out = new Interval[z.length][];
        for (int i = 0; i < z.length; i++) {
            out[i] = Arrays.copyOfRange(z[i], from, z[i].length);
        }
        return out;
    }

    /** max over entries of |enclosure − want|, as an interval: [largest lower distance, largest upper distance]. */
    public static Interval maxAbsDifference(Interval[][] got, BigDecimal[][] want, MathContext mc) {
        requireEntries("got", got);
        Require.notNull("want", want);
        Require.that(want.length == got.length, "want has " + want.length + " rows but got has " + got.length);
        for (int i = 0; i < got.length; i++) {
            Require.noNullElements("want[" + i + "]", want[i]);
            Require.that(want[i].length == got[i].length, "want[" + i + "] has " + want[i].length
                    + " entries but got[" + i + "] has " + got[i].length);
        }
        Interval worst = Interval.point(BigDecimal.ZERO);
        for (int i = 0; i < got.length; i++) {
            for (int j = 0; j < got[i].length; j++) {
                worst = worst.max(got[i][j].subtract(Interval.point(want[i][j]), mc).abs());
            }
        }
        return worst;
    }
}
