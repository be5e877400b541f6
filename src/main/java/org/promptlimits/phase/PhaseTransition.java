package org.promptlimits.phase;

import org.promptlimits.check.Interrupts;
import org.promptlimits.attention.Apti;
import org.promptlimits.attention.exact.BlockedAttention;
import org.promptlimits.attention.exact.ReferenceAttention;
import org.promptlimits.attention.fast.MonomialFeatures;
import org.promptlimits.attention.fast.PolynomialAttention;
import org.promptlimits.attention.fast.Taylor;
import org.promptlimits.check.Require;
import org.promptlimits.precision.Budget;
import org.promptlimits.sweep.Grid;
import org.promptlimits.sweep.LocalExecutor;
import org.promptlimits.sweep.Timer;
import org.promptlimits.sweep.WallClock;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The phase transition of Theorems 3.1 and 3.2: over a grid of n and B, the degree g and rank
 * r = C(g+d, d) the polynomial method needs for δF, the time of exact and polynomial attention, and the
 * measured error. Below B ≈ √(ln n) the rank stays far below n and the polynomial method wins; as
 * B² grows like ln n the rank reaches n and exact attention wins. theory §7 [P statement, L algorithm].
 *
 * <p>Times come from the caller's {@link Timer} (e.g. {@link WallClock#median}): single-threaded, float64; they
 * are measurements for tables and plots, not guarantees. The rest of a point depends only on the point and its
 * seed. The package sits above {@code attention}, {@code attention.exact} and {@code attention.fast}, which it
 * compares, so none of them depends on it.
 */
public final class PhaseTransition {

    /** Rows of each feasible sweep point whose error is measured against the float64 exact reference. */
    public static final int SAMPLED_ROWS = 32;

    private PhaseTransition() {
    }

    /**
     * One grid point.
     *
     * @param n            rows (queries = keys)
     * @param d            head dimension
     * @param bound        B
     * @param scoreBound   R = β d B²
     * @param degree       g chosen for δF (−1 if no degree up to {@link Taylor#MAX_DEGREE} suffices)
     * @param rank         r = C(g+d, d) (may be astronomically large; see {@link #feasible})
     * @param feasible     whether the rank fitted the budget, so the polynomial method ran
     * @param exactSeconds time of exact blocked attention by the caller's timer (NaN if not timed)
     * @param polySeconds  time of the polynomial method by that timer (+∞ when not feasible)
     * @param maxError     max |poly − exact| on sampled rows (+∞ when not feasible)
     * @param deltaF       δF
     */
    public record Point(int n, int d, double bound, double scoreBound, int degree, BigInteger rank, boolean feasible,
                        double exactSeconds, double polySeconds, double maxError, double deltaF) {

        /** "polynomial" or "exact": the faster algorithm at this point. */
        public String winner() {
            return polySeconds < exactSeconds ? "polynomial" : "exact";
        }

        /** exact time / polynomial time (0 when the polynomial method did not run). */
        public double speedup() {
            return feasible ? exactSeconds / polySeconds : 0;
        }

        /** B / √(ln n): the threshold coordinate (Theorem 3.1 needs B = Ω(√log n), Theorem 3.2 B = o(√log n)). */
        public double boundOverSqrtLnN() {
            return bound / Math.sqrt(Math.log(n));
        }
    }

    /** The largest n a crossover search measures: exact attention at 2^20 rows already takes minutes. */
    public static final int MAX_N = 1 << 20;

    /** √(ln n), the threshold line B = √(ln n) of the phase transition. */
    public static double sqrtLnN(int n) {
        Require.that(n >= 2, "n (" + n + ") must be >= 2");
        return Math.sqrt(Math.log(n));
    }

    /**
     * Sweeps n × B (n outer, B inner) as the {@link PhaseSweep} on one thread (timings need a core of their own):
     * for each point, a seeded APTI instance, the degree g for δF, both algorithms timed by {@code timer}, and
     * the measured error. Point seeds derive from {@code seed} and the point.
     *
     * @param timer  how to time each algorithm ({@link Timer#skip()} leaves the times NaN)
     * @param budget limits the rank (via {@link MonomialFeatures#of}); points over it are reported infeasible
     */
    public static List<Point> sweep(int d, int[] ns, double[] bounds, double deltaF, double beta, Timer timer,
                                    long seed, Budget budget) {
        Require.notNull("ns", ns);          // d, deltaF, beta, timer and budget: checked by PhaseSweep and its Setting
        Require.notNull("bounds", bounds);
        // the arrays element by element, naming them (a grid point's own check would name its field)
        Require.that(ns.length > 0, "ns (0 values) must hold at least one n");
        Require.that(bounds.length > 0, "bounds (0 values) must hold at least one B");
        for (int i = 0; i < ns.length; i++) {
            Require.that(ns[i] >= 2, "ns[" + i + "] (" + ns[i] + ") must be >= 2");
            Budget.DEFAULT.requireArray("APTI instance at ns[" + i + "] (Q, K, V: 3·n·d doubles)", Double.BYTES,
                    Budget.orMoreHeap("lower ns[" + i + "] or d"), 3, ns[i], d);
        }
        Require.positive("beta", beta);
        for (int i = 0; i < bounds.length; i++) {
            Require.positive("bounds[" + i + "]", bounds[i]);
            Require.that(Double.isFinite(beta * d * bounds[i] * bounds[i]), "beta·d·bounds[" + i + "]² ("
                    + beta + "·" + d + "·" + bounds[i] + "²) must be finite: it is the score bound R; lower beta or B");
        }
        Map<String, List<?>> values = Map.of("d", List.of(d), "n", Arrays.stream(ns).boxed().toList(),
                "bound", Arrays.stream(bounds).boxed().toList());
        Grid<PhaseSweep.Setting> grid = Grid.product(PhaseSweep.Setting.class, values);
        return new LocalExecutor(1).results(new PhaseSweep(deltaF, beta, budget, timer, seed), grid);
    }

