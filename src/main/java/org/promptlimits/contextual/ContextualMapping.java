package org.promptlimits.contextual;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.promptlimits.check.CheckTable;
import org.promptlimits.check.Format;
import org.promptlimits.check.Require;
import org.promptlimits.core.SelfAttention;
import org.promptlimits.core.Vectors;
import org.promptlimits.precision.BigMath;
import org.promptlimits.precision.Budget;
import org.promptlimits.precision.Interval;
import org.promptlimits.precision.PrecisionPlan;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Arrays;
import java.util.List;

/**
 * The rank-1 self-attention layer of Lemma 2.2 that turns tokenwise-separated sequences into a
 * (γ, δ)-contextual mapping: every output token has norm &lt; γ, and outputs differ by more than δ whenever
 * the token sets of their sequences differ or their input tokens differ. theory §3 [P statement, L+C constants].
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
 *       keys and q_max over read queries (both γ_max in THEORY, where δ equals theory §3's closed form);</li>
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
        /** theory §3 constants (c0, c, r, γ, δ as in the lemma); exact arithmetic. */
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

    /**
     * Digits of the weights: v, u and √c are exact decimals of this many digits and c = (√c)² exactly, so the
     * layer is one exact object whatever precision evaluates it (the checks measure that object).
     */
    static final MathContext WEIGHTS = new MathContext(60, RoundingMode.HALF_EVEN);

    private final Sequences sequences;
    private final MappingOptions options;
    private final ReadGeometry geometry;
    private final LemmaConstants constants;
    private final double[] vDouble;
    private final int draws;
    private final PrecisionPlan plan;
    private final BigDecimal[] v;
    private final BigDecimal[] u;
    private final SelfAttention layer;
    private volatile MappingEvaluation evaluation;

    private ContextualMapping(Sequences sequences, MappingOptions options) {
        this.sequences = Require.notNull("sequences", sequences);
        this.options = Require.notNull("options", options);
        TokenwiseSeparation.Index index = TokenwiseSeparation.index(sequences);
        TokenwiseSeparation measured = index.separation();
        int n = sequences.n();
        int d = sequences.d();
        int k = measured.vocabularySize();
        Require.that(n >= 2, "n (" + n + ") must be >= 2: a contextual mapping needs ln n > 0 (theory §3)");
        this.geometry = new ReadGeometry(index, options.readPositions(), n);

        // separation constants: measured, or declared and checked against the measurement
        BigDecimal gammaMin = declared("gammaMin", options.gammaMin(), measured.gammaMin(), -1);
        BigDecimal gammaMax = declared("gammaMax", options.gammaMax(), measured.gammaMax(), +1);
        BigDecimal epsilon = declared("epsilon", options.epsilon(), measured.epsilon(), -1);
        Require.that(gammaMin.signum() > 0, "gamma_min (" + Format.number(gammaMin)
                + ") must be > 0: a token is the zero vector" + zeroTokenNote());
        Require.that(epsilon.signum() > 0, "epsilon (" + Format.number(epsilon)
                + ") must be > 0: the vocabulary is not separated (K = " + k + " distinct tokens)");

        // step 1: the projection v; the weights are exact decimals of WEIGHTS digits, every check measures this layer
        boolean theory = options.constants() == Constants.THEORY;
        ProjectionSearch search = options.v() != null
                ? ProjectionSearch.fixed(requireDirection("v", options.v(), d), theory, d, k, LemmaConstants.MC40)
                : ProjectionSearch.run(geometry, theory, options.seed(), options.draws(),
                        LemmaConstants.lnAndThreshold(n)[1], LemmaConstants.MC40);
        this.vDouble = search.v();
        this.draws = search.draws();
        this.v = normalized(vDouble, WEIGHTS);

        // steps 2 and 4: temperature c, score bound r, output scale κ, γ and δ
        BigDecimal[] p40 = geometry.projections(v, LemmaConstants.MC40);
        this.constants = LemmaConstants.derive(theory, d, k, gammaMin, gammaMax, epsilon, search.c0(), geometry, p40,
                options.outputScale(), theory && exactArithmetic(options) ? options.budget() : null);
        this.plan = precisionPlan(theory, p40);
        if (resolvedArithmetic() == Arithmetic.EXACT) {
            long exps = (long) sequences.size() * n * geometry.read().length;
            plan.requireWithin(options.budget(), options.constants() + " contextual mapping (exact outputs)", exps,
                    limit -> Budget.orLarger(theory
                            ? "use EMPIRICAL constants, or fewer tokens K (c grows like (K+1)^4)"
                            : "use fewer tokens or sequences", limit));
        }
        this.u = options.u() == null ? v.clone() : normalized(requireDirection("u", options.u(), d), WEIGHTS);
        this.layer = RankLift.lift(v, u, constants.sqrtC(), constants.kappa(), 1, 1);
    }

    /**
     * Builds the layer of Lemma 2.2 for {@code sequences} (theory §3 steps 1–4).
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
        if (!ok) {      // the message only when refusing: numberBeside formats both values at up to 17 digits
            throw new IllegalArgumentException(name + " (" + Format.numberBeside(declared, measured) + ") must be "
                    + (side < 0 ? "<=" : ">=") + " the measured value " + Format.numberBeside(measured, declared)
                    + " to describe these sequences");
        }
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

    /**
     * The precision of exact evaluations: THEORY resolves δ itself; EMPIRICAL the widest range of scores of one
     * query (theory §8.4).
     */
    private PrecisionPlan precisionPlan(boolean theory, BigDecimal[] p) {
        double magnitude = constants.r().doubleValue() * BigMath.toDouble(constants.gammaMax());
        if (theory) {
            return PrecisionPlan.forResolution(Format.log10(constants.delta()), magnitude,
                    "log10(1/δ) + log10(r·γ_max) + " + PrecisionPlan.GUARD + " guard, δ = " + Format.number(constants.delta()));
        }
        double range = geometry.largestScoreRange(p, constants.c());
        return PrecisionPlan.forResolution(-range / Math.log(10) - 10, magnitude,
                "largest score range of one query / ln10 (" + Format.number(range / Math.log(10))
                        + ") + 10 + log10(r·γ_max) + " + PrecisionPlan.GUARD + " guard");
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

    private static double[] requireDirection(String name, double[] u, int d) {
        Require.that(u.length == d, name + " has " + u.length + " entries but d = " + d);
        Require.that(Vectors.norm(u) > 0, name + " (" + Arrays.toString(u) + ") must be non-zero");
        return u;
    }

    ReadGeometry geometry() {
        return geometry;
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
        return geometry.index().separation();
    }

    /** Every constant of the layer (γ_min, γ_max, ε, c0, c, r, κ, γ, δ, ...) as one record. */
    public LemmaConstants constants() {
        return constants;
    }

    /** γ_min used by the construction (measured, or declared). */
    public BigDecimal gammaMin() {
        return constants.gammaMin();
    }

    /** γ_max used by the construction. */
    public BigDecimal gammaMax() {
        return constants.gammaMax();
    }

    /** ε used by the construction. */
    public BigDecimal epsilon() {
        return constants.epsilon();
    }

    /** The read query positions (0-based, sorted). */
    public int[] readPositions() {
        return geometry.read().clone();
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

    /** How many random directions were drawn to find v (0 when the options fixed v). */
    public int draws() {
        return draws;
    }

    /** c0 = √(8/(πd))/(K+1)² of step 1 (THEORY), or null (EMPIRICAL). */
    public BigDecimal c0() {
        return constants.c0();
    }

    /** The temperature c. */
    public BigDecimal c() {
        return constants.c();
    }

    /** The score bound r: every |a_k| is below it. */
    public BigDecimal r() {
        return constants.r();
    }

    /** The output scale κ of W_O = κ u e_1ᵀ. */
    public BigDecimal kappa() {
        return constants.kappa();
    }

    /** γ: every output token has norm below it. */
    public BigDecimal gamma() {
        return constants.gamma();
    }

    /** δ: qualifying outputs are more than δ apart. May be far below the smallest double (use {@link Format#log10}). */
    public BigDecimal delta() {
        return constants.delta();
    }

    /** 2 ln n + 3, the score gap B4 needs. */
    public BigDecimal gapThreshold() {
        return constants.threshold();
    }

    /** The precision plan of exact evaluations. */
    public PrecisionPlan plan() {
        return plan;
    }

    /** The arithmetic the checks use: EXACT or DOUBLE (AUTO resolved; EMPIRICAL AUTO decides on first evaluation). */
    private static boolean exactArithmetic(MappingOptions options) {
        return options.arithmetic() == Arithmetic.EXACT
                || options.arithmetic() == Arithmetic.AUTO && options.constants() == Constants.THEORY;
    }

    public Arithmetic resolvedArithmetic() {
        if (options.arithmetic() != Arithmetic.AUTO) {
            return options.arithmetic();
        }
        if (options.constants() == Constants.THEORY) {
            return Arithmetic.EXACT;
        }
        MappingEvaluation e = evaluation;
        return e == null ? Arithmetic.DOUBLE : e.arithmetic;
    }

    /** The rank-1 layer (head size 1): W_K = W_Q = √c e_1vᵀ, W_V = e_1vᵀ, W_O = κ u e_1ᵀ. */
    public SelfAttention layer() {
        return layer;
    }

    /**
     * The same layer with rank r and head size 2r − 1 (theory §3.4 [C]); outputs are identical to
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
        options.budget().requireArray("layer weights (4·headSize·d entries)", Long.BYTES,
                Budget.orLarger("lower headSize", "maxBytes"), 4,
                headSize, d);
        return RankLift.lift(v, u, constants.sqrtC(), constants.kappa(), rank, headSize);
    }

    // ---------------------------------------------------------------- evaluation and checks

    /** The outputs at the read positions of every sequence, as doubles: [sequence][position index][coordinate]. */
    public double[][][] outputs() {
        MappingEvaluation e = evaluate();
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
        MappingEvaluation e = evaluate();
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
        Require.that(i >= 0 && i < sequences.size(), "i (" + i + ") must be in [0, " + sequences.size() + ")");
        Require.that(j >= 0 && j < geometry.read().length, "j (" + j + ") must be in [0, " + geometry.read().length
                + ") (read positions)");
        return geometry.index().tokenIds()[i][geometry.read()[j]];
    }

    /** The vocabulary (K×d, token t is row t), a copy. */
    public double[][] vocabulary() {
        double[][] voc = geometry.index().vocabulary();
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
        return MappingChecks.checks(this, evaluate());
    }

    /**
     * The any-rank checks (theory §3.4 [C]), all certified: for each rank, W_O, W_V, W_K, W_Q all have that rank
     * (exact rank), and the lifted layer's outputs equal the rank-1 layer's on every input, proved by its score
     * matrix W_KᵀW_Q and value matrix W_OW_V being exactly the rank-1 layer's (exact decimal arithmetic; largest
     * difference 0). The same proof for EXACT and DOUBLE evaluation: it is about the layer, not a rounding.
     *
     * @throws IllegalArgumentException if a rank is &lt; 1 or &gt; d
     */
    public CheckTable anyRankChecks(int... ranks) {
        Require.notNull("ranks", ranks);
        Require.that(ranks.length > 0, "ranks (empty) must name at least one rank");
        for (int i = 0; i < ranks.length; i++) {
            Require.inRange("ranks[" + i + "]", ranks[i], 1, sequences.d()); // rank ≤ min(s, d) = d for s = 2r − 1
        }
        return MappingChecks.anyRankChecks(this, ranks);
    }

    /**
     * The smallest separation over qualifying pairs of outputs and how it was measured.
     *
     * @param smallest the smallest distance found
     * @param sameToken the smallest distance between outputs of one input token in sequences with different token sets
     * @param differentTokens the smallest distance between outputs of different input tokens (double, or enclosed
     *                        with the rest when the outputs are)
     * @param pairs    number of qualifying pairs compared
     * @param method   how it was measured
     * @param enclosure a rigorous enclosure of the smallest distance when the outputs were evaluated in interval
     *                  arithmetic (exact arithmetic), else null; then {@code smallest} is its lower end
     */
    public record Separation(BigDecimal smallest, BigDecimal sameToken, BigDecimal differentTokens, long pairs,
                             String method, Interval enclosure) {
    }

    /** The outputs and separation, computed once on first use (exact evaluations can take seconds). */
    private MappingEvaluation evaluate() {
        MappingEvaluation e = evaluation;
        if (e == null) {
            synchronized (this) {
                e = evaluation;
                if (e == null) {
                    e = MappingEvaluation.of(this);
                    evaluation = e;
                }
            }
        }
        return e;
    }

    @Override
    public String toString() {
        return "Lemma 2.2 layer (" + options.constants() + "): d = " + sequences.d() + ", n = " + sequences.n()
                + ", K = " + separation().vocabularySize() + ", c = " + Format.number(c()) + ", r = " + Format.number(r())
                + ", κ = " + Format.number(kappa()) + ", γ = " + Format.number(gamma()) + ", δ = " + Format.number(delta())
                + (draws == 0 ? ", v given" : ", v after " + draws + " draws") + ", " + plan;
    }
}
