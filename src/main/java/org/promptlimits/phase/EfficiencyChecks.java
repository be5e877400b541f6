package org.promptlimits.phase;

import org.promptlimits.attention.Apti;
import org.promptlimits.attention.Attention;
import org.promptlimits.attention.SoftPromptAttention;
import org.promptlimits.attention.exact.ReferenceAttention;
import org.promptlimits.attention.fast.Certificate;
import org.promptlimits.attention.fast.MonomialFeatures;
import org.promptlimits.attention.fast.PolynomialAttention;
import org.promptlimits.attention.fast.Taylor;
import org.promptlimits.check.Check;
import org.promptlimits.check.CheckTable;
import org.promptlimits.check.Fit;
import org.promptlimits.check.MeasurementTable;
import org.promptlimits.check.Relation;
import org.promptlimits.check.Require;

import java.util.Comparator;
import java.util.List;

/**
 * The check tables of the efficiency section (theory §7, Theorems 3.1 and 3.2) as notebooks 07 and 08 and
 * {@code verify} show them, and the timings beside them as measurement tables (theory §8.2): a time is a
 * fact about this machine, never a check of a theorem.
 */
public final class EfficiencyChecks {

    private EfficiencyChecks() {
    }

    /**
     * The rank r = C(g+d, d) the polynomial method needs along B = c√(ln n) at n = 2^log2n, with head dimension
     * d = ⌈log2(n)/2⌉, β = 1/d and g the smallest degree meeting δF.
     *
     * @param c      factor of √(ln n), &gt; 0
     * @param log2n  log2 of n, in [1, 30]
     * @param deltaF the output accuracy δF, &gt; 0
     */
    public static double rankAlongThreshold(double c, int log2n, double deltaF) {
        Require.positive("c", c);
        Require.inRange("log2n", log2n, 1, 30);
        Require.inOpen("deltaF", deltaF, 0, 1);
        int d = (log2n + 1) / 2;
        double b = c * PhaseTransition.sqrtLnN(1 << log2n);
        Require.that(b * b < Double.MAX_VALUE, "c (" + c + ") must keep the score bound R = (c√(ln n))² finite");
        return MonomialFeatures.rank(d, Taylor.degree(b * b, PolynomialAttention.targetEpsilon(b, deltaF))).doubleValue();
    }

    /**
     * Notebook 07's table: E1 every feasible point of the sweep within δF (a check of Theorem 3.2's accuracy on
     * this instance), and two construction facts: R1 the rank formula along B = √(ln n) exceeds n at n = 2^20,
     * R2 along B = ¼√(ln n) it stays below n. R1 and R2 evaluate C(g+d, d); they illustrate where Theorem 3.1's
     * regime begins but are not a check of it (theory §7.2). Timings are in {@link #phaseTransitionTimes}.
     *
     * @param points a phase-transition sweep ({@link PhaseTransition#sweep}) with at least one feasible point
     * @param deltaF the δF of the sweep
     */
    public static CheckTable phaseTransition(List<PhaseTransition.Point> points, double deltaF) {
        Require.noNullElements("points", points);
        Require.inOpen("deltaF", deltaF, 0, 1);
        double worst = points.stream().filter(PhaseTransition.Point::feasible)
                .mapToDouble(PhaseTransition.Point::maxError).max().orElseThrow(() -> new IllegalArgumentException(
                        "points (" + points.size() + ") must include a feasible point"));
        long feasible = points.stream().filter(PhaseTransition.Point::feasible).count();
        String measured = feasible == points.size() ? points.size() + " points"
                : feasible + " feasible points of " + points.size() + " (the others over the rank budget, not run)";
        int log2n = 20;
        double n = Math.pow(2, log2n);
        String rankHow = "C(g+d, d), d = " + (log2n + 1) / 2 + ", δF = " + deltaF;
        return CheckTable.of("Phase transition of APTI (theory §7)",
                Check.of("E1", "max error of every feasible sweep point ≤ δF", "theory §7.3 [P]", worst, Relation.AT_MOST,
                        deltaF, measured + ", " + PhaseTransition.SAMPLED_ROWS + " sampled rows each, float64 reference"),
                Check.of("R1", "rank formula along B = √ln n at n = 2^" + log2n + " > n", "theory §7.2 [C]",
                        rankAlongThreshold(1.0, log2n, deltaF), Relation.GREATER_THAN, n, rankHow).asFact(),
                Check.of("R2", "rank formula along B = ¼√ln n at n = 2^" + log2n + " < n", "theory §7.3 [C]",
                        rankAlongThreshold(0.25, log2n, deltaF), Relation.LESS_THAN, n, rankHow).asFact());
    }

