package org.promptlimits.quantize;

import org.promptlimits.check.Check;
import org.promptlimits.check.Format;
import org.promptlimits.check.Relation;
import org.promptlimits.check.Require;
import org.promptlimits.core.FeedForward;
import org.promptlimits.core.IntervalForward;
import org.promptlimits.precision.Budget;
import org.promptlimits.precision.Interval;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleConsumer;
import java.util.random.RandomGenerator;

/**
 * The staircase quantizer {@code q(t) = t_0 + δ Σ_j [ReLU((t − t_j)/η + 1) − ReLU((t − t_j)/η)]} on
 * {@code [lo, hi)}, per coordinate, as one residual ReLU feed-forward layer. theory §4 [C].
 *
 * <p>Levels are {@code t_0 = lo} and steps {@code t_j = lo + jδ}, j = 1 .. (hi−lo)/δ − 1. Each bracket is 0
 * below {@code t_j − η}, 1 from t_j on, so q(t) = lo + ⌊(t − lo)/δ⌋δ exactly outside the slabs
 * {@code [t_j − η, t_j)} (and q clamps to [lo, hi − δ]). The residual t is cancelled with the units
 * {@code −ReLU(t) + ReLU(−t)}. Width {@code d·2(hi−lo)/δ}.
 *
 * <p>{@link #deepLayers()} gives the same map as (hi−lo)/δ layers of constant width 3d (Theorem 2.3):
 * layer j sends {@code [t_j, t_j + δ − η]} to t_j with
 * {@code −ReLU(t − t_j) + (δ/η) ReLU(t − t_j − δ + η) − (δ/η − 1) ReLU(t − t_j − δ)} and is the identity
 * elsewhere. Immutable.
 */
public final class StaircaseQuantizer {

    /** Bytes of a small BigDecimal weight with its reference, for size estimates. */
    private static final long BIG_DECIMAL_BYTES = 48;

    private final int d;
    private final int k;
    private final int lo;
    private final int hi;
    private final BigDecimal eta;
    private final MathContext mc;
    /** (hi − lo)·k − 1, the number of steps per coordinate (checked to fit an int). */
    private final int stepCount;
    private final Budget budget;

    private StaircaseQuantizer(int d, int k, int lo, int hi, BigDecimal eta, MathContext mc, Budget budget) {
        this.d = Require.positive("d", d);
        this.k = Require.positive("k = 1/delta", k);
        Require.that(hi > lo, "hi (" + hi + ") must be > lo (" + lo + ")");
        this.lo = lo;
        this.hi = hi;
        // (hi − lo) < 2^32 and k < 2^31, so the product is exact in a long
        long levels = ((long) hi - lo) * k;
        Require.that(levels <= Integer.MAX_VALUE, "(hi − lo)·k ((" + hi + " − " + lo + ")·" + k + " = " + levels
                + " levels per coordinate) must be below 2^31; narrow [lo, hi) or lower k");
        this.stepCount = (int) levels - 1;
        Require.positive("eta", eta);
        Require.that(eta.compareTo(BigDecimal.ONE.divide(BigDecimal.valueOf(k), MathContext.DECIMAL64)) < 0,
                "eta (" + eta + ") must be < delta = 1/k = 1/" + k);
        this.eta = eta;
        this.mc = Require.precision("mc", mc);
        this.budget = Require.notNull("budget", budget);
    }

    /**
     * The quantizer with k = 1/δ steps per unit on [lo, hi), slab width η, weights rounded to {@code mc}.
     *
     * @param d   token dimension
     * @param k   1/δ ≥ 1
     * @param lo  lowest level (an integer)
     * @param hi  top of the range, &gt; lo
     * @param eta slab width in (0, δ); exact in base 10 (10^{-j}) keeps the weights exact
     * @param mc  precision of the weights; pre-activations reach (hi − lo)/η, so it must carry
     *            {@code log10((hi−lo)/η) + 1} digits or more (checked)
     * @return the quantizer within {@link Budget#DEFAULT} (see {@link #withBudget})
     * @throws IllegalArgumentException on a bad parameter or a precision too small for η
     */
    public static StaircaseQuantizer of(int d, int k, int lo, int hi, BigDecimal eta, MathContext mc) {
        Require.precision("mc", mc);
        StaircaseQuantizer q = new StaircaseQuantizer(d, k, lo, hi, eta, mc, Budget.DEFAULT);
        double need = Math.log10(Math.max(Math.abs(hi), Math.abs(lo)) + 1.0) - log10(eta) + 1;
        Require.that(mc.getPrecision() > need, "mc precision (" + mc.getPrecision() + ") must exceed log10((|hi|+1)/eta) + 1 = "
                + Math.ceil(need) + "; raise the precision or increase eta");
        return q;
    }