    /** One point of the sweep: see {@link #sweep}. */
    static Point point(int n, int d, double b, double deltaF, double beta, Timer timer, long seed, Budget budget) {
        Apti p = Apti.random(n, d, b, deltaF, beta, seed);
        double r = p.scoreBound();
        int g;
        try {
            g = Taylor.degree(r, PolynomialAttention.targetEpsilon(b, deltaF));
        } catch (IllegalArgumentException tooLarge) {
            g = -1;
        }
        BigInteger rank = g < 0 ? BigInteger.ZERO : MonomialFeatures.rank(d, g);
        BlockedAttention exact = BlockedAttention.create();
        double te = timer.seconds(() -> exact.attend(p));
        PolynomialAttention pa = null;
        if (g >= 0) {
            try {
                pa = PolynomialAttention.ofDegree(d, g, beta, budget);
            } catch (IllegalArgumentException overBudget) {
                pa = null;
            }
        }
        if (pa == null) {
            return new Point(n, d, b, r, g, rank, false, te, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, deltaF);
        }
        PolynomialAttention fpa = pa;
        double tp = timer.seconds(() -> fpa.attend(p));
        double err = fpa.certify(p, fpa.attend(p), SAMPLED_ROWS, seed).measuredError();
        return new Point(n, d, b, r, g, rank, true, te, tp, err, deltaF);
    }

    /**
     * The crossover n* for a fixed (d, g): the smallest n in a doubling sequence from 8 where the polynomial
     * method is faster than exact attention (each timed by {@code timer}, e.g. {@link WallClock#fastest}); beyond
     * nMax, extrapolated from the last measured ratio with exact ∝ n² and polynomial ∝ n.
     *
     * @param d    head dimension
     * @param g    degree
     * @param nMax the largest n measured
     */
    public static Crossover crossover(int d, int g, double beta, int nMax, Timer timer, long seed, Budget budget) {
        Require.notNull("timer", timer);
        Require.inRange("nMax", nMax, 8, MAX_N);
        PolynomialAttention pa = PolynomialAttention.ofDegree(d, g, beta, budget);
        BlockedAttention exact = BlockedAttention.create();
        double ratio = 0;
        int n = 8;
        for (; n <= nMax; n *= 2) { // nMax ≤ 2^20: n never overflows
            Interrupts.check();
            Apti p = Apti.random(n, d, 1, 0.5, beta, seed);
            double te = timer.seconds(() -> exact.attend(p));
            double tp = timer.seconds(() -> pa.attend(p));
            ratio = tp / te;
            if (tp < te) {
                return new Crossover(d, g, pa.rank(), n, true);
            }
        }
        int last = n / 2;
        return new Crossover(d, g, pa.rank(), last * ratio, false);
    }

    /**
     * Where the polynomial method starts to win.
     *
     * @param nStar    the crossover n* (measured: the first doubling n that wins; else extrapolated)
     * @param measured whether n* was measured (true) or extrapolated from the cost model (false)
     */
    public record Crossover(int d, int degree, int rank, double nStar, boolean measured) {
    }

    /** Exact attention of the sampled rows only, for error columns in notebooks: a thin wrapper of the oracle. */
    public static double[] exactRows(Apti p, int[] rows) {
        Require.notNull("p", p);
        return ReferenceAttention.create().rows(rows, p.n(), p.n(), p.d(), p.d(), p.q(), p.k(), p.v(), p.beta());
    }

    /**
     * The least-squares slope of log y against log x: the exponent k in time ≈ c·n^k (≈ 1 for the polynomial
     * method, ≈ 2 for exact attention).
     *
     * @throws IllegalArgumentException unless x and y have the same length ≥ 2 and all entries are positive
     */
    public static double logLogSlope(double[] x, double[] y) {
        Require.notNull("x", x);
        Require.notNull("y", y);
        Require.that(x.length == y.length && x.length >= 2,
                "x and y (lengths " + x.length + ", " + y.length + ") must have the same length >= 2");
        double mx = 0, my = 0;
        for (int i = 0; i < x.length; i++) {
            Require.positive("x[" + i + "]", x[i]);
            Require.positive("y[" + i + "]", y[i]);
            mx += Math.log(x[i]) / x.length;
            my += Math.log(y[i]) / x.length;
        }
        double sxy = 0, sxx = 0;
        for (int i = 0; i < x.length; i++) {
            double dx = Math.log(x[i]) - mx;
            sxy += dx * (Math.log(y[i]) - my);
            sxx += dx * dx;
        }
        Require.that(sxx > 0, "x must hold at least two different values");
        return sxy / sxx;
    }
}