    /**
     * The sweep's timings as measurements of this machine (never checks): T1 the speed-up at the smallest B of
     * the largest n, and, when the sweep has at least three sizes, the fitted exponents of n in the time of each
     * method at the smallest B (log-log least squares with 95% confidence intervals).
     *
     * @param points a phase-transition sweep with at least one feasible point
     */
    public static MeasurementTable phaseTransitionTimes(List<PhaseTransition.Point> points) {
        Require.noNullElements("points", points);
        Require.that(points.stream().anyMatch(PhaseTransition.Point::feasible),
                "points (" + points.size() + ") must include a feasible point");
        int largest = points.stream().mapToInt(PhaseTransition.Point::n).max().orElseThrow();
        PhaseTransition.Point small = points.stream().filter(p -> p.n() == largest)
                .min(Comparator.comparingDouble(PhaseTransition.Point::bound)).orElseThrow();
        double smallestB = points.stream().mapToDouble(PhaseTransition.Point::bound).min().orElseThrow();
        MeasurementTable t = MeasurementTable.of("Phase-transition timings", "theory §7.4")
                .with("T1", "speed-up of the polynomial method at B = " + small.bound() + ", n = " + small.n(),
                        small.speedup(), "×", "median of the sweep's timed runs, after warm-up");
        List<PhaseTransition.Point> atB = points.stream().filter(p -> p.bound() == smallestB)
                .sorted(Comparator.comparingInt(PhaseTransition.Point::n)).toList();
        if (atB.size() >= 3) {
            double[] ns = atB.stream().mapToDouble(PhaseTransition.Point::n).toArray();
            t = t.withSlope("T2", "exponent of n in the time of exact attention, B = " + smallestB,
                    Fit.powerLaw(ns, atB.stream().mapToDouble(PhaseTransition.Point::exactSeconds).toArray()), "log-log fit");
            List<PhaseTransition.Point> feasible = atB.stream().filter(PhaseTransition.Point::feasible).toList();
            if (feasible.size() >= 3) {
                t = t.withSlope("T3", "exponent of n in the time of the polynomial method, B = " + smallestB,
                        Fit.powerLaw(feasible.stream().mapToDouble(PhaseTransition.Point::n).toArray(),
                                feasible.stream().mapToDouble(PhaseTransition.Point::polySeconds).toArray()), "log-log fit");
            }
        }
        return t;
    }

    /**
     * |φ(q)·φ(k) − P_g(β⟨q,k⟩)|: how far the monomial features' inner product is from the degree-g Taylor
     * polynomial of exp at the scaled score (0 up to rounding).
     *
     * @param features the feature map φ (dimension d, degree g, β)
     * @param q        query, length d. Not modified.
     * @param k        key, length d. Not modified.
     */
    public static double identityGap(MonomialFeatures features, double[] q, double[] k) {
        Require.notNull("features", features);
        Require.allFinite("q", q);
        Require.allFinite("k", k);
        int d = features.dimension();
        Require.that(q.length == d && k.length == d, "q and k (lengths " + q.length + ", " + k.length
                + ") must have the features' dimension d = " + d);
        double[] fq = features.features(q, 0);
        double[] fk = features.features(k, 0);
        double dot = 0;
        for (int a = 0; a < fq.length; a++) {
            dot += fq[a] * fk[a];
        }
        double score = 0;
        for (int i = 0; i < d; i++) {
            score += q[i] * k[i];
        }
        return Math.abs(dot - Taylor.polynomial(features.degree(), features.beta() * score));
    }

    /**
     * The largest |τ_P fast − τ_P exact| over the read-out rows of an induced APTI instance, against the float64
     * reference ({@link SoftPromptAttention#readOut}).
     *
     * @param fast       the attention to compare
     * @param induced    the instance a soft prompt induces
     * @param inputRows  the number of input rows read out, ≥ 1
     */
    public static double readOutError(Attention fast, Apti induced, int inputRows) {
        Require.notNull("fast", fast);
        double[] exactOut = SoftPromptAttention.readOut(ReferenceAttention.create(), induced, inputRows);
        double[] fastOut = SoftPromptAttention.readOut(fast, induced, inputRows);
        double err = 0;
        for (int i = 0; i < fastOut.length; i++) {
            err = Math.max(err, Math.abs(fastOut[i] - exactOut[i]));
        }
        return err;
    }