    /**
     * This quantizer within {@code b}: its layers' weights are held to {@link Budget#maxBytes()} and the samples of
     * its exactness checks to {@link Budget#maxSeconds()} (e.g. {@code withBudget(Budget.DEFAULT.withMaxSeconds(600))}
     * for millions of samples).
     */
    public StaircaseQuantizer withBudget(Budget b) {
        return new StaircaseQuantizer(d, k, lo, hi, eta, mc, b);
    }

    /** The largest power of ten {@code 10^{−j}} ≤ {@code bound}. */
    public static BigDecimal powerOfTenAtMost(double bound) {
        Require.positive("bound", bound);
        int j = (int) Math.ceil(-Math.log10(bound) - 1e-12);
        BigDecimal eta = BigDecimal.ONE.scaleByPowerOfTen(-j);
        if (eta.doubleValue() > bound) {
            eta = eta.scaleByPowerOfTen(-1);
        }
        return eta;
    }

    private static double log10(BigDecimal x) {
        return Format.log10(x);
    }

    public int d() {
        return d;
    }

    /** k = 1/δ. */
    public int steps() {
        return k;
    }

    public int lo() {
        return lo;
    }

    public int hi() {
        return hi;
    }

    public BigDecimal eta() {
        return eta;
    }

    /** Number of steps per coordinate, (hi − lo)·k − 1. */
    public int stepCount() {
        return stepCount;
    }

    private BigDecimal delta() {
        return BigDecimal.ONE.divide(BigDecimal.valueOf(k), mc);
    }

    /** Step j (1-based): lo + j/k, rounded to the working precision. */
    private BigDecimal step(int j) {
        return BigDecimal.valueOf(lo).add(BigDecimal.valueOf(j).divide(BigDecimal.valueOf(k), mc), mc);
    }

    /** The quantizer as one residual ReLU FF layer of width {@code d·2(hi−lo)k}. */
    public FeedForward layer() {
        long perCoordinate = 2L * stepCount + 2;
        // W1 (w×d) and W2 (d×w), w = d·perCoordinate, about 48 bytes per BigDecimal entry
        budget.requireArray("staircase layer weights W1 and W2 (2·d·(2(hi − lo)k)·d BigDecimals)",
                BIG_DECIMAL_BYTES, Budget.orLarger("lower k, narrow [lo, hi) or lower d", "maxBytes"), 2, d,
                perCoordinate, d);
        int perCoord = (int) perCoordinate;
        int w = d * perCoord;
        BigDecimal invEta = BigDecimal.ONE.divide(eta, mc);
        BigDecimal delta = delta();
        BigDecimal[][] w1 = zeros(w, d);
        BigDecimal[] b1 = new BigDecimal[w];
        BigDecimal[][] w2 = zeros(d, w);
        BigDecimal[] b2 = new BigDecimal[d];
        for (int i = 0; i < d; i++) {
            int base = i * perCoord;
            for (int j = 1; j <= stepCount(); j++) {
                int a = base + 2 * (j - 1);
                BigDecimal shift = step(j).multiply(invEta, mc).negate();
                w1[a][i] = invEta;
                b1[a] = shift.add(BigDecimal.ONE, mc);
                w2[i][a] = delta;
                w1[a + 1][i] = invEta;
                b1[a + 1] = shift;
                w2[i][a + 1] = delta.negate();
            }
            int c = base + 2 * stepCount();
            w1[c][i] = BigDecimal.ONE;
            b1[c] = BigDecimal.ZERO;
            w2[i][c] = BigDecimal.ONE.negate();
            w1[c + 1][i] = BigDecimal.ONE.negate();
            b1[c + 1] = BigDecimal.ZERO;
            w2[i][c + 1] = BigDecimal.ONE;
            b2[i] = BigDecimal.valueOf(lo);
        }
        return FeedForward.of("staircase δ=1/" + k + " on [" + lo + "," + hi + ")", w1, b1, w2, b2);
    }

