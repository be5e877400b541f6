package org.promptlimits.quantize;

import org.promptlimits.check.Check;
import org.promptlimits.check.Format;
import org.promptlimits.check.Relation;
import org.promptlimits.check.Require;
import org.promptlimits.core.Matrices;
import org.promptlimits.core.Tokens;
import org.promptlimits.precision.Budget;

import java.math.BigDecimal;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import java.util.random.RandomGenerator;

/**
 * A Monte-Carlo estimate of {@code d_p(f, g) = (∫_{[0,1]^{d×L}} ‖f(X) − g(X)‖_p^p dX)^{1/p}} with a confidence
 * interval. theory §1.
 *
 * <p>With N uniform samples, the mean W̄ of {@code W = ‖f(X) − g(X)‖_p^p} and its standard error s/√N give the
 * normal-approximation interval {@code [W̄ − z s/√N, W̄ + z s/√N]} for E W (z = 1.96 for 95%); taking the
 * p-th root (monotone) gives the interval for d_p. Checks compare the upper end with ε, which is the
 * conservative choice.
 *
 * @param estimate   {@code W̄^{1/p}}
 * @param lower      lower end of the interval (0 if W̄ − z s/√N &lt; 0)
 * @param upper      upper end of the interval
 * @param p          the exponent
 * @param samples    N
 * @param confidence the nominal coverage, 0.95
 * @param seed       the seed of the sample
 */
public record DistanceEstimate(double estimate, double lower, double upper, double p, int samples, double confidence,
                               long seed) {

    private static final double Z95 = 1.959963984540054;

    /**
     * Estimates d_p(f, g) on N uniform samples of [0,1]^{d×L} within {@link Budget#DEFAULT} (60 s):
     * {@link #of(int, int, double, UnaryOperator, UnaryOperator, int, long, Budget)}.
     */
    public static DistanceEstimate of(int d, int L, double p, UnaryOperator<double[][]> f, UnaryOperator<double[][]> g,
                                      int samples, long seed) {
        return of(d, L, p, f, g, samples, seed, Budget.DEFAULT);
    }

    /**
     * Estimates d_p(f, g) on N uniform samples of [0,1]^{d×L}.
     *
     * @param f, g    maps from d×L arrays to d×L arrays (they receive copies)
     * @param samples N ≥ 2
     * @param budget  limits one sample's arrays ({@link Budget#maxBytes()}) and the estimated time of the N samples
     *                ({@link Budget#maxSeconds()}, {@link Budget#repetitions})
     * @throws IllegalArgumentException if a map returns a wrong shape or a non-finite value, or when N samples at
     *                                  their measured cost would take longer than the budget's maxSeconds (decided
     *                                  after maxSeconds / {@link Budget#TRUST_FRACTION})
     */
    public static DistanceEstimate of(int d, int L, double p, UnaryOperator<double[][]> f, UnaryOperator<double[][]> g,
                                      int samples, long seed, Budget budget) {
        Require.positive("d", d);
        Require.positive("L", L);
        Require.that(p >= 1 && Double.isFinite(p), "p (" + p + ") must be finite and >= 1");
        Require.notNull("f", f);
        Require.notNull("g", g);
        Require.that(samples >= 2, "samples (" + samples + ") must be >= 2");
        Require.notNull("budget", budget);
        budget.requireArray("one sample X (d×L doubles)", Double.BYTES, Budget.orLarger("lower d or L", "maxBytes"),
                d, L);
        RandomGenerator rnd = new SplittableRandom(seed);
        double sum = 0;
        double sumSq = 0;
        Budget.Repetitions guard = budget.repetitions("Monte Carlo d_p", samples, "samples");
        for (int s = 0; s < samples; s++) {
            guard.before(s);
            double[][] x = LipschitzSpotCheck.uniform(rnd, d, L);
            double[][] fx = f.apply(Matrices.copy(x));
            double[][] gx = g.apply(Matrices.copy(x));
            Tokens.requireShape("f(X)", fx, d, L);
            Tokens.requireShape("g(X)", gx, d, L);
            double w = Math.pow(Tokens.pDistance(fx, gx, p), p);
            sum += w;
            sumSq += w * w;
        }
        double mean = sum / samples;
        double var = Math.max(0, (sumSq - samples * mean * mean) / (samples - 1));
        double half = Z95 * Math.sqrt(var / samples);
        return new DistanceEstimate(Math.pow(mean, 1 / p), Math.pow(Math.max(0, mean - half), 1 / p),
                Math.pow(mean + half, 1 / p), p, samples, 0.95, seed);
    }

    /** The check "upper end of the 95% interval for d_p ≤ ε". */
    public Check atMost(String id, String claim, String spec, double epsilon) {
        Require.finite("epsilon", epsilon);
        return Check.of(id, claim, spec, new BigDecimal(upper), Relation.AT_MOST, new BigDecimal(epsilon), method());
    }

    /** How it was measured, e.g. "Monte Carlo, N = 2000 uniform X, seed 7, upper end of 95% CI; estimate 0.012". */
    public String method() {
        return "Monte Carlo, N = " + samples + " uniform X, seed " + seed + ", upper end of 95% CI [" + fmt(lower)
                + ", " + fmt(upper) + "]; estimate " + fmt(estimate);
    }

    private static String fmt(double v) {
        return Format.number(v);
    }
}