    /**
     * Notebook 08's table: the certificate's rows P1–P3, then F1 the feature identity (bound 10^-14), Q1 a small
     * soft prompt's read-out within δF (checks), and Q2, a construction fact: the large prompt's instance is
     * refused because its rank is over the budget. A refusal is a property of this library's budget, not
     * Theorem 3.1's lower bound (theory §7.2). Timings are in {@link #inferenceTimes}.
     *
     * @param cert             a certificate of the polynomial method
     * @param features         the feature map checked by F1
     * @param q                the query of F1. Not modified.
     * @param k                the key of F1. Not modified.
     * @param smallPromptError {@link #readOutError} for the small prompt
     * @param largeRefused     whether the polynomial method refused the large prompt's instance
     */
    public static CheckTable almostLinear(Certificate cert, MonomialFeatures features, double[] q, double[] k,
                                          double smallPromptError, boolean largeRefused) {
        Require.notNull("cert", cert);
        double gap = identityGap(features, q, k);
        return cert.checks().plus(CheckTable.of("",
                Check.of("F1", "|φ(q)·φ(k) − P_g(β⟨q,k⟩)| ≤ 1e-14", "theory §7.3 [L]", gap, Relation.AT_MOST, 1e-14,
                        "d = " + features.dimension() + ", g = " + features.degree() + ", one pair, the polynomial"
                                + " evaluated separately"),
                Check.of("Q1", "small prompt: |τ_P fast − exact| ≤ δF", "theory §7.3 [P]", smallPromptError,
                        Relation.AT_MOST, cert.deltaF(), "64 read-out rows, float64 reference"),
                Check.isTrue("Q2", "large prompt: the polynomial method is refused (rank over the budget;"
                        + " a budget refusal, not a lower bound)", "theory §7.2 [C]", largeRefused, "Budget.DEFAULT").asFact()));
    }

    /**
     * Timings of the two methods as measurements of this machine: S1.n the speed-up at every n timed for both
     * methods (paired by n, never by position), S2 and S3 the fitted exponents of n in each method's time.
     *
     * @param polyNs       sizes timed for the polynomial method, distinct. Not modified.
     * @param polySeconds  its times, one per size. Not modified.
     * @param exactNs      sizes timed for exact attention, distinct. Not modified.
     * @param exactSeconds its times. Not modified.
     * @param how          how the times were taken (repetitions, statistic)
     */
    public static MeasurementTable inferenceTimes(int[] polyNs, double[] polySeconds, int[] exactNs, double[] exactSeconds,
                                                  String how) {
        Require.notNull("polyNs", polyNs);
        Require.notNull("exactNs", exactNs);
        Require.allFinite("polySeconds", polySeconds);
        Require.allFinite("exactSeconds", exactSeconds);
        Require.that(polyNs.length == polySeconds.length, "polyNs has " + polyNs.length + " sizes but polySeconds has "
                + polySeconds.length + " times");
        Require.that(exactNs.length == exactSeconds.length, "exactNs has " + exactNs.length
                + " sizes but exactSeconds has " + exactSeconds.length + " times");
        Require.notNull("how", how);
        MeasurementTable t = MeasurementTable.of("Exact and polynomial attention: times", "theory §7.4");
        for (int i = 0; i < exactNs.length; i++) {
            for (int j = 0; j < polyNs.length; j++) {
                if (polyNs[j] == exactNs[i]) {
                    t = t.with("S1." + exactNs[i], "speed-up of the polynomial method at n = " + exactNs[i],
                            exactSeconds[i] / polySeconds[j], "×", how);
                }
            }
        }
        if (polyNs.length >= 3) {
            t = t.withSlope("S2", "exponent of n in the time of the polynomial method",
                    Fit.powerLaw(toDouble(polyNs), polySeconds), "log-log fit, " + how);
        }
        if (exactNs.length >= 3) {
            t = t.withSlope("S3", "exponent of n in the time of exact attention",
                    Fit.powerLaw(toDouble(exactNs), exactSeconds), "log-log fit, " + how);
        }
        return t;
    }

    private static double[] toDouble(int[] a) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i];
        }
        return out;
    }
}
