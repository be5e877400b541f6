package org.promptlimits.attention.fast;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.promptlimits.attention.Apti;
import org.promptlimits.attention.Attention;
import org.promptlimits.attention.Parallel;
import org.promptlimits.attention.ThreadScratch;
import org.promptlimits.attention.exact.CacheSizes;
import org.promptlimits.attention.exact.ReferenceAttention;
import org.promptlimits.check.Format;
import org.promptlimits.check.Interrupts;
import org.promptlimits.check.Require;
import org.promptlimits.precision.Budget;

import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Polynomial-method attention: out_i = (U (W^T V))_i / (U (W^T 1))_i with U = φ(Q), W = φ(K) the monomial
 * features of degree g ({@link MonomialFeatures}), which replaces exp(β⟨q, k⟩) by P_g(β⟨q, k⟩).
 * O(n·r·d) time and O((128 + d)·r) working memory per thread, never an n×n matrix. theory §7 [L], Theorem 3.2 [P].
 *
 * <p>Keys are streamed in blocks of a few rows (as many as fit this machine's per-core L2 cache with their features,
 * at most {@value #BLOCK}) into S = W^T [V 1], an r × (dv+1) matrix with the weights w_α folded in; queries are
 * streamed in blocks whose monomials are multiplied by S. A block's features are written by its monomials and read
 * back by the product while they are still in L2, so two threads do not share the L3 cache's bandwidth for them. Both
 * products run on the Vector API when the module {@code jdk.incubator.vector} is present, else on plain loops. With
 * g chosen by {@link #forError} for (B, δF, β, d), ‖out − exact‖_max ≤ 2ε‖V‖_max/(1−ε) ≤ δF
 * for the exact evaluation of the polynomial, and the certificate adds the rounding bound ρ of the computed one
 * (theory §7.7; {@link Certificate}); {@link #forProblem} chooses g from the instance's own score bound, and
 * {@link #forProblem(Apti, Precision)} with FLOAT32 computes features and products in float where truncation plus
 * float32 rounding still meets δF (else it refuses). Optionally multi-threaded ({@link #withThreads}).
 */
public final class PolynomialAttention implements Attention {

    /** The most rows per streamed block. */
    public static final int BLOCK = 128;

    /**
     * Scores beyond this make P_g(−R) cancel in double whatever the degree: its terms reach e^R while the sum is
     * near e^{−R}, so the relative rounding error e^{2R}·2^{−53} reaches 1 at R ≈ 18.
     */
    public static final double CANCELLATION_SCORE = 0.5 * Math.log(1 / Math.ulp(1.0));

    private final MonomialFeatures features;
    private final int threads;
    /** The score bound R the degree was chosen for (forError: βdB²), or +∞ when not chosen for a bound. */
    private final double scoreBound;
    /** B of forError (the entry bound R came from), or NaN. */
    private final double bound;
    private final Precision precision;
    /** Rows per streamed block, or 0 for {@link #rowsPerBlock(int, int)}'s choice from the L2 cache. */
    private final int rows;

    /** The arithmetic of the features and the products (the sums that grow with n are in double either way). */
    public enum Precision {
        /** Everything in double. */
        FLOAT64,
        /**
         * Features, values and S in float; sums of at most {@value #BLOCK} rows or {@value PolyKernel#RUN}
         * features in float, added into double; only from {@link #forProblem(Apti, Precision)}, which takes it only
         * when its rounding bound leaves room for δF.
         */
        FLOAT32
    }

    private PolynomialAttention(MonomialFeatures features, int threads, double scoreBound, double bound,
                                Precision precision) {
        this(features, threads, scoreBound, bound, precision, 0);
    }

    private PolynomialAttention(MonomialFeatures features, int threads, double scoreBound, double bound,
                                Precision precision, int rows) {
        this.features = features;
        this.threads = threads;
        this.scoreBound = scoreBound;
        this.bound = bound;
        this.precision = precision;
        this.rows = rows;
    }

    /**
     * The same method on {@code threads} threads: key blocks are split into contiguous groups that shrink towards the
     * end ({@link #keyGroups}), which the threads take in turn, each summed into its own partial S (the partials added in
     * group order, so a thread count always gives the same result); query blocks are taken one at a time.
     *
     * @throws IllegalArgumentException if threads &lt; 1
     */
    public PolynomialAttention withThreads(int threads) {
        Require.positive("threads", threads);
        return new PolynomialAttention(features, threads, scoreBound, bound, precision, rows);
    }

    public int threads() {
        return threads;
    }

    /**
     * The same method streaming {@code rows} rows per block instead of as many as fill the per-core L2 cache with
     * their features (a tuning parameter for benchmarks; the result changes only in the order of the sums).
     *
     * @throws IllegalArgumentException if rows is not in [1, {@value #BLOCK}]
     */
    public PolynomialAttention withRowsPerBlock(int rows) {
        Require.inRange("rows", rows, 1, BLOCK);
        return new PolynomialAttention(features, threads, scoreBound, bound, precision, rows);
    }

    /** Rows per streamed block: the one set by {@link #withRowsPerBlock}, else the choice from the L2 cache. */
    public int rowsPerBlock() {
        return rows > 0 ? rows : rowsPerBlock(PolyKernel.stride(rank()),
                precision == Precision.FLOAT32 ? Float.BYTES : Double.BYTES);
    }

    /**
     * The polynomial method whose degree solves APTI(B, δF) for inputs with entries in [−B, B]:
     * R = β d B², ε = δF/(2B + δF) (so that 2ε B/(1 − ε) = δF), g = min{g : R^{g+1}e^{R}/(g+1)! ≤ ε}.
     * theory §7 [L]; the (1 − ε) correction of the denominator is ours [C].
     *
     * @throws IllegalArgumentException if B ≤ 0, δF ∉ (0, 1), β ≤ 0, d &lt; 1, or the rank C(g+d, d) is
     *                                  over the budget (message with r, bytes and the parameter to change)
     */
    public static PolynomialAttention forError(double bound, double deltaF, double beta, int d, Budget budget) {
        Require.positive("B", bound);
        Require.inOpen("deltaF", deltaF, 0, 1);
        Require.positive("beta", beta);
        Require.positive("d", d);
        double r = Apti.scoreBound(bound, beta, d);
        Require.that(r < CANCELLATION_SCORE, "R = βdB² (" + Format.number(r) + " for B = " + bound + ", beta = " + beta
                + ", d = " + d + ") must be below " + Format.number(CANCELLATION_SCORE) + ": beyond, P_g(−R) sums terms"
                + " up to e^R to a value near e^{−R} and double arithmetic cancels whatever the degree; lower B or"
                + " beta, or use exact attention (BlockedAttention)");
        int g = Taylor.degree(r, targetEpsilon(bound, deltaF));
        return new PolynomialAttention(MonomialFeatures.of(d, g, beta, budget), 1, r, bound, Precision.FLOAT64);
    }

    /** {@link #forError(double, double, double, int, Budget)} with {@link Budget#DEFAULT}. */
    public static PolynomialAttention forError(double bound, double deltaF, double beta, int d) {
        return forError(bound, deltaF, beta, d, Budget.DEFAULT);
    }

    /**
     * The polynomial method for one APTI instance, its degree chosen from the instance itself (theory §7, the
     * a-posteriori bound): R' = β·max_i‖q_i‖·max_j‖k_j‖ bounds every score (Cauchy–Schwarz), ε' =
     * δF/(2‖V‖_max + δF), g = min{g : R'^{g+1}e^{R'}/(g+1)! ≤ ε'}. Since R' ≤ βdB² and ‖V‖_max ≤ B, g is never
     * above {@link #forError}'s, and the certificate's a-posteriori bound is at most δF. O(nd) to choose.
     */
    public static PolynomialAttention forProblem(Apti p) {
        Require.notNull("p", p);
        double r = instanceScoreBound(p.n(), p.d(), p.q(), p.k(), p.beta());
        double eps = epsilonFor(p.valueMax(), p.deltaF());
        Require.that(r < CANCELLATION_SCORE, "the instance's score bound R' = β·max‖q_i‖·max‖k_j‖ ("
                + Format.number(r) + ") must be below " + Format.number(CANCELLATION_SCORE) + ": beyond, P_g(−R') sums"
                + " terms up to e^R' to a value near e^{−R'} and double arithmetic cancels whatever the degree;"
                + " lower B or beta, or use exact attention (BlockedAttention)");
        int g = Taylor.degree(r, eps);
        return new PolynomialAttention(MonomialFeatures.of(p.d(), g, p.beta(), Budget.DEFAULT), 1, r, Double.NaN,
                Precision.FLOAT64);
    }

    /**
     * {@link #forProblem(Apti)} in the given precision. FLOAT64 is that method. FLOAT32 takes the smallest degree
     * whose whole bound, truncation plus float32 rounding (theory §7.7), is at most δF:
     * g = min{g : 2ε'‖V‖_max/(1 − ε') + ρ_32(g) ≤ δF}, and refuses when no degree reaches it (the rounding bound
     * grows with g while the truncation falls, so it stops once the truncation is below a thousandth of the
     * rounding).
     *
     * @throws IllegalArgumentException if precision is FLOAT32 and no degree meets δF in float32 (the message gives
     *                                  the bounds and says to use FLOAT64), or for the reasons of forProblem
     */
    public static PolynomialAttention forProblem(Apti p, Precision precision) {
        Require.notNull("p", p);
        Require.notNull("precision", precision);
        PolynomialAttention f64 = forProblem(p);
        if (precision == Precision.FLOAT64) {
            return f64;
        }
        Rounding.Inputs in = Rounding.Inputs.of(p, 1);
        double best = Double.POSITIVE_INFINITY;
        int bestG = -1;
        for (int g = 0; g <= Taylor.MAX_DEGREE; g++) {
            double eps = Taylor.relativeError(g, in.instanceScoreBound());
            double truncation = eps < 1 ? 2 * eps * p.valueMax() / (1 - eps) : Double.POSITIVE_INFINITY;
            if (truncation == Double.POSITIVE_INFINITY) {
                continue;
            }
            double rounding = Rounding.bound(Precision.FLOAT32, g, in, eps, p.beta());
            if (truncation + rounding < best) {
                best = truncation + rounding;
                bestG = g;
            }
            if (truncation + rounding <= p.deltaF()) {
                return new PolynomialAttention(MonomialFeatures.of(p.d(), g, p.beta(), Budget.DEFAULT), 1,
                        in.instanceScoreBound(), Double.NaN, Precision.FLOAT32);
            }
            if (truncation < 1e-3 * rounding || g > f64.degree() + 8) {
                break;
            }
        }
        throw new IllegalArgumentException("precision (FLOAT32) must meet deltaF = " + Format.number(p.deltaF())
                + " with its rounding: the smallest proven bound, truncation plus float32 rounding, is "
                + Format.number(best) + " (at g = " + bestG + ", R' = " + Format.number(in.instanceScoreBound())
                + "; rule: 2ε'‖V‖/(1−ε') + ρ_32 ≤ δF, theory §7.7); raise deltaF, lower the scores, or use"
                + " Precision.FLOAT64");
    }

    /** The arithmetic of this method's features and products. */
    public Precision precision() {
        return precision;
    }

    /**
     * {@link #forProblem} as a result rather than an exception: the method, or the reason it is refused (no
     * degree up to {@link Taylor#MAX_DEGREE} reaches ε', or the rank C(g+d, d) is over {@link Budget#DEFAULT}).
     * For tables that show served and refused instances side by side.
     */
    public static Choice choose(Apti p) {
        Require.notNull("p", p);
        return choice(() -> forProblem(p));
    }

    /**
     * {@link #ofDegree(int, int, double)} as a result: the method of degree g, or the reason it is refused (the
     * rank C(g+d, d) over {@link Budget#DEFAULT}, with the estimate and what to change).
     *
     * @throws IllegalArgumentException if d &lt; 1, g &lt; 0 or β ≤ 0 (bad input, not a refusal)
     */
    public static Choice choose(int d, int g, double beta) {
        Require.positive("d", d);
        Require.nonNegative("g", g);
        Require.positive("beta", beta);
        return choice(() -> ofDegree(d, g, beta));
    }

    private static Choice choice(Supplier<PolynomialAttention> build) {
        try {
            return new Choice(build.get(), "");
        } catch (IllegalArgumentException refused) {
            return new Choice(null, refused.getMessage());
        }
    }

    /**
     * What {@link #choose} decided.
     *
     * @param method  the polynomial method for the instance, or null when refused
     * @param refusal why it was refused (the degree or the budget, with the numbers), or "" when served
     */
    public record Choice(PolynomialAttention method, String refusal) {
        public Choice {
            Require.notNull("refusal", refusal);
            Require.that((method == null) != refusal.isEmpty(), "a choice holds either a method or a refusal (method "
                    + method + ", refusal '" + refusal + "')");
        }

        /** Whether the instance was refused. */
        public boolean refused() {
            return method == null;
        }
    }

    /** R' = β·max_i‖q_i‖·max_j‖k_j‖ for n×d row-major q and k: a bound on every |β⟨q_i, k_j⟩|. */
    public static double instanceScoreBound(int n, int d, double[] q, double[] k, double beta) {
        Require.positive("n", n);
        Require.positive("d", d);
        Require.positive("beta", beta);
        Require.notNull("q", q);
        Require.that(q.length >= (long) n * d, "q (length " + q.length + ") must hold n·d = " + n + "·" + d
                + " entries");
        Require.notNull("k", k);
        Require.that(k.length % d == 0 && k.length > 0, "k (length " + k.length + ") must hold whole rows of d = " + d);
        Require.allFinite("q", q);
        Require.allFinite("k", k);
        return scoreBound(beta, maxRowNormSquared(q, n, d), maxRowNormSquared(k, k.length / d, d));
    }

    /** R' from the largest squared row norms of q and k. */
    private static double scoreBound(double beta, double qq, double kk) {
        return Require.finiteResult("R'", beta * Math.sqrt(qq) * Math.sqrt(kk),
                "the entries of q and k, or beta, are finite but too large (the norms overflow double); rescale q and k");
    }

    private static double maxRowNormSquared(double[] x, int rows, int d) {
        double max = 0;
        for (int i = 0; i < rows; i++) {
            double s = 0;
            for (int t = 0; t < d; t++) {
                double v = x[i * d + t];
                s += v * v;
            }
            max = Math.max(max, s);
        }
        // one ulp of headroom per coordinate for the rounding of the sum
        return max * (1 + 2 * d * Math.ulp(1.0));
    }

    /** The polynomial method of a fixed degree g (its certificate states what g guarantees). */
    public static PolynomialAttention ofDegree(int d, int g, double beta, Budget budget) {
        return new PolynomialAttention(MonomialFeatures.of(d, g, beta, budget), 1, Double.POSITIVE_INFINITY,
                Double.NaN, Precision.FLOAT64);
    }

    /** {@link #ofDegree(int, int, double, Budget)} with {@link Budget#DEFAULT}. */
    public static PolynomialAttention ofDegree(int d, int g, double beta) {
        return ofDegree(d, g, beta, Budget.DEFAULT);
    }

    /** ε = δF/(2B + δF): the Taylor accuracy that makes 2εB/(1 − ε) = δF. */
    public static double targetEpsilon(double bound, double deltaF) {
        Require.positive("B", bound);
        Require.inOpen("deltaF", deltaF, 0, 1);
        return epsilonFor(bound, deltaF);
    }

    /** δF/(2b + δF) for a value bound b ≥ 0, kept in (0, 1). */
    private static double epsilonFor(double valueBound, double deltaF) {
        // below 1 exactly; in double it rounds to 1 when b/δF is below 1e-16: keep it in (0, 1)
        return Math.min(deltaF / (2 * valueBound + deltaF), Math.nextDown(1.0));
    }

    public MonomialFeatures features() {
        return features;
    }

    public int degree() {
        return features.degree();
    }

    /** r = C(g+d, d). */
    public int rank() {
        return features.rank();
    }

    @Override
    public String name() {
        return "polynomial(g=" + degree() + ", r=" + rank() + (precision == Precision.FLOAT32 ? ", float32" : "")
                + (threads == 1 ? "" : ", " + threads + " threads") + ")";
    }

    /**
     * The inner loops in use for this method's precision: "scalar", or "vector(f64xL)" / "vector(f32xL)" (Vector API
     * when the module is present).
     */
    public String backend() {
        return kernel().name();
    }

    /** The kernel of this method's precision. */
    private PolyKernel<?> kernel() {
        return precision == Precision.FLOAT32 ? PolyKernel.FLOAT32 : PolyKernel.FLOAT64;
    }

    /**
     * out = D̃^{−1} Ã V with Ã_ij = P_g(β⟨q_i, k_j⟩). β and d must be those the features were built with.
     *
     * @throws IllegalArgumentException on shape mismatch, a different β or d, non-finite input, or a
     *                                  non-positive denominator (g too small for the scores), inputs beyond the
     *                                  bound B the degree was chosen for, or scores beyond {@link #CANCELLATION_SCORE}
     */
    @Override
    public void attend(int n, int m, int d, int dv, double[] q, double[] k, double[] v, double beta, double[] out) {
        Attention.requireShapes(n, m, d, dv, q, k, v, beta, out);
        // messages built only when refusing (on every call they cost tens of µs: see Attention.requireLength)
        if (d != features.dimension()) {
            throw new IllegalArgumentException("d (" + d + ") must equal the feature dimension " + features.dimension());
        }
        if (beta != features.beta()) {
            throw new IllegalArgumentException("beta (" + beta + ") must equal the features' beta " + features.beta());
        }
        int cols = dv + 1;
        int stride = PolyKernel.stride(features.rank());
        // the checks that read every input (finite entries, R', float32's range) run on the calling thread at the start
        // of the key phase, while the other threads already sum key blocks (which only read k and v); a refusal stops
        // them. On one thread they run first, as before; the same checks in the same order, so the same messages.
        // R' is needed only to explain a refused denominator, after the checks have passed: computed again then
        attend(kernel(), n, m, dv, cols, stride, q, k, v, out, () -> checkInputs(n, m, d, q, k, v, beta),
                () -> scoreBound(beta, maxRowNormSquared(q, n, d), maxRowNormSquared(k, m, d)));
    }

    /** The checks of {@link #attend}'s inputs that read all of them, in order. */
    private void checkInputs(int n, int m, int d, double[] q, double[] k, double[] v, double beta) {
        double instance;
        double qq = maxRowNormSquared(q, n, d);
        double kk = maxRowNormSquared(k, m, d);
        if (Double.isFinite(qq) && Double.isFinite(kk)) {
            // every entry of q and k is finite (a NaN or infinite entry makes its row's sum NaN or infinite): one pass
            // over each instead of a check and then the norms
            Require.allFinite("v", v);
            instance = scoreBound(beta, qq, kk);
        } else {        // the checks in order, for their messages
            Require.allFinite("q", q);
            Require.allFinite("k", k);
            Require.allFinite("v", v);
            instance = instanceScoreBound(n, d, q, k, beta);
        }
        if (instance > scoreBound * (1 + 1e-12)) {
            throw new IllegalArgumentException("q and k reach scores up to R' = β·max‖q_i‖·max‖k_j‖ = "
                    + Format.number(instance) + ", above R = βdB² = " + Format.number(scoreBound) + " (B = "
                    + Format.number(bound) + ") that degree g = " + degree() + " was chosen for, so its error bound"
                    + " does not hold; keep the entries of q and k within [−B, B] (Apti.rescaledToBound), or choose"
                    + " the degree for these inputs (forError with a larger B, or forProblem)");
        }
        if (!(instance < CANCELLATION_SCORE)) {
            throw new IllegalArgumentException(cancellation(instance));
        }
        if (precision == Precision.FLOAT32) {
            Rounding.requireFloatRange(n, m, d, q, k, v, features);
        }
    }

    /**
     * The method in the tier of {@code kernel}: S and z over key blocks, then each query block's numerators over its
     * denominator, in one share per thread (a thread goes on from the key blocks to the query blocks without being
     * handed new work). Threads take work from counters, so a thread slowed by the machine does not hold the other up:
     * key blocks in {@link #keyGroups} contiguous groups, each summed into its own partial S and added into S in group
     * order as soon as the groups before it are in (so the bits depend only on the thread count, and the additions
     * overlap the other threads' key blocks); the thread that adds the last group weights S and lays it out for the
     * products, the others wait for it ({@link KeySums}); then query blocks one at a time (each writes only its own
     * rows). {@code checks} runs on the calling thread at the start of the key phase.
     */
    private <F> void attend(PolyKernel<F> kernel, int n, int m, int dv, int cols, int stride, double[] q, double[] k,
                            double[] v, double[] out, Runnable checks, DoubleSupplier instance) {
        int rows = rowsPerBlock();
        int keyBlocks = (m + rows - 1) / rows;
        int[] groupStart = keyGroups(keyBlocks, threads);
        int groups = groupStart.length - 1;
        int queryBlocks = (n + rows - 1) / rows;
        // S[c][a] = Σ_j k_j^α [v_j, 1]_c over key blocks, then the weights w_α, in the kernel's layout
        KeySums<F> sums = new KeySums<>(groups, s -> kernel.products(weighted(s, stride), cols, stride));
        AtomicInteger nextGroup = new AtomicInteger();
        AtomicInteger nextBlock = new AtomicInteger();
        int workers = Math.max(1, Math.min(threads, Math.max(groups, queryBlocks)));
        Parallel.shares(workers, workers, "polynomial", (w, from, to) -> {
            F ft;
            F s;
            int first;
            boolean ahead;
            try {       // whatever ends this thread's key phase early, the others must not wait for S
                if (w == 0) {       // the calling thread
                    checks.run();
                }
                ft = kernel.scratch(FEATURES, rows * stride);
                F vb = kernel.scratch(VALUES, rows * cols);
                double[] sum = null;
                for (int g = nextGroup.getAndIncrement(); g < groups; g = nextGroup.getAndIncrement()) {
                    if (sum == null) {
                        sum = new double[cols * stride];
                    } else {
                        Arrays.fill(sum, 0);
                    }
                    for (int blk = groupStart[g]; blk < groupStart[g + 1]; blk++) {
                        Interrupts.check();
                        int j0 = blk * rows;
                        int b = Math.min(rows, m - j0);
                        features.monomialsOfRows(kernel, k, j0, b, ft, stride);
                        kernel.values(v, j0, b, dv, vb);
                        kernel.accumulate(stride, cols, b, ft, vb, sum);
                    }
                    sum = sums.complete(g, sum);
                }
                // while the other threads still complete S, this thread computes the features of its first query
                // block (they do not need S), then blocks until S is in
                first = nextBlock.getAndIncrement();
                ahead = first < queryBlocks && !sums.ready();
                if (ahead) {
                    Interrupts.check();
                    features.monomialsOfRows(kernel, q, first * rows, Math.min(rows, n - first * rows), ft, stride);
                }
                s = sums.products();
            } catch (RuntimeException | Error e) {
                sums.fail(e);
                throw e;
            }
            // out rows: numerators and denominator Σ_a q^α S[c][a], over query blocks
            double[] acc = PRODUCTS.doubles(rows * cols);
            double[] lanes = LANES.doubles(rows * cols * 16);
            for (int blk = first; blk < queryBlocks; blk = nextBlock.getAndIncrement()) {
                Interrupts.check();
                int i0 = blk * rows;
                int b = Math.min(rows, n - i0);
                if (ahead) {
                    ahead = false;
                } else {
                    features.monomialsOfRows(kernel, q, i0, b, ft, stride);
                }
                kernel.project(stride, cols, b, ft, s, acc, lanes);
                divide(acc, i0, b, dv, out, instance);
            }
        });
    }

    /**
     * A thread's block buffers, kept between calls ({@link ThreadScratch}): the features of a block's rows, its
     * values [V 1], and the query product's row sums and lane sums, each written before it is read within one
     * thread's share. Allocated for every call (1 MB of features per thread at the L2-sized blocks), they made two
     * threads spend more CPU time on the key phase than one thread on all of it; partial sums of S are not among
     * them, since S outlives a thread's share.
     */
    private static final ThreadScratch FEATURES = new ThreadScratch();
    private static final ThreadScratch VALUES = new ThreadScratch();
    private static final ThreadScratch PRODUCTS = new ThreadScratch();
    private static final ThreadScratch LANES = new ThreadScratch();

    /**
     * The key phase of one call: S = the groups' partial sums added in group order, each group added by the thread
     * that completes it or the one before it (whichever completes last); the thread that adds the last group also
     * puts S in the products' form, which every thread then waits for, blocked (a thread with no key group left first
     * computes the features of its first query block). A thread that fails wakes the others, which throw its
     * exception.
     *
     * <p>The wait blocks rather than spins: a spinning thread holds a core that, on a machine running other work, the
     * thread completing S may be waiting for (the worker pool's spin before parking made two-thread calls 1.5× slower
     * beside one busy process). Here a wait is the rest of another thread's last key group (0.1–0.3 ms of a 35 ms
     * call at n = 16384); the first query block's features fill part of it.
     */
    private static final class KeySums<F> {
        /** Completed partial sums not yet added into S, by group. */
        private final double[][] done;
        private final Function<double[], F> layout;
        /** Groups added into S so far. */
        private int added;
        private double[] s;
        private volatile F products;
        private volatile Throwable failure;

        KeySums(int groups, Function<double[], F> layout) {
            this.done = new double[groups][];
            this.layout = layout;
        }

        /**
         * Group g's partial sum is complete: adds it and the completed groups after it into S while the groups before
         * them are in, and lays S out once the last is in. Returns the array back when it was added and is not S
         * itself (the caller may clear it for its next group), else null.
         */
        synchronized double[] complete(int g, double[] sum) {
            done[g] = sum;
            boolean addedSum = false;
            while (added < done.length && done[added] != null) {
                double[] p = done[added];
                done[added] = null;
                if (added == 0) {
                    s = p;
                } else {
                    for (int i = 0; i < s.length; i++) {
                        s[i] += p[i];
                    }
                    addedSum |= p == sum;
                }
                added++;
            }
            if (added == done.length && products == null) {
                products = layout.apply(s);
                notifyAll();
            }
            return addedSum ? sum : null;
        }

        /** A thread's failure: the others stop waiting for S and throw it too. */
        synchronized void fail(Throwable e) {
            if (failure == null) {
                failure = e;
            }
            notifyAll();
        }

        /** Whether S is in the products' form (or a thread failed): {@link #products} would not block. */
        boolean ready() {
            return products != null || failure != null;
        }

        /**
         * S in the products' form, once every group is in (blocking until then); rethrows another thread's failure.
         */
        F products() {
            if (!ready()) {
                synchronized (this) {
                    while (!ready()) {
                        try {
                            wait();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new Interrupts.Interrupted();
                        }
                    }
                }
            }
            F p = products;
            if (p != null) {
                return p;
            }
            if (failure instanceof RuntimeException re) {
                throw re;
            }
            if (failure instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("polynomial worker failed: " + failure, failure);
        }
    }

    /**
     * The smallest group of key blocks is 1/({@value #SMALLEST_GROUP}·threads) of them: smaller groups at the end let
     * the threads finish closer together, each group costs a partial S (cleared or allocated, then added once).
     */
    static final int SMALLEST_GROUP = 32;

    /**
     * The groups of {@code blocks} key blocks on {@code threads} threads, group g = blocks [start[g], start[g+1]):
     * one group on one thread; else each group 1/(2·threads) of the blocks not yet in a group, at least
     * ⌈blocks/({@value #SMALLEST_GROUP}·threads)⌉, so the groups shrink towards the end and the thread that takes
     * the last one waits for the other only as long as a small group takes (equal groups left up to one large group
     * of idle time when one thread ran slower). Depends only on (blocks, threads), so the bits do too.
     */
    static int[] keyGroups(int blocks, int threads) {
        if (threads == 1 || blocks <= 1) {
            return new int[] {0, blocks};
        }
        long parts = (long) SMALLEST_GROUP * threads;
        long smallest = Math.max(1, (blocks + parts - 1) / parts);
        int[] start = new int[blocks + 1];
        int groups = 0;
        for (int from = 0; from < blocks; ) {
            long left = blocks - from;
            from += (int) Math.min(left, Math.max(smallest, (left + 2L * threads - 1) / (2L * threads)));
            start[++groups] = from;
        }
        return Arrays.copyOf(start, groups + 1);
    }

    /** The number of partial sums S that a call over m keys adds (the rounding bound counts one addition each). */
    int partialSums(int m) {
        return keyGroups((m + rowsPerBlock() - 1) / rowsPerBlock(), threads).length - 1;
    }

    /** S multiplied by the weights w_α, in place (column c's entry a by w_α). */
    private double[] weighted(double[] s, int stride) {
        double[] weights = features.weights();
        for (int o = 0; o < s.length; o += stride) {
            for (int a = 0; a < weights.length; a++) {
                s[o + a] *= weights[a];
            }
        }
        return s;
    }

    /**
     * out rows i0 .. i0+b: numerators over the denominator (acc[i·cols + dv]), which must be positive; {@code
     * instance} gives R' for the refusal.
     */
    private void divide(double[] acc, int i0, int b, int dv, double[] out, DoubleSupplier instance) {
        int cols = dv + 1;
        for (int i = 0; i < b; i++) {
            double den = acc[i * cols + dv];
            if (!(den > 0) || !Double.isFinite(den)) {
                throw new IllegalArgumentException("denominator of row " + (i0 + i) + " (" + den
                        + ") must be positive and finite; degree g = " + degree() + " is too small for scores up"
                        + " to R' = " + Format.number(instance.getAsDouble()) + ": build it with forProblem (or forError for the"
                        + " inputs' bound B) to choose g");
            }
            for (int c = 0; c < dv; c++) {
                out[(i0 + i) * dv + c] = acc[i * cols + c] / den;
            }
        }
    }

    /**
     * Rows per block: as many as fill this machine's per-core L2 cache with their features (rows × stride entries
     * of {@code bytes} each), so that the features, written by the monomials, are read back from L2; a multiple of
     * 3 (the row tile of the query product), at least 12 (fewer rows make the key product reload its tile of S too
     * often) and at most {@value #BLOCK}.
     */
    static int rowsPerBlock(int stride, int bytes) {
        long rows = CacheSizes.thisMachine().l2() / ((long) bytes * stride) / 3 * 3;
        return (int) Math.max(12, Math.min(BLOCK / 3 * 3, rows));
    }

    /** The refusal of scores so large that P_g cancels in double whatever the degree. */
    private static String cancellation(double instance) {
        return "the scores of q and k reach R' = β·max‖q_i‖·max‖k_j‖ = " + Format.number(instance) + " (must be below "
                + Format.number(CANCELLATION_SCORE) + "): P_g(−R') sums terms up to e^R' to a value near e^{−R'}, so"
                + " double arithmetic cancels whatever the degree (raising g does not help); lower beta or rescale q"
                + " and k, or use exact attention (BlockedAttention)";
    }

    /**
     * The output for an APTI instance together with its certificate, whose measured error compares
     * {@code sampleRows} seeded random rows against {@link ReferenceAttention}.
     */
    public Certified attendCertified(Apti p, int sampleRows, long seed) {
        Require.notNull("p", p);
        Require.positive("sampleRows", sampleRows);
        double[] out = attend(p);
        return new Certified(p.n(), p.d(), out, certify(p, out, sampleRows, seed));
    }

    /** The certificate of an output this method produced for p (see {@link Certificate}). */
    public Certificate certify(Apti p, double[] out, int sampleRows, long seed) {
        Require.notNull("p", p);
        Require.positive("sampleRows", sampleRows);
        Require.notNull("out", out);
        Require.that(out.length == (long) p.n() * p.d(), "out has " + out.length + " entries but p is n×d = "
                + p.n() + "×" + p.d());
        Require.allFinite("out", out);
        int n = p.n();
        int s = Math.min(sampleRows, n);
        int[] rows = sample(n, s, seed);
        double[] exact = ReferenceAttention.create().rows(rows, n, n, p.d(), p.d(), p.q(), p.k(), p.v(), p.beta());
        double err = 0;
        for (int a = 0; a < s; a++) {
            for (int c = 0; c < p.d(); c++) {
                err = Math.max(err, Math.abs(out[rows[a] * p.d() + c] - exact[a * p.d() + c]));
            }
        }
        double eps = Taylor.relativeError(degree(), p.scoreBound());
        double instance = instanceScoreBound(n, p.d(), p.q(), p.k(), p.beta());
        double instanceEps = Taylor.relativeError(degree(), instance);
        double rounding = Rounding.bound(precision, degree(), Rounding.Inputs.of(p, partialSums(p.n())), instanceEps, p.beta());
        return new Certificate(p.d(), degree(), rank(), p.scoreBound(), eps, instance, instanceEps,
                PolynomialAttention.targetEpsilon(p.bound(), p.deltaF()), p.valueMax(), p.deltaF(), err, s, seed,
                precision, rounding);
    }

    private static int[] sample(int n, int s, long seed) {
        if (s == n) {
            int[] all = new int[n];
            Arrays.setAll(all, i -> i);
            return all;
        }
        RandomGenerator rnd = new Random(seed);
        int[] perm = new int[n];
        Arrays.setAll(perm, i -> i);
        for (int i = 0; i < s; i++) {
            int j = i + rnd.nextInt(n - i);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        int[] rows = Arrays.copyOf(perm, s);
        Arrays.sort(rows);
        return rows;
    }

    /** An output (n×d row-major) with its certificate. */
    public record Certified(int n, int d, double[] output, Certificate certificate) {
        public Certified {
            output = Require.notNull("output", output).clone();
        }

        @Override
        public double[] output() {
            return output.clone();
        }

        /** The output as a new n×d ND4J matrix (float64). */
        public INDArray matrix() {
            return Nd4j.create(output.clone(), new long[] {n, d}, DataType.DOUBLE);
        }
    }
}