    /**
     * The quantizer as (hi − lo)·k residual layers of width 3d (the deep, narrow form of Theorem 2.3). Equal to
     * {@link #layer()} on [lo, hi) outside the slabs; unlike it, it leaves values outside [lo, hi) unchanged.
     */
    public List<FeedForward> deepLayers() {
        // (hi − lo)·k layers, each W1 (3d×d) and W2 (d×3d), about 48 bytes per BigDecimal entry
        budget.requireArray("deep staircase weights ((hi − lo)·k layers of 2·3d·d BigDecimals)",
                BIG_DECIMAL_BYTES, Budget.orLarger("lower k, narrow [lo, hi) or lower d", "maxBytes"),
                stepCount + 1L, 6, d, d);
        BigDecimal delta = delta();
        BigDecimal ratio = delta.divide(eta, mc);
        List<FeedForward> layers = new ArrayList<>();
        for (int j = 0; j <= stepCount(); j++) {
            BigDecimal left = j == 0 ? BigDecimal.valueOf(lo) : step(j);
            BigDecimal right = j == stepCount() ? BigDecimal.valueOf(hi) : step(j + 1);
            BigDecimal[][] w1 = zeros(3 * d, d);
            BigDecimal[] b1 = new BigDecimal[3 * d];
            BigDecimal[][] w2 = zeros(d, 3 * d);
            BigDecimal[] b2 = new BigDecimal[d];
            for (int i = 0; i < d; i++) {
                int u = 3 * i;
                w1[u][i] = BigDecimal.ONE;
                b1[u] = left.negate();
                w2[i][u] = BigDecimal.ONE.negate();
                w1[u + 1][i] = BigDecimal.ONE;
                b1[u + 1] = right.subtract(eta, mc).negate();
                w2[i][u + 1] = ratio;
                w1[u + 2][i] = BigDecimal.ONE;
                b1[u + 2] = right.negate();
                w2[i][u + 2] = ratio.subtract(BigDecimal.ONE, mc).negate();
                b2[i] = BigDecimal.ZERO;
            }
            layers.add(FeedForward.of("snap [" + left.round(MathContext.DECIMAL32) + ", +δ)", w1, b1, w2, b2));
        }
        return layers;
    }

    /** The reference value {@code lo + ⌊(t − lo)/δ⌋δ}, clamped to [lo, hi − δ]. */
    public double reference(double t) {
        Require.finite("t", t);
        double j = Math.floor((t - lo) * k);
        j = Math.max(0, Math.min(j, stepCount));
        return lo + j / k;
    }

    /** The reference value in exact arithmetic (δ rounded to {@code mc}); t is taken exactly. */
    public BigDecimal reference(BigDecimal t) {
        Require.notNull("t", t);
        BigDecimal j = t.subtract(BigDecimal.valueOf(lo)).multiply(BigDecimal.valueOf(k)).setScale(0, RoundingMode.FLOOR);
        // clamp before converting: the index of a t far outside [lo, hi) does not fit a long
        long jj = j.max(BigDecimal.ZERO).min(BigDecimal.valueOf(stepCount)).longValueExact();
        return BigDecimal.valueOf(lo).add(BigDecimal.valueOf(jj).divide(BigDecimal.valueOf(k), mc), mc);
    }

    /** Whether t lies in a slab {@code [t_j − η, t_j)} where the layer is not exact. */
    public boolean inSlab(double t) {
        Require.finite("t", t);
        BigDecimal x = new BigDecimal(t);
        BigDecimal next = reference(x.add(eta)); // the level just above t if a step lies in (t, t + η]
        return t >= lo && t < hi && next.compareTo(reference(x)) != 0;
    }

