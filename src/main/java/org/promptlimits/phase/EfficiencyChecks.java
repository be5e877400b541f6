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

    /**
     * The expected effects of notebook 07's exercises: X1 β = 1 never needs a smaller degree than β = 1/4, X2 a
     * 100× smaller δF raises the degree, X3 the rank for d = 8 exceeds the rank for d = 4 at the same degree.
     *
     * @param neverSmaller whether g(β = 1) ≥ g(β = 1/4) at every B tried
     * @param gLoose       the degree for δF = 10^-2
     * @param gTight       the degree for δF = 10^-4
     * @param rank4        C(g+4, 4)
     * @param rank8        C(g+8, 8) at the same g
     */
    public static CheckTable phaseTransitionExercises(boolean neverSmaller, int gLoose, int gTight, long rank4, long rank8) {
        Require.that(rank4 > 0, "rank4 (" + rank4 + ") must be > 0");
        return CheckTable.of("Exercises of notebook 07",
                Check.isTrue("X1", "β = 1 never needs a smaller degree than β = 1/4", "SPEC §7", neverSmaller, "B = 0.25..2"),
                Check.of("X2", "degree grows when δF shrinks 100×: g(1e-4) − g(1e-2)", "SPEC §7", gTight - gLoose,
                        Relation.GREATER_THAN, 0, "B = 1, d = 4"),
                Check.of("X3", "rank for d = 8 over rank for d = 4 at the same g", "SPEC §7", (double) rank8 / rank4,
                        Relation.GREATER_THAN, 1, "C(g+d, d)"));
    }

    /**
     * The expected effects of notebook 08's exercises: X1a every fixed degree stays within its proven bound, X1b the
     * error at g = 7 is below 1% of the error at g = 2, X2 the first refused prompt induces a larger B than the
     * smallest prompt (0 when none was refused), X3 the rank for d = 8 exceeds the rank for d = 4 at g = 3.
     *
     * @param withinBound  whether measured ≤ proven for every degree tried
     * @param errorFirst   measured error at g = 2, &gt; 0
     * @param errorLast    measured error at g = 7
     * @param bRefused     B of the first refused prompt, or a value ≤ 0 when none was refused
     * @param bSmall       B of the smallest prompt, &gt; 0
     * @param rank4        the polynomial method's rank for d = 4
     * @param rank8        its rank for d = 8
     */
    public static CheckTable inferenceExercises(boolean withinBound, double errorFirst, double errorLast, double bRefused,
                                                double bSmall, int rank4, int rank8) {
        Require.positive("errorFirst", errorFirst);
        Require.positive("bSmall", bSmall);
        Require.positive("rank4", rank4);
        return CheckTable.of("Exercises of notebook 08",
                Check.isTrue("X1a", "every fixed degree stays within its proven bound", "SPEC §7 [L]", withinBound,
                        "g = 2..7, 256 rows"),
                Check.of("X1b", "error at g = 7 over error at g = 2", "SPEC §7 [L]", errorLast / errorFirst,
                        Relation.LESS_THAN, 1e-2, "256 rows"),
                Check.of("X2", "B where the method is first refused over B of the smallest prompt", "Thm 3.1 [P]",
                        bRefused > 0 ? bRefused / bSmall : 0, Relation.GREATER_THAN, 1, "prompt scales 0.5..8"),
                Check.of("X3", "rank for d = 8 over rank for d = 4 at g = 3", "SPEC §7", (double) rank8 / rank4,
                        Relation.GREATER_THAN, 1, "C(g+d, d)"));
    }
}
