package org.promptlimits.quantize;

import org.promptlimits.check.Check;
import org.promptlimits.check.Format;
import org.promptlimits.check.Relation;
import org.promptlimits.check.Require;
import org.promptlimits.core.Tokens;
import org.promptlimits.precision.Budget;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * The quantized target {@code f̄(X) = Q_y(f(G))} for X in the cell of grid point G, where Q_y rounds each
 * entry to the nearest multiple of the output step δ_y (1/δ_y an integer). theory §4 [L].
 *
 * <p>Guarantee: {@code sup_X ‖f(X) − f̄(X)‖_p ≤ L_f δ (dL)^{1/p} + (δ_y/2)(dL)^{1/p}} — the first term because
 * every entry of X − G is below δ, the second because rounding moves each entry by at most δ_y/2.
 * {@link #forEpsilon} picks δ ≤ ε/(2 L_f (dL)^{1/p}) and δ_y ≤ ε/(2 (dL)^{1/p}), so the error is below ε.
 * Immutable; f̄ is evaluated on demand (f at the cell's grid point), the full table only on request
 * under a {@link Budget}.
 */
public final class QuantizedFunction {

    private final Seq2Seq f;
    private final Grid grid;
    private final int outputSteps;

    private QuantizedFunction(Seq2Seq f, Grid grid, int outputSteps) {
        this.f = f;
        this.grid = grid;
        this.outputSteps = outputSteps;
    }

    /**
     * f̄ with input step δ and output step δ_y.
     *
     * @param f      the target
     * @param delta  δ ∈ (0, 1), 1/δ an integer
     * @param deltaY δ_y ∈ (0, 1), 1/δ_y an integer
     * @throws IllegalArgumentException if a step is out of range or its inverse is not an integer
     */
    public static QuantizedFunction of(Seq2Seq f, double delta, double deltaY) {
        Require.notNull("f", f);
        Grid grid = Grid.of(f.d(), f.length(), delta);
        return new QuantizedFunction(f, grid, Grid.stepsPerUnit("deltaY", deltaY));
    }

    /**
     * f̄ with the steps theory §4 prescribes for accuracy ε: {@code 1/δ = ⌈2 L_f (dL)^{1/p} / ε⌉} and
     * {@code 1/δ_y = ⌈2 (dL)^{1/p} / ε⌉}, so that {@code sup ‖f − f̄‖_p ≤ ε}.
     *
     * @param epsilon ε ∈ (0, 1)
     */
    public static QuantizedFunction forEpsilon(Seq2Seq f, double epsilon) {
        Require.notNull("f", f);
        Require.inOpen("epsilon", epsilon, 0, 1);
        return new QuantizedFunction(f, Grid.withSteps(f.d(), f.length(), inputSteps(f, epsilon)),
                outputSteps(f.d(), f.length(), f.p(), epsilon));
    }

    /** {@code ⌈2 L_f (dL)^{1/p} / ε⌉}, the number of input steps per unit for accuracy ε. */
    public static int inputSteps(Seq2Seq f, double epsilon) {
        Require.notNull("f", f);
        Require.positive("epsilon", epsilon);
        return ceilSteps(2 * f.lipschitz() * Math.pow((double) f.d() * f.length(), 1 / f.p()) / epsilon);
    }

    /** {@code ⌈2 (dL)^{1/p} / ε⌉}, the number of output steps per unit for accuracy ε. */
    public static int outputSteps(int d, int L, double p, double epsilon) {
        Require.positive("d", d);
        Require.positive("L", L);
        Require.that(p >= 1 && p < Double.POSITIVE_INFINITY, "p (" + p + ") must be finite and >= 1");
        Require.positive("epsilon", epsilon);
        return ceilSteps(2 * Math.pow((double) d * L, 1 / p) / epsilon);
    }

    private static int ceilSteps(double v) {
        double c = Math.ceil(v - 1e-9 * v);
        Require.that(c < Integer.MAX_VALUE, "1/delta (" + v + ") must be below 2^31; increase epsilon");
        return (int) Math.max(1, c);
    }

    public Seq2Seq target() {
        return f;
    }

    public Grid grid() {
        return grid;
    }

    /** 1/δ_y, the number of output steps per unit; output levels are j·δ_y, j = 0..1/δ_y. */
    public int outputSteps() {
        return outputSteps;
    }

    /** δ_y. */
    public double deltaY() {
        return 1.0 / outputSteps;
    }

    /** The output levels {@code round(f(G)/δ_y)} at grid point {@code index}. */
    public int[][] levelsAt(long index) {
        return levels(grid.point(index));
    }

    /** {@code round(f(G)/δ_y)} at the grid point G. */
    private int[][] levels(double[][] point) {
        double[][] y = f.apply(point);
        int[][] lv = new int[grid.d()][grid.length()];
        for (int i = 0; i < grid.d(); i++) {
            for (int l = 0; l < grid.length(); l++) {
                lv[i][l] = (int) Math.round(y[i][l] * outputSteps);
            }
        }
        return lv;
    }

    /** f̄ at grid point {@code index}: the levels times δ_y. */
    public double[][] valueAt(long index) {
        return value(levelsAt(index));
    }

    /** The levels times δ_y. */
    private double[][] value(int[][] lv) {
        double[][] y = new double[grid.d()][grid.length()];
        for (int i = 0; i < grid.d(); i++) {
            for (int l = 0; l < grid.length(); l++) {
                y[i][l] = (double) lv[i][l] / outputSteps;
            }
        }
        return y;
    }

    /** f̄(X) for X ∈ [0,1]^{d×L}: f at the point of X's cell, quantized (no cell index: any grid size). */
    public double[][] apply(double[][] x) {
        return value(levels(grid.cellPoint(x)));
    }

    /**
     * The whole table of f̄ on the grid.
     *
     * @throws IllegalArgumentException if the grid exceeds the budget ({@link Grid#requireEnumerable})
     */
    public GridTable table(Budget budget) {
        int size = Math.toIntExact(grid.requireEnumerable(budget));   // below Java's array limit
        double[][][] out = new double[size][][];
        for (int g = 0; g < size; g++) {
            out[g] = valueAt(g);
        }
        return GridTable.of(grid, out);
    }

    /** The guaranteed sup error {@code L_f δ (dL)^{1/p} + (δ_y/2)(dL)^{1/p}}. */
    public double supErrorBound() {
        double root = Math.pow((double) grid.d() * grid.length(), 1 / f.p());
        return f.lipschitz() * grid.delta() * root + deltaY() / 2 * root;
    }

    /** The sup error check within {@link Budget#DEFAULT} (60 s): {@link #supErrorCheck(String, int, long, Budget)}. */
    public Check supErrorCheck(String id, int samples, long seed) {
        return supErrorCheck(id, samples, seed, Budget.DEFAULT);
    }

    /**
     * The largest {@code ‖f(X) − f̄(X)‖_p} over sampled X: half uniform points, half points just below the upper
     * corner of a random cell (where the input error is largest). A lower estimate of the true sup.
     *
     * @param samples number of points ≥ 1
     * @param seed    random seed
     * @param budget  its maxSeconds holds the samples ({@link Budget#repetitions})
     * @return the check "measured sup error ≤ bound", with the sample size in its method
     * @throws IllegalArgumentException when the samples at their measured cost would take longer than the budget's
     *                                  maxSeconds (decided after maxSeconds / {@link Budget#TRUST_FRACTION})
     */
    public Check supErrorCheck(String id, int samples, long seed, Budget budget) {
        Require.positive("samples", samples);
        Require.notNull("budget", budget);
        RandomGenerator rnd = new SplittableRandom(seed);
        double worst = 0;
        double corner = grid.delta() * (1 - 1e-9);
        Budget.Repetitions guard = budget.repetitions("sup error check", samples, "samples");
        for (int s = 0; s < samples; s++) {
            guard.before(s);
            double[][] x = LipschitzSpotCheck.uniform(rnd, grid.d(), grid.length());
            if (s % 2 == 1) {
                x = grid.cellPoint(x);
                for (double[] row : x) {
                    for (int l = 0; l < row.length; l++) {
                        row[l] = Math.min(1, row[l] + corner);
                    }
                }
            }
            worst = Math.max(worst, Tokens.pDistance(f.apply(x), apply(x), f.p()));
        }
        return Check.of(id, "sup ‖f − f̄‖_p ≤ L_f δ (dL)^{1/p} + (δ_y/2)(dL)^{1/p}", "theory §4 [L]",
                new BigDecimal(worst), Relation.AT_MOST, new BigDecimal(supErrorBound()),
                "max over " + samples + " points (half at cell corners), seed " + seed + ", δ = 1/" + grid.steps()
                        + ", δ_y = 1/" + outputSteps);
    }

    /**
     * log10 of {@code |F̄| ≤ (1/δ_y + 1)^{dL δ^{−dL}}}, the number of quantized functions on this grid.
     *
     * @throws IllegalArgumentException if even the log10 overflows double (δ^{−dL} beyond 10^308)
     */
    public static double log10FamilySize(Grid grid, int outputSteps) {
        Require.notNull("grid", grid);
        Require.positive("outputSteps", outputSteps);
        return Require.finiteResult("log10 |F̄|",
                (double) grid.d() * grid.length() * Math.pow(10, grid.log10Size()) * Math.log10(outputSteps + 1.0),
                "the grid has " + Format.power10(grid.log10Size()) + " points, too many for even the log10 of the"
                        + " count to fit a double; lower d or L, or increase delta");
    }

    /**
     * {@code |F̄| = (1/δ_y + 1)^{dL δ^{−dL}}} exactly, when it has at most {@code budget.maxDigits} digits.
     *
     * @throws IllegalArgumentException if the count has more digits than the budget allows
     */
    public static BigInteger familySize(Grid grid, int outputSteps, Budget budget) {
        Require.notNull("budget", budget);
        double digits = log10FamilySize(grid, outputSteps) + 1;
        budget.requireDigits("|F̄|", new BigDecimal(Math.ceil(digits)), "dL·δ^{-dL}·log10(1/δ_y + 1)",
                Budget.orLarger("read it as a log10 (log10FamilySize), or increase delta or deltaY", "maxDigits"));
        long exponent = grid.size().multiply(BigInteger.valueOf((long) grid.d() * grid.length())).longValueExact();
        return BigInteger.valueOf(outputSteps + 1L).pow(Math.toIntExact(exponent));
    }

    @Override
    public String toString() {
        return "f̄ of " + f.name() + " (δ = 1/" + grid.steps() + ", δ_y = 1/" + outputSteps + ")";
    }
}
