package org.promptlimits.memorization;

import org.promptlimits.check.Check;
import org.promptlimits.check.CheckTable;
import org.promptlimits.check.Format;
import org.promptlimits.check.Relation;
import org.promptlimits.check.Require;
import org.promptlimits.core.IntervalForward;
import org.promptlimits.core.Matrices;
import org.promptlimits.precision.Budget;
import org.promptlimits.precision.Interval;
import org.promptlimits.quantize.Grid;
import org.promptlimits.quantize.GridTable;
import org.promptlimits.universality.ContextualStages;
import org.promptlimits.universality.GridEnclosure;
import org.promptlimits.universality.PromptCode;
import org.promptlimits.universality.Theorem24;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * The positive side of Theorem 2.5: a frozen transformer and soft prompts that memorize finite datasets (all L
 * output tokens), built by the Theorem 2.4 construction ({@link Theorem24#forTables}), with the prompt length
 * set beside the counting lower bound. theory §6 [P], §5, §8b [C].
 *
 * <p>Two builds:
 * <ul>
 *   <li>{@link #forDataset}: one dataset of (X, Y) pairs. The grid is the coarsest δ-grid that puts every
 *       input in its own cell; τ is built around this one table, so one prompt token suffices. This is no
 *       contradiction with the lower bound, which is about one frozen τ for <em>every</em> labeling.</li>
 *   <li>{@link #forLabelings}: the counting argument's own family: m labelings of the whole δ-grid with labels
 *       from Λ = {0, 3ε, 6ε, …} ∩ [0, 1], one frozen τ for all of them, prompt i coding labeling i in grid
 *       tokens. Its prompt length {@code max(1, ⌈ln m / ln δ^{−d}⌉)} equals the counting bound for m labelings
 *       ({@link PromptLengthBound#forFamily}): the construction meets the bound. For the full family,
 *       m = |Λ|^{dL δ^{−dL}}, that is the bound of Theorem 2.5 itself (16 for d = 1, L = 2, δ = ε = 1/4), and
 *       the build is refused by its size estimate: {@link #fullFamilySize}.</li>
 * </ul>
 */
public final class MemorizingConstruction {

    private final Theorem24 construction;
    private final List<List<double[][]>> labels;
    private final List<List<double[][]>> checkedInputs;
    private final PromptLengthBound familyBound;
    private final double epsilon;
    private final String kind;
    private final int outputDigits;

    private MemorizingConstruction(Theorem24 construction, List<List<double[][]>> checkedInputs,
                                   List<List<double[][]>> labels, PromptLengthBound familyBound, double epsilon,
                                   String kind, int outputDigits) {
        this.construction = construction;
        this.checkedInputs = checkedInputs;
        this.labels = labels;
        this.familyBound = familyBound;
        this.epsilon = epsilon;
        this.kind = kind;
        this.outputDigits = outputDigits;
    }

    /**
     * A frozen transformer and one prompt that memorize {@code data}: {@code τ_P(X^(i)) = Y^(i)} up to
     * 10^{−D_out} for every pair, all L output tokens.
     *
     * @param seed    seed of the contextual mapping's direction v
     * @param options Theorem 2.4 options (output digits D_out, budget)
     * @throws IllegalArgumentException if no grid with at most {@code options.budget().maxCells()} entries puts
     *                                  the inputs in distinct cells, or the construction is above the budget
     */
    public static MemorizingConstruction forDataset(Dataset data, long seed, Theorem24.Options options) {
        Require.notNull("data", data);
        Require.notNull("options", options);
        Grid grid = separatingGrid(data, options.budget());
        List<double[][]> xs = new ArrayList<>();
        List<double[][]> ys = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            xs.add(data.inputView(i));
            ys.add(data.labelView(i));
        }
        GridTable table = GridTable.fromDataset(grid, xs, ys, 0.0, options.budget());
        Theorem24 t = Theorem24.forTables(grid, List.of(table), ContextualStages.empirical(seed), options);
        PromptLengthBound bound = PromptLengthBound.forFamily(BigInteger.ONE,
                PromptSpace.gridTokens(grid.d(), grid.delta()));
        return new MemorizingConstruction(t, List.of(List.copyOf(xs)), List.of(List.copyOf(ys)), bound, Double.NaN,
                "one dataset of " + data.size() + " pairs", options.outputDigits());
    }

    /** The coarsest grid δ = 1/k, k ≥ 2, whose cells separate the inputs; refused above the budget. */
    static Grid separatingGrid(Dataset data, Budget budget) {
        for (int k = 2; ; k++) {
            Grid g = Grid.withSteps(data.d(), data.length(), k);
            Map<Long, Integer> cells = new HashMap<>();
            int[] clash = null;
            for (int i = 0; i < data.size() && clash == null; i++) {
                Integer j = cells.putIfAbsent(g.indexOf(data.inputView(i)), i);
                if (j != null) {
                    clash = new int[] {j, i};
                }
            }
            try {
                g.requireEnumerable(budget);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("no grid within the budget separates the inputs: inputs["
                        + (clash == null ? "?" : clash[0]) + "] and inputs[" + (clash == null ? "?" : clash[1])
                        + "] still share a cell at delta = 1/" + k + ", and " + e.getMessage(), e);
            }
            if (clash == null) {
                return g;
            }
        }
    }

    /**
     * The counting argument's family made executable: {@code m} distinct labelings of the δ-grid with labels
     * from Λ, drawn at random (seeded), one frozen τ and one coded prompt per labeling.
     *
     * @param m    number of labelings, 1 ≤ m ≤ |Λ|^{dL δ^{−dL}}
     * @param seed seed of the labelings and of the contextual mapping
     * @throws IllegalArgumentException on bad d, L, δ, ε, m or a construction above the budget
     */
    public static MemorizingConstruction forLabelings(int d, int L, double delta, double epsilon, int m, long seed,
                                                      Theorem24.Options options) {
        Require.notNull("options", options);
        Grid grid = Grid.of(d, L, delta);
        long labelCount = PromptLengthBound.labelCount(epsilon);
        Require.that(labelCount >= 2, "epsilon (" + epsilon + ") must be <= 1/3 so that Λ has two labels to choose from");
        Require.positive("m", m);
        long size = grid.requireEnumerable(options.budget());
        // |Λ|^(dL·N) ≥ 2^(dL·N) exceeds every int m once dL·N ≥ 31; only below that is the exact count needed (for a
        // fine grid and a small ε it has millions of digits, and computing it took minutes)
        long exponent = size * d * L;
        if (exponent < Integer.SIZE - 1) {
            BigInteger family = BigInteger.valueOf(labelCount).pow((int) exponent);
            Require.that(BigInteger.valueOf(m).compareTo(family) <= 0,
                    "m (" + m + ") must be <= |Λ|^(dL·N) = " + family + ", the number of distinct labelings");
        }
        options.budget().requireCells("Theorem 2.5 labeling family", BigDecimal.valueOf((long) m * size * L * (d + 1)),
                "m·δ^{−dL}·L·(d+1) = " + m + "·" + size + "·" + L + "·" + (d + 1),
                Budget.orLarger("use fewer labelings", "maxCells"));
        RandomGenerator rng = new SplittableRandom(seed);
        Set<List<Long>> seen = new HashSet<>();
        List<GridTable> tables = new ArrayList<>();
        List<List<double[][]>> inputs = new ArrayList<>();
        List<List<double[][]>> labels = new ArrayList<>();
        List<double[][]> points = new ArrayList<>();
        for (long g = 0; g < size; g++) {
            points.add(grid.point(g));
        }
        while (tables.size() < m) {
            List<Long> code = new ArrayList<>();
            double[][][] out = new double[(int) size][d][L];
            for (double[][] o : out) {
                for (double[] row : o) {
                    for (int l = 0; l < L; l++) {
                        // a long level: |Λ| passes 2^31 below ε ≈ 1.6e-10, and 3·level an int below ε ≈ 4.7e-10
                        long level = rng.nextLong(labelCount);
                        code.add(level);
                        row[l] = level * 3 * epsilon;
                    }
                }
            }
            if (seen.add(code)) {
                tables.add(GridTable.of(grid, out));
                inputs.add(points);
                labels.add(List.of(out));
            }
        }
        Theorem24 t = Theorem24.forTables(grid, tables, ContextualStages.empirical(seed), options);
        PromptLengthBound bound = PromptLengthBound.forFamily(BigInteger.valueOf(m), PromptSpace.gridTokens(d, delta));
        return new MemorizingConstruction(t, inputs, labels, bound, epsilon,
                m + " labelings of the δ-grid with labels in Λ (|Λ| = " + labelCount + ")", options.outputDigits());
    }

    /**
     * The size of the full counting family's construction, without building it.
     *
     * @param promptLength the prompt length it needs: the Theorem 2.5 bound with grid tokens
     * @param log10Width   log10 of its FF_2 width {@code m·δ^{−dL}·L} with {@code m = |Λ|^{dL δ^{−dL}}}
     */
    public record FamilySize(PromptLengthBound promptLength, double log10Width) {
    }

    /**
     * The size of the full counting family's construction, {@code m = |Λ|^{dL δ^{−dL}}} labelings: prompt length
     * and FF_2 width (as log10; never built).
     *
     * @throws IllegalArgumentException on bad d, L, δ, ε, or if log10 of the width is not finite in double
     */
    public static FamilySize fullFamilySize(int d, int L, double delta, double epsilon) {
        PromptLengthBound b = PromptLengthBound.gridTokens(d, L, delta, epsilon);
        long k = PromptLengthBound.inverseStep(delta);
        double log10N = (double) d * L * Math.log10(k);
        double log10M = Math.pow(10, log10N) * d * L * Math.log10(PromptLengthBound.labelCount(epsilon));
        double width = log10M + log10N + Math.log10(L);
        Require.that(Double.isFinite(width), "log10 of the FF_2 width (" + width + ") must be finite; reduce d·L or raise delta");
        return new FamilySize(b, width);
    }

    /**
     * Tries to build the full counting family; always refused by the budget except for trivial sizes.
     *
     * @throws IllegalArgumentException naming the estimate and the budget field
     */
    public static MemorizingConstruction forAllLabelings(int d, int L, double delta, double epsilon,
                                                         Theorem24.Options options) {
        Require.notNull("options", options);
        double log10Width = fullFamilySize(d, L, delta, epsilon).log10Width();
        BigDecimal width = log10Width > 300 ? BigDecimal.TEN.pow(300) : new BigDecimal(Math.pow(10, log10Width));
        options.budget().requireCells("Theorem 2.5 full labeling family (FF_2 width m·δ^{−dL}·L)", width,
                "m = |Λ|^(dL·δ^{−dL}), width ≈ 10^" + Format.number(new BigDecimal(log10Width))
                        + (log10Width > 300 ? " (shown capped at 10^300)" : ""),
                Budget.orLarger("build a sub-family with forLabelings", "maxCells"));
        long n = BigInteger.valueOf(PromptLengthBound.inverseStep(delta)).pow(d * L).longValueExact();
        BigInteger family = BigInteger.valueOf(PromptLengthBound.labelCount(epsilon)).pow((int) (n * d * L));
        return forLabelings(d, L, delta, epsilon, family.intValueExact(), 1, options);
    }

    /** The Theorem 2.4 construction underneath. */
    public Theorem24 construction() {
        return construction;
    }

    /** Lp of the construction's prompts. */
    public int promptLength() {
        return construction.promptCode().length();
    }

    /** The number of labelings (prompts) m. */
    public int labelingCount() {
        return construction.targetCount();
    }

    /** The counting lower bound for this family of m labelings with grid-token prompts. */
    public PromptLengthBound familyBound() {
        return familyBound;
    }

    /** The prompt of labeling i (grid tokens), as doubles. */
    public double[][] prompt(int i) {
        return construction.promptCode().prompt(i);
    }

    /** τ_{P_i}(X) rounded to double. */
    public double[][] output(int i, double[][] x) {
        return construction.output(i, x);
    }

    /**
     * M1, certified: the enclosure of the largest {@code |τ_{P_i}(X) − Y|} over every checked pair of every labeling,
     * evaluated from the stored weights in outward-rounded interval arithmetic (not a rerun of the construction's
     * own rounding), decided by its upper end. theory §6.1, §8.3.
     */
    public Check memorizationCheck() {
        MathContext mc = construction.precision();
        Interval worst = Interval.point(BigDecimal.ZERO);
        int pairs = 0;
        for (int i = 0; i < checkedInputs.size(); i++) {
            for (int j = 0; j < checkedInputs.get(i).size(); j++) {
                Interval[][] out = GridEnclosure.output(construction, i, checkedInputs.get(i).get(j), mc);
                worst = worst.max(IntervalForward.maxAbsDifference(out, Matrices.exact(labels.get(i).get(j)), mc));
                pairs++;
            }
        }
        return Check.certified("M1", "max over labelings i and pairs (X, Y) of ‖τ_{P_i}(X) − Y‖_max (all L tokens)",
                "theory §6.1 [P]", worst.lo(), worst.hi(), Relation.AT_MOST, BigDecimal.ONE.scaleByPowerOfTen(-outputDigits),
                pairs + " pairs, stored weights in interval arithmetic at " + mc.getPrecision() + " digits");
    }

    /** M2: Lp of the construction equals max(1, the counting bound for its m labelings): it meets the bound. */
    public Check meetsBoundCheck() {
        BigInteger bound = familyBound.minimumLength().max(BigInteger.ONE);
        return Check.of("M2", "Lp of the construction = max(1, ⌈ln m / ln δ^{−d}⌉), the counting bound for m labelings",
                "theory §6.2 [C]", BigDecimal.valueOf(promptLength()), Relation.EQUALS, new BigDecimal(bound),
                "m = " + labelingCount() + ", grid tokens m_tok = " + construction.grid().tokenCount()).asFact();
    }

    /**
     * M1, M2 and the size checks of the Theorem 2.4 construction; for a labeling family also M3: every two
     * labelings differ by at least 3ε somewhere (so no prompt serves two of them).
     */
    public CheckTable checks() {
        List<Check> cs = new ArrayList<>();
        cs.add(memorizationCheck());
        cs.add(meetsBoundCheck());
        if (!Double.isNaN(epsilon) && labels.size() > 1) {
            cs.add(separationCheck());
        }
        cs.addAll(construction.sizeChecks());
        return CheckTable.of("Memorization by the Theorem 2.4 construction: " + kind + " (d = " + construction.grid().d()
                + ", L = " + construction.grid().length() + ", δ = 1/" + construction.grid().steps() + ", Lp = "
                + promptLength() + ")", cs);
    }

    private Check separationCheck() {
        double min = Double.POSITIVE_INFINITY;
        for (int a = 0; a < labels.size(); a++) {
            for (int b = a + 1; b < labels.size(); b++) {
                double max = 0;
                for (int j = 0; j < labels.get(a).size(); j++) {
                    double[][] ya = labels.get(a).get(j);
                    double[][] yb = labels.get(b).get(j);
                    for (int r = 0; r < ya.length; r++) {
                        for (int l = 0; l < ya[r].length; l++) {
                            max = Math.max(max, Math.abs(ya[r][l] - yb[r][l]));
                        }
                    }
                }
                min = Math.min(min, max);
            }
        }
        return Check.of("M3", "min over labeling pairs of max_X ‖Y_a(X) − Y_b(X)‖_max ≥ 3ε (one prompt cannot serve two)",
                "theory §6.2 [C]", min, Relation.AT_LEAST, 3 * epsilon * (1 - 1e-12),
                labels.size() + " labelings from Λ = {0, 3ε, 6ε, …}, double").asFact();
    }

    @Override
    public String toString() {
        return "Memorizing construction (" + kind + "): Lp = " + promptLength()
                + ", counting bound for its m labelings max(1, " + familyBound.minimumLength() + ") = "
                + familyBound.minimumLength().max(BigInteger.ONE) + "; " + construction;
    }
}
