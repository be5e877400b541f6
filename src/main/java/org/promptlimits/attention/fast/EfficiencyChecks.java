package org.promptlimits.attention.fast;

import org.promptlimits.attention.Apti;
import org.promptlimits.attention.Attention;
import org.promptlimits.attention.PhaseTransition;
import org.promptlimits.attention.SoftPromptAttention;
import org.promptlimits.attention.exact.ReferenceAttention;
import org.promptlimits.check.Check;
import org.promptlimits.check.CheckTable;
import org.promptlimits.check.Relation;
import org.promptlimits.check.Require;

import java.util.Comparator;
import java.util.List;

/**
 * The check tables of the efficiency section (SPEC §7, Theorems 3.1 and 3.2) as notebooks 07 and 08 and
 * {@code verify} show them, with the measurements they are built from.
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
        Require.positive("deltaF", deltaF);
        int d = (log2n + 1) / 2;
        double b = c * PhaseTransition.sqrtLnN(1 << log2n);
        return MonomialFeatures.rank(d, Taylor.degree(b * b, PolynomialAttention.targetEpsilon(b, deltaF))).doubleValue();
    }

    /**
     * Notebook 07's table: E1 every feasible point of the sweep within δF, T1 the polynomial method at least as
     * fast as exact attention at the smallest B of the largest n, R1 the rank along B = √(ln n) above n at n = 2^20
     * (Theorem 3.1's side), R2 the rank along B = ¼√(ln n) below n there (Theorem 3.2's side).
     *
     * @param points a phase-transition sweep ({@link PhaseTransition#sweep}) with at least one feasible point
     * @param deltaF the δF of the sweep
     */
    public static CheckTable phaseTransition(List<PhaseTransition.Point> points, double deltaF) {
        Require.notNull("points", points);
        Require.positive("deltaF", deltaF);
        double worst = points.stream().filter(PhaseTransition.Point::feasible)
                .mapToDouble(PhaseTransition.Point::maxError).max().orElseThrow(() -> new IllegalArgumentException(
                        "points (" + points.size() + ") must include a feasible point"));
        int largest = points.stream().mapToInt(PhaseTransition.Point::n).max().orElseThrow();
        PhaseTransition.Point small = points.stream().filter(p -> p.n() == largest)
                .min(Comparator.comparingDouble(PhaseTransition.Point::bound)).orElseThrow();
        int log2n = 20;
        double n = Math.pow(2, log2n);
        String rankHow = "C(g+d, d), d = " + (log2n + 1) / 2 + ", δF = " + deltaF;
        return CheckTable.of("Phase transition of APTI (SPEC §7)",
                Check.of("E1", "max error of every feasible sweep point ≤ δF", "Thm 3.2 [P]", worst, Relation.AT_MOST,
                        deltaF, points.size() + " points, 32 sampled rows each, float64 reference"),
                Check.of("T1", "speed-up at B = " + small.bound() + ", n = " + small.n() + " ≥ 1", "Thm 3.2 [P]",
                        small.speedup(), Relation.AT_LEAST, 1, "wall clock, one run after warm-up"),
                Check.of("R1", "rank along B = √ln n at n = 2^" + log2n + " > n", "Thm 3.1 [P]",
                        rankAlongThreshold(1.0, log2n, deltaF), Relation.GREATER_THAN, n, rankHow),
                Check.of("R2", "rank along B = ¼√ln n at n = 2^" + log2n + " < n", "Thm 3.2 [P]",
                        rankAlongThreshold(0.25, log2n, deltaF), Relation.LESS_THAN, n, rankHow));
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
     * Notebook 08's table: the certificate's checks P1–P3, then F1 the feature identity (bound 10^-14), S1 the
     * polynomial method at least as fast as exact attention at n = {@code speedupN}, Q1 a small soft prompt's
     * read-out within δF, Q2 a large soft prompt refused (its rank is over the budget).
     *
     * @param cert             a certificate of the polynomial method
     * @param features         the feature map checked by F1
     * @param q                the query of F1. Not modified.
     * @param k                the key of F1. Not modified.
     * @param speedup          exact time over polynomial time at n = speedupN
     * @param speedupN         the n of that measurement
     * @param smallPromptError {@link #readOutError} for the small prompt
     * @param largeRefused     whether the polynomial method refused the large prompt's instance
     */
    public static CheckTable almostLinear(Certificate cert, MonomialFeatures features, double[] q, double[] k,
                                          double speedup, int speedupN, double smallPromptError, boolean largeRefused) {
        Require.notNull("cert", cert);
        double gap = identityGap(features, q, k);
        return cert.checks().plus(CheckTable.of("",
                Check.of("F1", "|φ(q)·φ(k) − P_g(β⟨q,k⟩)| ≤ 1e-14", "SPEC §7 [L]", gap, Relation.AT_MOST, 1e-14,
                        "d = " + features.dimension() + ", g = " + features.degree() + ", one pair"),
                Check.of("S1", "speed-up of the polynomial method at n = " + speedupN + " ≥ 1", "Thm 3.2 [P]", speedup,
                        Relation.AT_LEAST, 1, "fastest of 5 runs each, wall clock"),
                Check.of("Q1", "small prompt: |τ_P fast − exact| ≤ δF", "Thm 3.2 [P]", smallPromptError,
                        Relation.AT_MOST, cert.deltaF(), "64 read-out rows, float64 reference"),
                Check.isTrue("Q2", "large prompt: the polynomial method is refused (rank over budget)", "Thm 3.1 [P]",
                        largeRefused, "Budget.DEFAULT")));
    }
}
