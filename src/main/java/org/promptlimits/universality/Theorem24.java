package org.promptlimits.universality;

import org.promptlimits.check.Check;
import org.promptlimits.check.CheckTable;
import org.promptlimits.check.Format;
import org.promptlimits.check.Require;
import org.promptlimits.core.FeedForward;
import org.promptlimits.core.IntervalForward;
import org.promptlimits.core.Matrices;
import org.promptlimits.core.PositionalEncoding;
import org.promptlimits.core.Tokens;
import org.promptlimits.core.Transformer;
import org.promptlimits.precision.Budget;
import org.promptlimits.precision.PrecisionPlan;
import org.promptlimits.quantize.DistanceEstimate;
import org.promptlimits.quantize.Grid;
import org.promptlimits.quantize.GridTable;
import org.promptlimits.quantize.QuantizedFunction;
import org.promptlimits.quantize.Seq2Seq;
import org.promptlimits.quantize.StaircaseQuantizer;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Theorem 2.4, executable form: a frozen one-layer, single-head transformer {@code τ = FF_2 ∘ SA ∘ FF_1} and one
 * soft prompt per target such that {@code τ_{P_i}(X) = f̄_i(X)} for every X outside the quantizer's slabs.
 * theory §5, §8.4 [P statement, C construction].
 *
 * <p>The build follows the proof: FF_1 is the {@link StaircaseQuantizer} on [1, n+1) (it quantizes
 * {@code [P, X] + E} to grid tokens plus positions); SA is a contextual mapping of those quantized sequences
 * (EMPIRICAL constants, only X-position queries count), so every (prompt, grid input, position) gets its own
 * context ID {@code vᵀ SA(Z)[:, l]}; FF_2 ({@link Interpolation#wide}) interpolates the M = m·δ^{−dL}·L
 * X-position IDs to the targets' values. Prompts code the target index ({@link PromptCode}). Inputs are
 * clamped: an entry x = 1 is read as 1 − δ/2 (x = 1 would collide with the next position's 0).
 *
 * <p>Precision: everything runs in BigDecimal at P digits, P = max(⌈2r/ln 10⌉ + 10, ⌈log10(max FF_2 slope ·
 * γ_max)⌉ + D_out + 5, …) with r = c γ_max² (theory §8.4); the context-ID gaps are tiny (10^{-44} for d = 1,
 * L = 2, δ = 1/4) and the FF_2 slopes their inverse. The THEORY constants are reported by
 * {@link UniversalitySizes}, never run. Every size is estimated first and refused above the {@link Budget}.
 *
 * <p>Entry points: {@link #forTargets} (Lipschitz targets and ε) and {@link #forTables} (any finite table of
 * grid input → output, e.g. a dataset to memorize, theory §6).
 */
public final class Theorem24 {

    /**
     * Options of the build.
     *
     * @param outputDigits D_out: the grid check requires {@code |τ_P(G) − f̄(G)| ≤ 10^{−D_out}}
     * @param eta          slab width of the staircase (null: 10^{−j} ≤ δ·10^{−10}/(8L))
     * @param budget       limits on knots (cells) and digits, and the time of the construction's sample checks
     *                     ({@link #distance}, {@link UniversalityChecks#wideDeepAgreement})
     */
    public record Options(int outputDigits, BigDecimal eta, Budget budget) {
        public Options {
            Require.inRange("outputDigits", outputDigits, 1, 10_000);
            if (eta != null) {
                Require.positive("eta", eta);
            }
            Require.notNull("budget", budget);
        }

        /** D_out = 12, automatic η, {@link Budget#DEFAULT}. */
        public static Options defaults() {
            return new Options(12, null, Budget.DEFAULT);
        }

        public Options withBudget(Budget b) {
            return new Options(outputDigits, eta, b);
        }

        public Options withOutputDigits(int digits) {
            return new Options(digits, eta, budget);
        }
    }

    private final Grid grid;
    private final List<GridTable> tables;
    private final List<Seq2Seq> targets; // empty when built from tables
    private final double epsilon;        // NaN when built from tables
    private final PromptCode code;
    private final ContextStage stage;
    private final Options options;
    private final BigDecimal eta;
    private final PrecisionPlan plan;
    private final MathContext mc;
    private final FeedForward ff1;
    private final FeedForward ff2;
    private final Transformer transformer;
    private final ContextIds ids;
    private final int distinctTokens;
    private final double gammaMax;

    private Theorem24(Grid grid, List<GridTable> tables, List<Seq2Seq> targets, double epsilon,
                      ContextStage.Factory factory, Options options) {
        this.grid = grid;
        this.tables = List.copyOf(tables);
        this.targets = List.copyOf(targets);
        this.epsilon = epsilon;
        this.options = options;
        int m = tables.size();
        this.code = PromptCode.of(grid, m);
        int d = grid.d();
        int len = grid.length();
        int lp = code.length();
        int n = lp + len;
        int k = grid.steps();
        // 1. Sizes first: M knots of d values each, m·k^{dL} sequences of n tokens.
        BigInteger sequences = grid.size().multiply(BigInteger.valueOf(m));
        BigInteger cells = sequences.multiply(BigInteger.valueOf((long) len * (d + 1) + (long) n * d));
        options.budget().requireCells("Theorem 2.4 construction", new BigDecimal(cells),
                "m·δ^{-dL}·(L(d+1) + nd) = " + m + "·" + k + "^" + (d * len) + "·" + ((long) len * (d + 1) + (long) n * d),
                Budget.orLarger("use fewer targets or increase delta", "maxCells"));
        this.eta = options.eta() != null ? options.eta()
                : StaircaseQuantizer.powerOfTenAtMost(1e-10 / (8.0 * len * k));
        this.gammaMax = Math.sqrt(d) * (n + 1);
        // 2. The attention stage on the quantized sequences [P_i, G] + E.
        MathContext mc0 = PrecisionPlan.fixed(Math.max(40, (int) Math.ceil(-Format.log10(eta)) + 20),
                "the quantizer's slab width η = 10^" + Format.number(Format.log10(eta)) + " plus 20 digits").mathContext();
        List<BigDecimal[][]> seqs = quantizedSequences(mc0);
        this.distinctTokens = countDistinctTokens(seqs);
        this.stage = Require.notNull("stage", factory.build(seqs, lp, mc0));
        Require.that(stage.layer().dimension() == d, "stage dimension (" + stage.layer().dimension() + ") must be d = " + d);
        // 3. Precision, raised until the context IDs and FF_2's slopes are resolved; FF_1 and the IDs at it.
        WorkingPrecision working = WorkingPrecision.find(grid, this.tables, code, stage, eta, gammaMax,
                options.outputDigits(), options.budget());
        this.plan = working.plan();
        this.mc = plan.mathContext();
        this.ff1 = working.ff1();
        this.ids = working.ids();
        // 4. FF_2 interpolates the IDs to the targets' values (minus the residual SA output).
        List<ContextIds.Knot> ks = ids.knots();
        BigDecimal[] knotIds = new BigDecimal[ks.size()];
        BigDecimal[][] values = new BigDecimal[ks.size()][d];
        for (int j = 0; j < ks.size(); j++) {
            knotIds[j] = ks.get(j).id();
            for (int i = 0; i < d; i++) {
                values[j][i] = ContextIds.target(ks.get(j), i, mc);
            }
        }
        this.ff2 = Interpolation.wide(stage.direction(), knotIds, values, mc);
        this.transformer = Transformer.of(d, List.of(ff1, stage.layer(), ff2));
    }

    /**
     * The construction for a table of values per target: target i is the piecewise-constant function
     * {@code X ↦ tables[i].output(cell of X)}. The entry point for memorizing a finite dataset.
     *
     * @param grid    the input grid (all tables must use it)
     * @param tables  m ≥ 1 tables
     * @param factory how to build the attention stage (e.g. {@link ContextualStages#empirical})
     * @throws IllegalArgumentException on mismatched grids or sizes above the budget
     * @throws IllegalStateException    if two context IDs coincide at the working precision
     */
    public static Theorem24 forTables(Grid grid, List<GridTable> tables, ContextStage.Factory factory, Options options) {
        Require.notNull("grid", grid);
        Require.notNull("tables", tables);
        Require.positive("m (number of tables)", tables.size());
        for (int i = 0; i < tables.size(); i++) {
            Require.notNull("tables[" + i + "]", tables.get(i));
            Require.that(tables.get(i).grid().equals(grid), "tables[" + i + "] uses " + tables.get(i).grid()
                    + " but the construction uses " + grid);
        }
        Require.notNull("factory", factory);
        Require.notNull("options", options);
        return new Theorem24(grid, tables, List.of(), Double.NaN, factory, options);
    }

    /**
     * {@link #forTables(Grid, List, ContextStage.Factory, Options)} with the EMPIRICAL contextual mapping
     * ({@link ContextualStages#empirical}, seed 1) and {@link Options#defaults()}.
     */
    public static Theorem24 forTables(Grid grid, List<GridTable> tables) {
        return forTables(grid, tables, ContextualStages.empirical(1L), Options.defaults());
    }

    /**
     * {@link #forTargets(List, double, ContextStage.Factory, Options)} with the EMPIRICAL contextual mapping
     * ({@link ContextualStages#empirical}, seed 1) and {@link Options#defaults()}.
     */
    public static Theorem24 forTargets(List<Seq2Seq> targets, double epsilon) {
        return forTargets(targets, epsilon, ContextualStages.empirical(1L), Options.defaults());
    }

    /**
     * The construction for m Lipschitz targets at accuracy ε: δ and δ_y from {@link QuantizedFunction#forEpsilon}
     * (the finest δ any target needs), then {@link #forTables} on the quantized targets.
     *
     * @param targets m ≥ 1 targets with the same d, L and p
     * @param epsilon ε ∈ (0, 1)
     */
    public static Theorem24 forTargets(List<Seq2Seq> targets, double epsilon, ContextStage.Factory factory,
                                       Options options) {
        Require.notNull("targets", targets);
        Require.positive("m (number of targets)", targets.size());
        Require.inOpen("epsilon", epsilon, 0, 1);
        Seq2Seq first = Require.notNull("targets[0]", targets.get(0));
        int k = 1;
        for (int i = 0; i < targets.size(); i++) {
            Seq2Seq f = Require.notNull("targets[" + i + "]", targets.get(i));
            Require.that(f.d() == first.d() && f.length() == first.length() && f.p() == first.p(),
                    "targets[" + i + "] (" + f + ") must have the d, L and p of targets[0] (" + first + ")");
            k = Math.max(k, QuantizedFunction.inputSteps(f, epsilon));
        }
        int ky = QuantizedFunction.outputSteps(first.d(), first.length(), first.p(), epsilon);
        return forTargets(targets, 1.0 / k, 1.0 / ky, epsilon, factory, options);
    }

    /** As {@link #forTargets(List, double, ContextStage.Factory, Options)} with explicit steps δ and δ_y. */
    public static Theorem24 forTargets(List<Seq2Seq> targets, double delta, double deltaY, double epsilon,
                                       ContextStage.Factory factory, Options options) {
        Require.notNull("targets", targets);
        Require.positive("m (number of targets)", targets.size());
        Require.inOpen("epsilon", epsilon, 0, 1);
        Require.notNull("options", options);
        List<GridTable> tables = new ArrayList<>();
        Grid grid = null;
        for (int i = 0; i < targets.size(); i++) {
            QuantizedFunction q = QuantizedFunction.of(Require.notNull("targets[" + i + "]", targets.get(i)), delta, deltaY);
            if (grid == null) {
                grid = q.grid();
            } else {
                Require.that(q.grid().equals(grid), "targets[" + i + "] has d or L different from targets[0]");
            }
            tables.add(q.table(options.budget()));
        }
        Require.notNull("factory", factory);
        return new Theorem24(grid, tables, targets, epsilon, factory, options);
    }

    // ---------------------------------------------------------------- construction steps

    /** The quantized input sequences [P_i, G_g] + E, in order (i major, g minor). */
    private List<BigDecimal[][]> quantizedSequences(MathContext precision) {
        List<BigDecimal[][]> seqs = new ArrayList<>();
        long size = grid.size().longValueExact();
        for (int i = 0; i < tables.size(); i++) {
            BigDecimal[][] prompt = code.prompt(i, precision);
            for (long g = 0; g < size; g++) {
                seqs.add(PositionalEncoding.add(Tokens.concat(prompt, grid.point(g, precision))));
            }
        }
        return seqs;
    }

    private static int countDistinctTokens(List<BigDecimal[][]> seqs) {
        Set<List<BigDecimal>> tokens = new HashSet<>();
        for (BigDecimal[][] s : seqs) {
            for (int l = 0; l < s[0].length; l++) {
                List<BigDecimal> t = new ArrayList<>();
                for (BigDecimal[] row : s) {
                    t.add(row[l].stripTrailingZeros());
                }
                tokens.add(t);
            }
        }
        return tokens.size();
    }

    // ---------------------------------------------------------------- evaluation

    /** X with entries equal to 1 replaced by 1 − δ/2 (x = 1 would collide with the next position's 0). */
    double[][] clamp(double[][] x) {
        grid.requireInput(x);
        double[][] c = Matrices.copy(x);
        double top = 1 - grid.delta() / 2;
        for (double[] row : c) {
            for (int l = 0; l < row.length; l++) {
                if (row[l] >= 1) {
                    row[l] = top;
                }
            }
        }
        return c;
    }

    /**
     * {@code τ_{P_i}(X)} at the working precision.
     *
     * @param i target index in [0, m)
     * @param x d×L with entries in [0, 1]. Not modified.
     */
    public BigDecimal[][] outputExact(int i, double[][] x) {
        requireTarget(i);
        return transformer.tau(code.prompt(i, mc), Matrices.exact(clamp(x)), mc);
    }

    /** {@code τ_{P_i}(X)} rounded to double. */
    public double[][] output(int i, double[][] x) {
        return Matrices.toDouble(outputExact(i, x));
    }

    // ---------------------------------------------------------------- checks

    /**
     * The context ID {@code vᵀ SA(FF_1([P_i, X] + E))[:, Lp + l]} of X-position l of input X under prompt i, at
     * the working precision (X clamped as in {@link #outputExact}). For a grid input it is one of the knots FF_2
     * interpolates ({@link #contextIds()}).
     *
     * @param i        target index in [0, m)
     * @param x        d×L with entries in [0, 1]. Not modified.
     * @param position X-position l in [0, L)
     */
    public BigDecimal contextId(int i, double[][] x, int position) {
        requireTarget(i);
        Require.inRange("position", position, 0, grid.length() - 1);
        BigDecimal[][] z = PositionalEncoding.add(Tokens.concat(code.prompt(i, mc), Matrices.exact(clamp(x))));
        BigDecimal[][] y = stage.layer().apply(ff1.apply(z, mc), mc);
        return ContextIds.project(stage.direction(), Tokens.column(y, code.length() + position), mc);
    }

    private void requireTarget(int i) {
        Require.that(i >= 0 && i < tables.size(), "i (" + i + ") must be in [0, m) = [0, " + tables.size() + ")");
    }

    // ---------------------------------------------------------------- checks

    /**
     * U1: for every grid input G and every coded target i, {@code |τ_{P_i}(G) − f̄_i(G)| ≤ 10^{−D_out}}, certified:
     * the m·δ^{−dL} outputs are enclosed from the stored weights in outward-rounded interval arithmetic
     * ({@link GridEnclosure}), not re-run with the construction's own rounding, and the row holds only if the
     * enclosure's upper end is within the bound. A transformer with a layer that has no interval evaluation (a
     * caller's own Layer) is re-run in BigDecimal instead, and the row says it is
     * not certified.
     */
    public Check gridCheck() {
        return gridCheck("U1", transformer, "τ = FF_2 ∘ SA ∘ FF_1", mc);
    }

    Check gridCheck(String id, Transformer model, String what, MathContext work) {
        return IntervalForward.supports(model) ? GridEnclosure.check(this, id, model, what, work, options.outputDigits())
                : Theorem24Checks.roundedGridCheck(this, id, model, what, work);
    }

    /**
     * U2: Monte-Carlo {@code d_p(τ_{P_i}, f_i) ≤ ε} for target i (only for {@link #forTargets} builds), within the
     * budget of this construction's {@link Options} (its maxSeconds holds the samples).
     */
    public DistanceEstimate distance(int i, int samples, long seed) {
        Require.that(!targets.isEmpty(), "distance needs targets: this construction was built from tables");
        requireTarget(i);
        Seq2Seq f = targets.get(i);
        return DistanceEstimate.of(grid.d(), grid.length(), f.p(), f.asOperator(), x -> output(i, x), samples, seed,
                options.budget());
    }

    /** The size checks: three layers, FF_2 width m·δ^{−dL}·L, FF_1 width 2dn/δ, Lp, precision. */
    public List<Check> sizeChecks() {
        return Theorem24Checks.sizeChecks(this);
    }

    /**
     * Every check in one table: U1 (grid), U2 per target (Monte Carlo, when built from targets), S1–S5 (sizes).
     *
     * @param samples Monte-Carlo samples per target
     * @param seed    seed of the Monte-Carlo sample
     */
    public CheckTable checks(int samples, long seed) {
        return Theorem24Checks.checks(this, samples, seed);
    }

    // ---------------------------------------------------------------- accessors

    public Grid grid() {
        return grid;
    }

    /** The frozen transformer FF_2 ∘ SA ∘ FF_1. */
    public Transformer transformer() {
        return transformer;
    }

    /** The number of coded targets m. */
    public int targetCount() {
        return tables.size();
    }

    /** The targets (empty when built from tables). */
    public List<Seq2Seq> targets() {
        return targets;
    }

    /** The tables interpolated, one per target. */
    public List<GridTable> tables() {
        return tables;
    }

    /** ε (NaN when built from tables). */
    public double epsilon() {
        return epsilon;
    }

    /** The prompt code. */
    public PromptCode promptCode() {
        return code;
    }

    /** The prompt P_i at the working precision. */
    public BigDecimal[][] prompt(int i) {
        return code.prompt(i, mc);
    }

    /** The working precision P. */
    public MathContext precision() {
        return mc;
    }

    /** The working precision P with the rule that set it ({@link WorkingPrecision}). */
    public PrecisionPlan precisionPlan() {
        return plan;
    }

    /** The attention stage. */
    public ContextStage stage() {
        return stage;
    }

    /** The staircase FF_1. */
    public FeedForward firstFeedForward() {
        return ff1;
    }

    /** The interpolation FF_2. */
    public FeedForward secondFeedForward() {
        return ff2;
    }

    /** The slab width η of the staircase. */
    public BigDecimal eta() {
        return eta;
    }

    /** The smallest gap between two X-position context IDs. */
    public BigDecimal minimumIdGap() {
        return ids.minGap();
    }

    /** The largest FF_2 slope. */
    public BigDecimal maximumSlope() {
        return ids.maxSlope();
    }

    /** The sorted context IDs (knots of FF_2), as doubles (for plots; they differ in deep digits). */
    public double[] contextIds() {
        return ids.knots().stream().mapToDouble(kn -> kn.id().doubleValue()).toArray();
    }

    /** The number of distinct tokens in the quantized sequences (the measured vocabulary K). */
    public int vocabularySize() {
        return distinctTokens;
    }

    /** γ_max = √d (n + 1). */
    public double gammaMax() {
        return gammaMax;
    }


    List<ContextIds.Knot> knots() {
        return ids.knots();
    }

    Options options() {
        return options;
    }

    /** A short description: sizes, constants and precision. */
    @Override
    public String toString() {
        return "Theorem 2.4 construction: m = " + tables.size() + ", d = " + grid.d() + ", L = " + grid.length()
                + ", δ = 1/" + grid.steps() + ", Lp = " + code.length() + ", K = " + distinctTokens + " tokens, "
                + stage.description() + ", P = " + mc.getPrecision() + " digits, FF_1 width " + ff1.width()
                + ", FF_2 width " + ff2.width() + ", min ID gap " + Format.number(minimumIdGap()) + ", max slope "
                + Format.number(maximumSlope()) + "";
    }
}