    /**
     * The check "q is exact outside its slabs": the largest |layer(t) − ⌊(t − lo)/δ⌋δ − lo| over uniform t in
     * [lo, hi) outside the slabs, in BigDecimal at this quantizer's precision (bound 10^{−(P−10)}) and,
     * separately, in double ({@link #doubleExactnessCheck}).
     *
     * @param samples number of points t ≥ 1, held to this quantizer's budget ({@link #withBudget})
     * @param seed    random seed
     * @throws IllegalArgumentException when the samples at their measured cost would take longer than the budget's
     *                                  maxSeconds (decided after maxSeconds / {@link Budget#TRUST_FRACTION})
     */
    public Check exactnessCheck(String id, int samples, long seed) {
        Require.positive("samples", samples);
        FeedForward layer = layer();
        // the stored weights evaluated in interval arithmetic 10 digits beyond P, so that the enclosure's width
        // (rounding amplified by the slopes 1/η) stays below the allowance 10^{−(P−10)} it is compared with
        MathContext wide = new MathContext(mc.getPrecision() + 10);
        Interval[] worst = {Interval.point(BigDecimal.ZERO)};
        int used = forEachPointOutsideSlabs("staircase exactness check", samples, seed, t -> {
            BigDecimal[][] z = new BigDecimal[d][1];
            BigDecimal[][] want = new BigDecimal[d][1];
            for (int i = 0; i < d; i++) {
                z[i][0] = new BigDecimal(t);
                want[i][0] = reference(z[i][0]);
            }
            Interval[][] out = IntervalForward.feedForward(layer, IntervalForward.points(z), wide);
            worst[0] = worst[0].max(IntervalForward.maxAbsDifference(out, want, wide));
        });
        return Check.certified(id, "staircase layer = ⌊t/δ⌋δ outside slabs of width η (BigDecimal)",
                "theory §4.3 [C]", worst[0].lo(), worst[0].hi(), Relation.AT_MOST,
                BigDecimal.ONE.scaleByPowerOfTen(-(mc.getPrecision() - 10)),
                used + " uniform t in [" + lo + ", " + hi + ") outside slabs, seed " + seed + ", P = " + mc.getPrecision()
                        + ", stored weights in interval arithmetic at " + wide.getPrecision() + " digits, η = "
                        + eta.toPlainString());
    }

    /** As {@link #exactnessCheck} in double arithmetic, against the bound 10^{−6} (rounding of t/η). */
    public Check doubleExactnessCheck(String id, int samples, long seed) {
        Require.positive("samples", samples);
        FeedForward layer = layer();
        double[] worst = {0};
        int used = forEachPointOutsideSlabs("staircase exactness check (double)", samples, seed, t -> {
            double[][] z = new double[d][1];
            for (int i = 0; i < d; i++) {
                z[i][0] = t;
            }
            double[][] out = layer.apply(z);
            for (int i = 0; i < d; i++) {
                worst[0] = Math.max(worst[0], Math.abs(out[i][0] - reference(t)));
            }
        });
        return Check.of(id, "staircase layer = ⌊t/δ⌋δ outside slabs (double)", "theory §4 [C]",
                worst[0], Relation.AT_MOST, 1e-6,
                used + " uniform t, seed " + seed + ", double, η = " + eta.toPlainString());
    }

    /**
     * Runs {@code check} on each of {@code samples} uniform draws t in [lo, hi) (seeded) that falls outside every
     * slab, draws and checks together held to the budget's maxSeconds ({@link Budget#repetitions}); no array of
     * points is kept.
     *
     * @return how many draws fell outside the slabs
     */
    private int forEachPointOutsideSlabs(String what, int samples, long seed, DoubleConsumer check) {
        RandomGenerator rnd = new SplittableRandom(seed);
        int used = 0;
        Budget.Repetitions guard = budget.repetitions(what, samples, "samples");
        for (int s = 0; s < samples; s++) {
            guard.before(s);
            double t = lo + (hi - lo) * rnd.nextDouble();
            if (!inSlab(t)) {
                check.accept(t);
                used++;
            }
        }
        return used;
    }

    /** The layer evaluated in double on a row of points t (d = 1 view, for plots). */
    public double[] applyTo(double[] ts) {
        Require.allFinite("ts", ts);
        FeedForward layer = layer();
        double[] out = new double[ts.length];
        for (int j = 0; j < ts.length; j++) {
            double[][] z = new double[d][1];
            for (int i = 0; i < d; i++) {
                z[i][0] = ts[j];
            }
            out[j] = layer.apply(z)[0][0];
        }
        return out;
    }

    private static BigDecimal[][] zeros(int rows, int cols) {
        BigDecimal[][] z = new BigDecimal[rows][cols];
        for (BigDecimal[] r : z) {
            Arrays.fill(r, BigDecimal.ZERO);
        }
        return z;
    }

    @Override
    public String toString() {
        return "StaircaseQuantizer[d=" + d + ", delta=1/" + k + ", [" + lo + "," + hi + "), eta=" + eta + "]";
    }
}
