package org.promptlimits.contextual;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.promptlimits.check.Check;
import org.promptlimits.check.CheckTable;
import org.promptlimits.check.Format;
import org.promptlimits.check.Require;
import org.promptlimits.core.SelfAttention;
import org.promptlimits.precision.BigMath;
import org.promptlimits.precision.PrecisionPlan;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The rank-1 self-attention layer of Lemma 2.2 that turns tokenwise-separated sequences into a
 * (γ, δ)-contextual mapping: every output token has norm &lt; γ, and outputs differ by more than δ whenever
 * the token sets of their sequences differ or their input tokens differ. SPEC §3 [P statement, L+C constants].
 *
 * <p>Construction ({@link #construct}):
 * <ol>
 *   <li>a unit v with |vᵀ(x − x')| ≥ c0‖x − x'‖ on 𝒱 ∪ {0}, c0 = √(8/(πd))/(K+1)², found by seeded sampling
 *       (THEORY; the number of draws is reported), or the best of several draws for the smallest c (EMPIRICAL);</li>
 *   <li>the temperature c = (K+1)⁴(2 ln n + 3)πd/(8γ_min ε) (THEORY), or the smallest c making every score
 *       gap exceed 2 ln n + 3 over the read query positions, times 1 + 1e-9 (EMPIRICAL); scores
 *       a_k = c(vᵀz_k)(vᵀz_l) with |a_k| &lt; r;</li>
 *   <li>W_K = W_Q = √c e_1vᵀ, W_V = e_1vᵀ, W_O = κ u e_1ᵀ with κ = ε/(4γ_max) unless given, so that
 *       SA(Z)[:,l] = z_l + κ u · boltz(a)/(c vᵀz_l);</li>
 *   <li>γ = γ_max + κ·b_max and δ = min(ε − 2κ b_max, κ (ln n)² e^{−2r}/(c q_max)), where b_max bounds |vᵀz| over
 *       keys and q_max over read queries (both γ_max in THEORY, where δ equals SPEC §3's closed form);</li>
 *   <li>any rank r ≥ 1 by {@link #layer(int)}: rows added to W_K, W_Q, W_V and columns to W_O in disjoint blocks,
 *       leaving W_KᵀW_Q and W_OW_V, hence every output, unchanged [C].</li>
 * </ol>
 * The checks ({@link #checks()}, {@link #anyRankChecks}) measure each promise on the actual layer: THEORY in
 * BigDecimal with the precision of {@link PrecisionPlan} (δ is near 10^-1133 for d = 2, n = 2, K = 3), EMPIRICAL
 * in double when double resolves every separation, else in BigDecimal. Immutable; the outputs are computed once,
 * on first use.
 */
public final class ContextualMapping {

    /** Which constants the construction uses. */
    public enum Constants {
        /** SPEC §3 constants (c0, c, r, γ, δ as in the lemma); exact arithmetic. */
        THEORY,
        /** c from the measured score gaps over the read query positions; double where it suffices. */
        EMPIRICAL
    }

    /** Which arithmetic evaluates the layer for the checks. */
    public enum Arithmetic {
        /** THEORY: exact. EMPIRICAL: double if every separation is resolved far above rounding, else exact. */
        AUTO,
        /** double (ND4J-free plain loops); separations below about 1e-15 are rounding noise. */
        DOUBLE,
        /** BigDecimal at the planned precision. */
        EXACT
    }

    private static final String SPEC = "SPEC §3 Lemma 2.2";
    static final MathContext MC40 = new MathContext(40, RoundingMode.HALF_EVEN);
    private static final MathContext UP40 = new MathContext(40, RoundingMode.CEILING);
    private static final MathContext DOWN40 = new MathContext(40, RoundingMode.FLOOR);
    /**
     * Digits of the weights: v, u and √c are exact decimals of this many digits and c = (√c)² exactly, so the
     * layer is one exact object whatever precision evaluates it (the checks measure that object).
     */
    static final MathContext WEIGHTS = new MathContext(60, RoundingMode.HALF_EVEN);
    /** Relative margin of the empirical temperature and score bound. */
    private static final double MARGIN = 1e-9;

    private final Sequences sequences;
    private final MappingOptions options;
    private final TokenwiseSeparation.Index index;
    private final int[] read;
    private final BigDecimal gammaMin;
    private final BigDecimal gammaMax;
    private final BigDecimal epsilon;
    private final BigDecimal lnN;
    private final BigDecimal threshold;
    private final double[] vDouble;
    private final int draws;
    private final BigDecimal c0;
    private final BigDecimal sqrtC;
    private final BigDecimal c;
    private final BigDecimal r;
    private final BigDecimal kappa;
    private final BigDecimal bMax;
    private final BigDecimal qMax;
    private final BigDecimal gamma;
    private final BigDecimal delta;
    private final PrecisionPlan plan;
    private final BigDecimal[] v;
    private final BigDecimal[] u;
    private final SelfAttention layer;
    private final BitSet[] keysOf; // per read-query token id: the token ids it attends to
    private volatile Evaluation evaluation;

    private ContextualMapping(Sequences sequences, MappingOptions options) {
        this.sequences = Require.notNull("sequences", sequences);
        this.options = Require.notNull("options", options);
        this.index = TokenwiseSeparation.index(sequences);
        TokenwiseSeparation measured = index.separation();
        int n = sequences.n();
        int d = sequences.d();
        int k = measured.vocabularySize();
        Require.that(n >= 2, "n (" + n + ") must be >= 2: a contextual mapping needs ln n > 0 (SPEC §3)");
        this.read = readPositions(options.readPositions(), n);

        // separation constants: measured, or declared and checked against the measurement
        this.gammaMin = declared("gammaMin", options.gammaMin(), measured.gammaMin(), -1);
        this.gammaMax = declared("gammaMax", options.gammaMax(), measured.gammaMax(), +1);
        this.epsilon = declared("epsilon", options.epsilon(), measured.epsilon(), -1);
        Require.that(gammaMin.signum() > 0, "gamma_min (" + Format.number(gammaMin)
                + ") must be > 0: a token is the zero vector" + zeroTokenNote());
        Require.that(epsilon.signum() > 0, "epsilon (" + Format.number(epsilon)
                + ") must be > 0: the vocabulary is not separated (K = " + k + " distinct tokens)");
        this.lnN = BigMath.log(BigDecimal.valueOf(n), MC40);
        this.threshold = lnN.multiply(BigDecimal.valueOf(2)).add(BigDecimal.valueOf(3));
        this.keysOf = keysOfReadQueries();

        boolean theory = options.constants() == Constants.THEORY;
        Random random = new Random(options.seed());
        double[] chosen;
        int tried;
        if (theory) {
            BigDecimal pi = BigMath.pi(MC40);
            BigDecimal kPlus1 = BigDecimal.valueOf(k + 1L);
            this.c0 = BigMath.sqrt(BigDecimal.valueOf(8).divide(pi.multiply(BigDecimal.valueOf(d)), MC40), MC40)
                    .divide(kPlus1.pow(2), MC40);
            double need = c0.doubleValue() * (1 + 1e-6);
            chosen = null;
            tried = 0;
            while (chosen == null) {
                Require.that(tried < options.draws(), "no projection v with |vᵀ(x − x')| ≥ c0‖x − x'‖ found in draws ("
                        + options.draws() + "); raise draws");
                double[] candidate = unitGaussian(random, d);
                tried++;
                if (projectionRatio(candidate) >= need) {
                    chosen = candidate;
                }
            }
        } else {
            this.c0 = null;
            chosen = null;
            double best = Double.POSITIVE_INFINITY;
            tried = 0;
            for (int t = 0; t < options.draws(); t++) {
                double[] candidate = unitGaussian(random, d);
                tried++;
                double cost = empiricalScoreBound(candidate);
                if (cost < best) {
                    best = cost;
                    chosen = candidate;
                }
            }
            if (chosen == null) {
                throw new IllegalStateException("none of " + tried + " random projections v separates the read query"
                        + " tokens and their keys (vᵀx = 0 or equal projections); raise draws");
            }
        }
        this.vDouble = chosen;
        this.draws = tried;
        // the weights are exact decimals of WEIGHT_DIGITS digits; every check measures this very layer
        this.v = normalized(chosen, WEIGHTS);
        BigDecimal[] p40 = projections(v, MC40);

        // temperature c, score bound r, output scale κ
        if (theory) {
            BigDecimal kPlus1 = BigDecimal.valueOf(k + 1L);
            this.sqrtC = ceilingSqrt(kPlus1.pow(4).multiply(threshold).multiply(BigMath.pi(MC40)).multiply(BigDecimal.valueOf(d))
                    .divide(BigDecimal.valueOf(8).multiply(gammaMin).multiply(epsilon), UP40));
            this.c = sqrtC.multiply(sqrtC);
            this.bMax = gammaMax;
            this.qMax = gammaMax;
            this.r = c.multiply(gammaMax).multiply(gammaMax).round(UP40);
        } else {
            BigDecimal smallestGap = smallestGapProduct(p40);
            this.sqrtC = ceilingSqrt(threshold.divide(smallestGap, UP40).multiply(BigDecimal.valueOf(1 + MARGIN), UP40));
            this.c = sqrtC.multiply(sqrtC);
            this.bMax = maxAbs(p40, allKeys()).multiply(BigDecimal.valueOf(1 + MARGIN), UP40);
            this.qMax = maxAbs(p40, readQueries()).multiply(BigDecimal.valueOf(1 + MARGIN), UP40);
            this.r = c.multiply(bMax).multiply(qMax).round(UP40);
        }
        this.kappa = options.outputScale() != null ? options.outputScale()
                : epsilon.divide(gammaMax.multiply(BigDecimal.valueOf(4)), DOWN40);
        this.gamma = gammaMax.add(kappa.multiply(bMax), UP40);
        BigDecimal tokenBranch = epsilon.subtract(kappa.multiply(bMax).multiply(BigDecimal.valueOf(2)), DOWN40);
        Require.that(tokenBranch.signum() > 0, "outputScale (" + Format.number(kappa) + ") must be < ε/(2 b_max) = "
                + Format.number(epsilon.divide(bMax.multiply(BigDecimal.valueOf(2)), MC40))
                + " so that different input tokens stay apart");
        BigDecimal setBranch = kappa.multiply(lnN.pow(2)).multiply(BigMath.exp(r.multiply(BigDecimal.valueOf(-2)), MC40))
                .divide(c.multiply(qMax), DOWN40);
        this.delta = tokenBranch.min(setBranch);

        // precision: THEORY resolves δ itself; EMPIRICAL the widest range of scores of one query
        long exps = (long) sequences.size() * n * read.length;
        if (theory) {
            plan = PrecisionPlan.forResolution(Format.log10(delta), r.doubleValue() * gammaMax.doubleValue(),
                    "log10(1/δ) + log10(r·γ_max) + " + PrecisionPlan.GUARD + " guard, δ = " + Format.number(delta));
        } else {
            double range = largestScoreRange(p40);
            plan = PrecisionPlan.forResolution(-range / Math.log(10) - 10, r.doubleValue() * gammaMax.doubleValue(),
                    "largest score range of one query / ln10 (" + Format.number(range / Math.log(10))
                            + ") + 10 + log10(r·γ_max) + " + PrecisionPlan.GUARD + " guard");
        }
        if (resolvedArithmetic() == Arithmetic.EXACT) {
            plan.requireWithin(options.budget(), options.constants() + " contextual mapping (exact outputs)", exps,
                    theory ? "use EMPIRICAL constants, or fewer tokens K (c grows like (K+1)^4), or raise the budget"
                            : "use fewer tokens or sequences, or raise the budget");
        }
        this.u = options.u() == null ? v.clone() : normalized(requireDirection(options.u(), d), WEIGHTS);
        this.layer = lift(1, 1);
    }

    /**
     * Builds the layer of Lemma 2.2 for {@code sequences} (SPEC §3 steps 1–4).
     *
     * @param sequences the input sequences; every token must be non-zero and no sequence may repeat a token
     * @param options   constants, read positions, output direction and scale, seed, arithmetic, budget
     * @throws IllegalArgumentException for bad input (naming the parameter, value and rule), or when exact
     *                                  arithmetic would exceed the budget (with the estimate)
     * @throws IllegalStateException    if sampling finds no suitable v within {@code options.draws()}
     */
    public static ContextualMapping construct(Sequences sequences, MappingOptions options) {
        return new ContextualMapping(sequences, options);
    }

    /** {@link #construct(Sequences, MappingOptions)} with the default options of {@code constants}. */
    public static ContextualMapping construct(Sequences sequences, Constants constants) {
        return construct(sequences, MappingOptions.of(constants));
    }

    /** {@link #construct(Sequences, MappingOptions)} for d×n ND4J sequences (not modified). */
    public static ContextualMapping construct(List<INDArray> sequences, MappingOptions options) {
        return construct(Sequences.of(sequences), options);
    }

    /** {@link #construct(Sequences, MappingOptions)} for d×n ND4J sequences with the defaults of {@code constants}. */
    public static ContextualMapping construct(List<INDArray> sequences, Constants constants) {
        return construct(Sequences.of(sequences), MappingOptions.of(constants));
    }

    // ---------------------------------------------------------------- construction steps

    private BigDecimal declared(String name, BigDecimal declared, BigDecimal measured, int side) {
        if (declared == null) {
            return measured;
        }
        boolean ok = side < 0 ? declared.compareTo(measured) <= 0 : declared.compareTo(measured) >= 0;
        Require.that(ok, name + " (" + Format.number(declared) + ") must be " + (side < 0 ? "<=" : ">=")
                + " the measured value " + Format.number(measured) + " to describe these sequences");
        return declared;
    }

    private String zeroTokenNote() {
        for (int i = 0; i < sequences.size(); i++) {
            for (int k = 0; k < sequences.n(); k++) {
                if (Arrays.stream(sequences.token(i, k)).allMatch(x -> x == 0)) {
                    return " (sequence " + i + ", position " + k + ")";
                }
            }
        }
        return "";
    }

    private static int[] readPositions(int[] positions, int n) {
        if (positions == null) {
            int[] all = new int[n];
            Arrays.setAll(all, k -> k);
            return all;
        }
        Require.that(positions.length > 0, "readPositions (empty) must name at least one query position");
        boolean[] seen = new boolean[n];
        for (int p : positions) {
            Require.inRange("readPositions entry", p, 0, n - 1);
            Require.that(!seen[p], "readPositions entry (" + p + ") must not repeat");
            seen[p] = true;
        }
        int[] sorted = positions.clone();
        Arrays.sort(sorted);
        return sorted;
    }

    private BitSet[] keysOfReadQueries() {
        int k = index.vocabulary().length;
        BitSet[] keys = new BitSet[k];
        int[][] ids = index.tokenIds();
        for (int[] seq : ids) {
            for (int p : read) {
                int q = seq[p];
                if (keys[q] == null) {
                    keys[q] = new BitSet(k);
                }
                for (int t : seq) {
                    keys[q].set(t);
                }
            }
        }
        return keys;
    }

    private BitSet readQueries() {
        BitSet q = new BitSet();
        for (int t = 0; t < keysOf.length; t++) {
            if (keysOf[t] != null) {
                q.set(t);
            }
        }
        return q;
    }

    private BitSet allKeys() {
        BitSet all = new BitSet();
        for (BitSet keys : keysOf) {
            if (keys != null) {
                all.or(keys);
            }
        }
        return all;
    }

    private static double[] unitGaussian(Random random, int d) {
        double[] g = new double[d];
        double norm = 0;
        while (norm == 0) {
            norm = 0;
            for (int i = 0; i < d; i++) {
                g[i] = random.nextGaussian();
                norm += g[i] * g[i];
            }
        }
        norm = Math.sqrt(norm);
        for (int i = 0; i < d; i++) {
            g[i] /= norm;
        }
        return g;
    }

    /** min |vᵀ(x − x')| / ‖x − x'‖ over pairs of 𝒱 ∪ {0}, in double (v unit). */
    private double projectionRatio(double[] v) {
        double[][] voc = index.vocabulary();
        double worst = Double.POSITIVE_INFINITY;
        for (int a = 0; a < voc.length; a++) {
            worst = Math.min(worst, Math.abs(dot(v, voc[a])) / norm(voc[a]));
            for (int b = a + 1; b < voc.length; b++) {
                double[] diff = new double[v.length];
                for (int i = 0; i < v.length; i++) {
                    diff[i] = voc[a][i] - voc[b][i];
                }
                worst = Math.min(worst, Math.abs(dot(v, diff)) / norm(diff));
            }
        }
        return worst;
    }

    /** The score bound r = c q_max b_max the empirical c would give for v (double); +∞ if v does not separate. */
    private double empiricalScoreBound(double[] v) {
        double[][] voc = index.vocabulary();
        double[] p = new double[voc.length];
        for (int t = 0; t < voc.length; t++) {
            p[t] = dot(v, voc[t]);
        }
        double gap = Double.POSITIVE_INFINITY;
        double q = 0;
        double b = 0;
        for (int x = 0; x < keysOf.length; x++) {
            if (keysOf[x] == null) {
                continue;
            }
            double keyGap = smallestGap(p, keysOf[x]);
            gap = Math.min(gap, Math.abs(p[x]) * keyGap);
            q = Math.max(q, Math.abs(p[x]));
            for (int t = keysOf[x].nextSetBit(0); t >= 0; t = keysOf[x].nextSetBit(t + 1)) {
                b = Math.max(b, Math.abs(p[t]));
            }
        }
        if (!(gap > 0)) {
            return Double.POSITIVE_INFINITY;
        }
        return threshold.doubleValue() / gap * q * b;
    }

    private static double smallestGap(double[] p, BitSet keys) {
        double[] s = keys.stream().mapToDouble(t -> p[t]).sorted().toArray();
        double gap = Double.POSITIVE_INFINITY;
        for (int i = 1; i < s.length; i++) {
            gap = Math.min(gap, s[i] - s[i - 1]);
        }
        return gap;
    }

    /** min over read-query tokens x and distinct keys z, z' of |vᵀx|·|vᵀz − vᵀz'| (exact to mc). */
    private BigDecimal smallestGapProduct(BigDecimal[] p) {
        BigDecimal best = null;
        for (int x = 0; x < keysOf.length; x++) {
            if (keysOf[x] == null) {
                continue;
            }
            BigDecimal[] s = keysOf[x].stream().mapToObj(t -> p[t]).sorted().toArray(BigDecimal[]::new);
            for (int i = 1; i < s.length; i++) {
                BigDecimal g = p[x].abs().multiply(s[i].subtract(s[i - 1]), MC40);
                best = best == null ? g : best.min(g);
            }
        }
        if (best == null || best.signum() == 0) {
            throw new IllegalStateException("the projection v gives a zero score gap; raise draws");
        }
        return best;
    }

    /** The largest max a − min a over the read queries: c·|vᵀx|·(spread of vᵀz over one sequence). */
    private double largestScoreRange(BigDecimal[] p) {
        double widest = 0;
        for (int[] seq : index.tokenIds()) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (int t : seq) {
                lo = Math.min(lo, p[t].doubleValue());
                hi = Math.max(hi, p[t].doubleValue());
            }
            for (int pos : read) {
                widest = Math.max(widest, c.doubleValue() * Math.abs(p[seq[pos]].doubleValue()) * (hi - lo));
            }
        }
        return widest;
    }

    private static BigDecimal maxAbs(BigDecimal[] p, BitSet which) {
        BigDecimal m = BigDecimal.ZERO;
        for (int t = which.nextSetBit(0); t >= 0; t = which.nextSetBit(t + 1)) {
            m = m.max(p[t].abs());
        }
        return m;
    }

    private BigDecimal[] projections(BigDecimal[] direction, MathContext mc) {
        BigDecimal[][] voc = index.exact();
        BigDecimal[] p = new BigDecimal[voc.length];
        for (int t = 0; t < voc.length; t++) {
            BigDecimal s = BigDecimal.ZERO;
            for (int i = 0; i < direction.length; i++) {
                s = s.add(direction[i].multiply(voc[t][i], mc), mc);
            }
            p[t] = s;
        }
        return p;
    }

    private static BigDecimal[] normalized(double[] x, MathContext mc) {
        BigDecimal sq = BigDecimal.ZERO;
        BigDecimal[] e = new BigDecimal[x.length];
        for (int i = 0; i < x.length; i++) {
            e[i] = new BigDecimal(x[i]);
            sq = sq.add(e[i].multiply(e[i]));
        }
        BigDecimal norm = BigMath.sqrt(sq, mc);
        for (int i = 0; i < x.length; i++) {
            e[i] = e[i].divide(norm, mc);
        }
        return e;
    }

    /** √x rounded up to {@link #WEIGHTS} digits, so that its exact square is ≥ x. */
    private static BigDecimal ceilingSqrt(BigDecimal x) {
        BigDecimal s = BigMath.sqrt(x, new MathContext(WEIGHTS.getPrecision() + 5, RoundingMode.HALF_EVEN))
                .round(new MathContext(WEIGHTS.getPrecision(), RoundingMode.CEILING));
        while (s.multiply(s).compareTo(x) < 0) {
            s = s.add(s.ulp());
        }
        return s;
    }

    private static double[] requireDirection(double[] u, int d) {
        Require.that(u.length == d, "u has " + u.length + " entries but d = " + d);
        Require.that(norm(u) > 0, "u (" + Arrays.toString(u) + ") must be non-zero");
        return u;
    }

    /**
     * The layer with head size s and rank r (SPEC §3 step 5 [C]). Row 0 carries the rank-1 construction. Rows
     * 1..r−1: W_K and W_V get basis rows e_j (j ≠ the largest coordinate of v), W_Q zero rows, W_O zero columns.
     * Rows r..2r−2: W_Q gets e_j rows and W_O columns e_j (j ≠ the largest coordinate of u), W_K and W_V zero
     * rows. Rows from 2r−1 on are zero. W_KᵀW_Q and W_OW_V keep exactly one non-zero term each.
     */
    private SelfAttention lift(int rank, int headSize) {
        int d = sequences.d();
        BigDecimal[][] wK = zeros(headSize, d);
        BigDecimal[][] wQ = zeros(headSize, d);
        BigDecimal[][] wV = zeros(headSize, d);
        BigDecimal[][] wO = zeros(d, headSize);
        for (int i = 0; i < d; i++) {
            wK[0][i] = sqrtC.multiply(v[i]); // exact products: W_KᵀW_Q = c v vᵀ exactly
            wQ[0][i] = wK[0][i];
            wV[0][i] = v[i];
            wO[i][0] = kappa.multiply(u[i]);
        }
        int[] basisV = basisOutside(v, rank - 1);
        int[] basisU = basisOutside(u, rank - 1);
        for (int j = 0; j < rank - 1; j++) {
            wK[1 + j][basisV[j]] = BigDecimal.ONE;
            wV[1 + j][basisV[j]] = BigDecimal.ONE;
            wQ[rank + j][basisV[j]] = BigDecimal.ONE;
            wO[basisU[j]][rank + j] = BigDecimal.ONE;
        }
        return SelfAttention.ofExact(wO, wV, wK, wQ);
    }

    /** {@code count} coordinate indices other than the one where |x_i| is largest (so {x} ∪ {e_j} is independent). */
    private static int[] basisOutside(BigDecimal[] x, int count) {
        int largest = 0;
        for (int i = 1; i < x.length; i++) {
            if (x[i].abs().compareTo(x[largest].abs()) > 0) {
                largest = i;
            }
        }
        int[] out = new int[count];
        int j = 0;
        for (int i = 0; i < x.length && j < count; i++) {
            if (i != largest) {
                out[j++] = i;
            }
        }
        return out;
    }

    private static BigDecimal[][] zeros(int rows, int cols) {
        BigDecimal[][] z = new BigDecimal[rows][cols];
        for (BigDecimal[] row : z) {
            Arrays.fill(row, BigDecimal.ZERO);
        }
        return z;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }

    // ---------------------------------------------------------------- results

    /** The sequences the layer was built for. */
    public Sequences sequences() {
        return sequences;
    }

    /** The options used. */
    public MappingOptions options() {
        return options;
    }

    /** The measured separatedness of the sequences. */
    public TokenwiseSeparation separation() {
        return index.separation();
    }

    /** γ_min used by the construction (measured, or declared). */
    public BigDecimal gammaMin() {
        return gammaMin;
    }

    /** γ_max used by the construction. */
    public BigDecimal gammaMax() {
        return gammaMax;
    }

    /** ε used by the construction. */
    public BigDecimal epsilon() {
        return epsilon;
    }

    /** The read query positions (0-based, sorted). */
    public int[] readPositions() {
        return read.clone();
    }

    /** The projection v as found by sampling, a unit vector in double. */
    public double[] v() {
        return vDouble.clone();
    }

    /** v normalized at the layer's precision. */
    public BigDecimal[] vExact() {
        return v.clone();
    }

    /** The output direction u (unit), at the layer's precision. */
    public BigDecimal[] uExact() {
        return u.clone();
    }

    /** How many random directions were drawn to find v. */
    public int draws() {
        return draws;
    }

    /** c0 = √(8/(πd))/(K+1)² of step 1 (THEORY), or null (EMPIRICAL). */
    public BigDecimal c0() {
        return c0;
    }

    /** The temperature c. */
    public BigDecimal c() {
        return c;
    }

    /** The score bound r: every |a_k| is below it. */
    public BigDecimal r() {
        return r;
    }

    /** The output scale κ of W_O = κ u e_1ᵀ. */
    public BigDecimal kappa() {
        return kappa;
    }

    /** γ: every output token has norm below it. */
    public BigDecimal gamma() {
        return gamma;
    }

    /** δ: qualifying outputs are more than δ apart. May be far below the smallest double (use {@link Format#log10}). */
    public BigDecimal delta() {
        return delta;
    }

    /** 2 ln n + 3, the score gap B4 needs. */
    public BigDecimal gapThreshold() {
        return threshold;
    }

    /** The precision plan of exact evaluations. */
    public PrecisionPlan plan() {
        return plan;
    }

    /** The arithmetic the checks use: EXACT or DOUBLE (AUTO resolved; EMPIRICAL AUTO decides on first evaluation). */
    public Arithmetic resolvedArithmetic() {
        if (options.arithmetic() != Arithmetic.AUTO) {
            return options.arithmetic();
        }
        if (options.constants() == Constants.THEORY) {
            return Arithmetic.EXACT;
        }
        Evaluation e = evaluation;
        return e == null ? Arithmetic.DOUBLE : e.arithmetic;
    }

    /** The rank-1 layer (head size 1): W_K = W_Q = √c e_1vᵀ, W_V = e_1vᵀ, W_O = κ u e_1ᵀ. */
    public SelfAttention layer() {
        return layer;
    }

    /**
     * The same layer with rank r and head size 2r − 1 (SPEC §3 step 5 [C]); outputs are identical to
     * {@link #layer()}'s.
     *
     * @throws IllegalArgumentException if r &lt; 1 or r &gt; d
     */
    public SelfAttention layer(int rank) {
        return layer(rank, Math.max(1, 2 * rank - 1));
    }

    /**
     * The same layer with rank r and head size s ≥ 2r − 1 (rows beyond 2r − 1 are zero).
     *
     * @throws IllegalArgumentException if r &lt; 1, r &gt; min(s, d), or s &lt; 2r − 1
     */
    public SelfAttention layer(int rank, int headSize) {
        int d = sequences.d();
        Require.positive("headSize", headSize);
        Require.that(rank >= 1 && rank <= Math.min(headSize, d), "rank (" + rank + ") must be in [1, min(s, d)] = [1, "
                + Math.min(headSize, d) + "] (s = " + headSize + ", d = " + d + ")");
        Require.that(headSize >= 2 * rank - 1, "headSize (" + headSize + ") must be >= 2·rank − 1 = " + (2 * rank - 1)
                + ": the extra rows of W_K and W_Q sit in disjoint blocks");
        return lift(rank, headSize);
    }

    // ---------------------------------------------------------------- evaluation and checks

    /** The outputs at the read positions of every sequence, as doubles: [sequence][position index][coordinate]. */
    public double[][][] outputs() {
        Evaluation e = evaluate();
        double[][][] out = new double[e.doubles.length][][];
        for (int i = 0; i < out.length; i++) {
            out[i] = new double[e.doubles[i].length][];
            for (int j = 0; j < out[i].length; j++) {
                out[i][j] = e.doubles[i][j].clone();
            }
        }
        return out;
    }

    /** The outputs as exact decimals [sequence][position index][coordinate], or null when evaluated in double. */
    public BigDecimal[][][] outputsExact() {
        Evaluation e = evaluate();
        if (e.exact == null) {
            return null;
        }
        BigDecimal[][][] out = new BigDecimal[e.exact.length][][];
        for (int i = 0; i < out.length; i++) {
            out[i] = new BigDecimal[e.exact[i].length][];
            for (int j = 0; j < out[i].length; j++) {
                out[i][j] = e.exact[i][j].clone();
            }
        }
        return out;
    }

    /** The vocabulary index of the input token at read position j of sequence i. */
    public int inputTokenId(int i, int j) {
        return index.tokenIds()[i][read[j]];
    }

    /** The vocabulary (K×d, token t is row t), a copy. */
    public double[][] vocabulary() {
        double[][] voc = index.vocabulary();
        double[][] copy = new double[voc.length][];
        for (int t = 0; t < voc.length; t++) {
            copy[t] = voc[t].clone();
        }
        return copy;
    }

    /** The smallest separation found (see {@link #checks()}), with how it was measured. */
    public Separation smallestSeparation() {
        return evaluate().separation;
    }

    /**
     * The checks of Lemma 2.2 on this layer: the projection condition (THEORY), the score gaps and bound, every
     * output norm &lt; γ, and the smallest separation over all qualifying pairs &gt; δ.
     */
    public CheckTable checks() {
        Evaluation e = evaluate();
        List<Check> checks = new ArrayList<>();
        String how = e.arithmetic == Arithmetic.EXACT ? "BigDecimal at " + e.digits + " digits" : "double";
        if (c0 != null) {
            checks.add(Check.atLeast("L2.2-v", "min |vᵀ(x−x')|/‖x−x'‖ over 𝒱∪{0} ≥ c0 = √(8/(πd))/(K+1)²", SPEC + " step 1 [C]",
                    exactProjectionRatio(), c0, "v found after " + draws + " draw" + (draws == 1 ? "" : "s")
                            + " (seed " + options.seed() + "), 40 digits"));
        }
        BigDecimal[] p = projections(v, MC40);
        checks.add(Check.greaterThan("L2.2-gap", "smallest score gap c|vᵀx||vᵀ(z−z')| > 2 ln n + 3",
                SPEC + " step 2 [C]", c.multiply(smallestGapProduct(p), MC40), threshold,
                "over " + readQueries().cardinality() + " read query tokens and their keys, c = " + Format.number(c)
                        + (c0 == null ? " (EMPIRICAL, best of " + draws + " draws)" : "")));
        checks.add(Check.lessThan("L2.2-r", "largest |a_k| = c|vᵀx||vᵀz| < r", SPEC + " step 2 [C]",
                c.multiply(maxAbs(p, readQueries())).multiply(maxAbs(p, allKeys()), MC40), r,
                c0 != null ? "r = c γ_max²" : "r = c q_max b_max (1 + 1e-9 margins)"));
        checks.add(Check.lessThan("L2.2-γ", "every output norm < γ = γ_max + κ b_max", SPEC + " [P]",
                e.largestNorm, gamma, e.outputs + " outputs, " + how));
        Separation s = e.separation;
        checks.add(Check.greaterThan("L2.2-δ", "smallest ‖q(Z⁽ⁱ⁾)[:,k] − q(Z⁽ʲ⁾)[:,l]‖ over qualifying pairs > δ",
                SPEC + " [P], δ [C]", s.smallest(), delta, s.method()));
        return CheckTable.of("Lemma 2.2: (γ, δ)-contextual mapping, " + options.constants() + " constants", checks);
    }

    /**
     * The any-rank checks (SPEC §3 step 5 [C]): for each rank, the lifted layer's outputs equal the rank-1 layer's
     * (largest difference exactly 0) and W_O, W_V, W_K, W_Q all have that rank (exact rank). In EXACT arithmetic the
     * outputs are compared on the first {@code min(N, 6)} sequences, in double on all.
     *
     * @throws IllegalArgumentException if a rank is &lt; 1 or &gt; d
     */
    public CheckTable anyRankChecks(int... ranks) {
        Require.notNull("ranks", ranks);
        Require.that(ranks.length > 0, "ranks (empty) must name at least one rank");
        Evaluation e = evaluate();
        List<Check> checks = new ArrayList<>();
        for (int rank : ranks) {
            SelfAttention lifted = layer(rank);
            int[] rk = lifted.ranks();
            int matching = (int) Arrays.stream(rk).filter(x -> x == rank).count();
            checks.add(Check.equalTo("rank " + rank + ": ranks", "W_O, W_V, W_K, W_Q all have rank " + rank
                            + " (number of the four with that rank)", SPEC + " step 5 [C]", BigDecimal.valueOf(matching),
                    BigDecimal.valueOf(4), "exact ranks " + Arrays.toString(rk) + ", head size s = " + lifted.headSize()));
            BigDecimal worst = BigDecimal.ZERO;
            int compared;
            if (e.arithmetic == Arithmetic.EXACT) {
                compared = Math.min(sequences.size(), 6);
                MathContext mc = new MathContext(e.digits, RoundingMode.HALF_EVEN);
                for (int i = 0; i < compared; i++) {
                    BigDecimal[][] out = lifted.apply(sequences.exact(i), mc, read);
                    for (int j = 0; j < read.length; j++) {
                        for (int row = 0; row < out.length; row++) {
                            worst = worst.max(out[row][j].subtract(e.exact[i][j][row]).abs());
                        }
                    }
                }
            } else {
                compared = sequences.size();
                double w = 0;
                for (int i = 0; i < compared; i++) {
                    double[][] out = columns(lifted.applyReference(sequences.matrix(i)), read);
                    for (int j = 0; j < read.length; j++) {
                        for (int row = 0; row < out.length; row++) {
                            w = Math.max(w, Math.abs(out[row][j] - e.doubles[i][j][row]));
                        }
                    }
                }
                worst = new BigDecimal(w);
            }
            checks.add(Check.equalTo("rank " + rank + ": outputs", "outputs identical to the rank-1 layer (largest |difference|)",
                    SPEC + " step 5 [C]", worst, BigDecimal.ZERO, compared + " sequences × " + read.length + " read positions, "
                            + (e.arithmetic == Arithmetic.EXACT ? "BigDecimal at " + e.digits + " digits" : "double")));
        }
        return CheckTable.of("Lemma 2.2 any rank: same outputs, rank r weights", checks);
    }

    private BigDecimal exactProjectionRatio() {
        BigDecimal[][] voc = index.exact();
        BigDecimal[] p = projections(v, MC40);
        BigDecimal worst = null;
        for (int a = 0; a < voc.length; a++) {
            BigDecimal ratio = p[a].abs().divide(exactNorm(voc[a], null), MC40);
            worst = worst == null ? ratio : worst.min(ratio);
            for (int b = a + 1; b < voc.length; b++) {
                ratio = p[a].subtract(p[b]).abs().divide(exactNorm(voc[a], voc[b]), MC40);
                worst = worst.min(ratio);
            }
        }
        return worst;
    }

    private static BigDecimal exactNorm(BigDecimal[] a, BigDecimal[] b) {
        BigDecimal sq = BigDecimal.ZERO;
        for (int i = 0; i < a.length; i++) {
            BigDecimal x = b == null ? a[i] : a[i].subtract(b[i]);
            sq = sq.add(x.multiply(x));
        }
        return BigMath.sqrt(sq, MC40);
    }

    private static double[][] columns(double[][] m, int[] cols) {
        double[][] out = new double[m.length][cols.length];
        for (int r = 0; r < m.length; r++) {
            for (int j = 0; j < cols.length; j++) {
                out[r][j] = m[r][cols[j]];
            }
        }
        return out;
    }

    /**
     * The smallest separation over qualifying pairs of outputs and how it was measured.
     *
     * @param smallest the smallest distance found
     * @param sameToken the smallest distance between outputs of one input token in sequences with different token sets
     * @param differentTokens the smallest distance between outputs of different input tokens (double)
     * @param pairs    number of qualifying pairs compared
     * @param method   how it was measured
     */
    public record Separation(BigDecimal smallest, BigDecimal sameToken, BigDecimal differentTokens, long pairs,
                             String method) {
    }

    private static final class Evaluation {
        Arithmetic arithmetic;
        int digits;
        BigDecimal[][][] exact; // [sequence][read index][coordinate]
        double[][][] doubles;
        BigDecimal largestNorm;
        Separation separation;
        int outputs;
    }

    private Evaluation evaluate() {
        Evaluation e = evaluation;
        if (e == null) {
            synchronized (this) {
                e = evaluation;
                if (e == null) {
                    e = computeEvaluation();
                    evaluation = e;
                }
            }
        }
        return e;
    }

    private Evaluation computeEvaluation() {
        Arithmetic wanted = options.arithmetic();
        if (wanted == Arithmetic.AUTO) {
            wanted = options.constants() == Constants.THEORY ? Arithmetic.EXACT : Arithmetic.DOUBLE;
        }
        if (wanted == Arithmetic.DOUBLE) {
            Evaluation e = evaluateDouble();
            if (options.arithmetic() == Arithmetic.DOUBLE || resolvedInDouble(e)) {
                return e;
            }
            plan.requireWithin(options.budget(), "EMPIRICAL contextual mapping (exact outputs; double does not resolve"
                            + " the smallest separation " + Format.number(e.separation.sameToken()) + ")",
                    (long) sequences.size() * sequences.n() * read.length, "use fewer tokens or sequences, or raise the budget");
        }
        Evaluation e = evaluateExact(plan.digits());
        BigDecimal resolution = BigDecimal.ONE.movePointLeft(plan.digits() - PrecisionPlan.GUARD)
                .multiply(BigDecimal.ONE.add(r.multiply(gammaMax)));
        if (e.separation.sameToken() != null && e.separation.sameToken().compareTo(resolution) <= 0) {
            PrecisionPlan safe = PrecisionPlan.forResolution(Format.log10(delta), r.doubleValue() * gammaMax.doubleValue(),
                    "log10(1/δ) + log10(r·γ_max) + guard");
            if (safe.digits() > plan.digits()) {
                safe.requireWithin(options.budget(), "contextual mapping (exact outputs at the safe precision)",
                        (long) sequences.size() * sequences.n() * read.length, "raise the budget");
                e = evaluateExact(safe.digits());
            }
        }
        return e;
    }

    /** Double resolves the separations when the same-token minimum is far above rounding (1e-9 of the output size). */
    private boolean resolvedInDouble(Evaluation e) {
        BigDecimal same = e.separation.sameToken();
        return same == null || same.compareTo(new BigDecimal(1e-9).multiply(BigDecimal.ONE.add(gamma))) > 0;
    }

    private Evaluation evaluateDouble() {
        int size = sequences.size();
        Evaluation e = new Evaluation();
        e.arithmetic = Arithmetic.DOUBLE;
        e.doubles = new double[size][read.length][];
        double largest = 0;
        for (int i = 0; i < size; i++) {
            double[][] out = columns(layer.applyReference(sequences.matrix(i)), read);
            for (int j = 0; j < read.length; j++) {
                double[] o = new double[out.length];
                for (int row = 0; row < o.length; row++) {
                    o[row] = out[row][j];
                }
                e.doubles[i][j] = o;
                largest = Math.max(largest, norm(o));
            }
        }
        e.largestNorm = new BigDecimal(largest);
        e.outputs = size * read.length;
        e.separation = separation(e);
        return e;
    }

    private Evaluation evaluateExact(int digits) {
        MathContext mc = new MathContext(digits, RoundingMode.HALF_EVEN);
        int size = sequences.size();
        Evaluation e = new Evaluation();
        e.arithmetic = Arithmetic.EXACT;
        e.digits = digits;
        e.exact = new BigDecimal[size][read.length][];
        e.doubles = new double[size][read.length][];
        BigDecimal largestSq = BigDecimal.ZERO;
        for (int i = 0; i < size; i++) {
            BigDecimal[][] out = layer.apply(sequences.exact(i), mc, read);
            for (int j = 0; j < read.length; j++) {
                BigDecimal[] o = new BigDecimal[out.length];
                double[] od = new double[out.length];
                BigDecimal sq = BigDecimal.ZERO;
                for (int row = 0; row < o.length; row++) {
                    o[row] = out[row][j];
                    od[row] = o[row].doubleValue();
                    sq = sq.add(o[row].multiply(o[row], mc), mc);
                }
                e.exact[i][j] = o;
                e.doubles[i][j] = od;
                largestSq = largestSq.max(sq);
            }
        }
        e.largestNorm = BigMath.sqrt(largestSq, MC40);
        e.outputs = size * read.length;
        e.separation = separation(e);
        return e;
    }

    /**
     * The smallest distance over qualifying pairs. Pairs with the same input token (and different token sets) are
     * measured in the evaluation's arithmetic, exact when exact; pairs with different input tokens, whose
     * distance is at least ε − 2κb_max, in double.
     */
    private Separation separation(Evaluation e) {
        int size = sequences.size();
        int[][] ids = index.tokenIds();
        Map<String, Integer> setIds = new HashMap<>();
        int[] setOf = new int[size];
        for (int i = 0; i < size; i++) {
            int[] sorted = ids[i].clone();
            Arrays.sort(sorted);
            setOf[i] = setIds.computeIfAbsent(Arrays.toString(sorted), key -> setIds.size());
        }
        long cells = (long) size * read.length;
        options.budget().requireCells("separation check", BigDecimal.valueOf(cells).multiply(BigDecimal.valueOf(cells)),
                "(N·|read|)^2 pairs with N·|read| = " + cells, "read fewer positions or use fewer sequences");
        // same input token, different token sets: one representative output per (token, set)
        Map<Integer, Map<Integer, int[]>> groups = new HashMap<>();
        for (int i = 0; i < size; i++) {
            for (int j = 0; j < read.length; j++) {
                groups.computeIfAbsent(ids[i][read[j]], t -> new HashMap<>()).putIfAbsent(setOf[i], new int[] {i, j});
            }
        }
        BigDecimal sameSq = null;
        double sameDouble = Double.POSITIVE_INFINITY;
        long pairs = 0;
        MathContext mc = e.arithmetic == Arithmetic.EXACT ? new MathContext(e.digits, RoundingMode.HALF_EVEN) : null;
        for (Map<Integer, int[]> group : groups.values()) {
            List<int[]> reps = new ArrayList<>(group.values());
            for (int a = 0; a < reps.size(); a++) {
                for (int b = a + 1; b < reps.size(); b++) {
                    pairs++;
                    int[] x = reps.get(a);
                    int[] y = reps.get(b);
                    if (mc != null) {
                        BigDecimal[] ox = e.exact[x[0]][x[1]];
                        BigDecimal[] oy = e.exact[y[0]][y[1]];
                        BigDecimal sq = BigDecimal.ZERO;
                        for (int row = 0; row < ox.length; row++) {
                            BigDecimal diff = ox[row].subtract(oy[row], mc);
                            sq = sq.add(diff.multiply(diff, mc), mc);
                        }
                        sameSq = sameSq == null ? sq : sameSq.min(sq);
                    } else {
                        sameDouble = Math.min(sameDouble, distance(e.doubles[x[0]][x[1]], e.doubles[y[0]][y[1]]));
                    }
                }
            }
        }
        // different input tokens, in double
        double different = Double.POSITIVE_INFINITY;
        for (int i = 0; i < size; i++) {
            for (int j = 0; j < read.length; j++) {
                for (int i2 = i; i2 < size; i2++) {
                    for (int j2 = (i2 == i ? j + 1 : 0); j2 < read.length; j2++) {
                        if (ids[i][read[j]] != ids[i2][read[j2]]) {
                            pairs++;
                            different = Math.min(different, distance(e.doubles[i][j], e.doubles[i2][j2]));
                        }
                    }
                }
            }
        }
        BigDecimal same = mc != null ? (sameSq == null ? null : BigMath.sqrt(sameSq, MC40))
                : (sameDouble == Double.POSITIVE_INFINITY ? null : new BigDecimal(sameDouble));
        BigDecimal diff = different == Double.POSITIVE_INFINITY ? null : new BigDecimal(different);
        Require.that(same != null || diff != null, "sequences (" + size + ") must give at least one qualifying pair of"
                + " outputs (different token sets or different input tokens) to measure a separation");
        BigDecimal smallest = same == null ? diff : diff == null ? same : same.min(diff);
        String method = pairs + " qualifying pairs; same input token: "
                + (same == null ? "none" : Format.number(same) + (mc != null ? " (BigDecimal at " + e.digits + " digits)" : " (double)"))
                + "; different input tokens: " + (diff == null ? "none" : Format.number(diff) + " (double)");
        return new Separation(smallest.round(MC40), same, diff, pairs, method);
    }

    private static double distance(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double x = a[i] - b[i];
            s += x * x;
        }
        return Math.sqrt(s);
    }

    @Override
    public String toString() {
        return "Lemma 2.2 layer (" + options.constants() + "): d = " + sequences.d() + ", n = " + sequences.n()
                + ", K = " + index.separation().vocabularySize() + ", c = " + Format.number(c) + ", r = " + Format.number(r)
                + ", κ = " + Format.number(kappa) + ", γ = " + Format.number(gamma) + ", δ = " + Format.number(delta)
                + ", v after " + draws + " draws, " + plan;
    }
}
