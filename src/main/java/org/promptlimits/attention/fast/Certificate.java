package org.promptlimits.attention.fast;

import org.promptlimits.check.Check;
import org.promptlimits.check.CheckTable;
import org.promptlimits.check.Relation;
import org.promptlimits.check.Require;

/**
 * The certificate of one polynomial-method output: degree g, rank r = C(g+d, d), two proven error bounds and
 * the measured max error against exact attention on a sample of rows. theory §7 [L]; the (1 − ε) factor is our
 * correction of the denominator's error [C].
 *
 * <ul>
 *   <li>a priori, from the entry bound: R = βdB², ε(g, R) = R^{g+1}e^{R}/(g+1)!, bound 2ε‖V‖_max/(1 − ε);</li>
 *   <li>a posteriori, from this instance: R' = β·max_i‖q_i‖·max_j‖k_j‖ ≤ R (Cauchy–Schwarz bounds every
 *       score by R'), ε' = ε(g, R'), bound 2ε'‖V‖_max/(1 − ε');</li>
 *   <li>rounding, from this instance and the kernels' order of operations in the method's precision (theory §7.7):
 *       ρ, added to either bound.</li>
 * </ul>
 * Both truncation bounds are proofs for the exact evaluation of the polynomial; the a-posteriori one is never
 * larger; with ρ added they bound this output.
 *
 * @param d                  head dimension
 * @param degree             g
 * @param rank               r = C(g+d, d)
 * @param scoreBound         R = β d B²
 * @param epsilon            ε(g, R) (may exceed 1: vacuous)
 * @param instanceScoreBound R' = β·max‖q_i‖·max‖k_j‖
 * @param instanceEpsilon    ε(g, R')
 * @param targetEpsilon      δF/(2B + δF), the accuracy APTI asks for a priori
 * @param valueMax           ‖V‖_max measured
 * @param deltaF             δF
 * @param measuredError      max |out − exact| over the sampled rows and all columns
 * @param sampleRows         rows compared with the float64 reference
 * @param seed               seed of the row sample
 * @param precision          the arithmetic of the features and products
 * @param roundingBound      ρ, the bound on the rounding error of the computed output (theory §7.7)
 */
public record Certificate(int d, int degree, int rank, double scoreBound, double epsilon, double instanceScoreBound,
                          double instanceEpsilon, double targetEpsilon, double valueMax, double deltaF,
                          double measuredError, int sampleRows, long seed, PolynomialAttention.Precision precision,
                          double roundingBound) {

    public Certificate {
        Require.notNull("precision", precision);
        Require.that(roundingBound >= 0, "roundingBound (" + roundingBound + ") must be at least 0");
    }

    /** The a-priori bound 2ε‖V‖_max/(1 − ε) on ‖out − exact‖_max; +∞ when ε ≥ 1. */
    public double provenBound() {
        return bound(epsilon);
    }

    /** The a-posteriori bound 2ε'‖V‖_max/(1 − ε') from the instance's R'; +∞ when ε' ≥ 1. */
    public double instanceBound() {
        return bound(instanceEpsilon);
    }

    private double bound(double eps) {
        return eps < 1 ? 2 * eps * valueMax / (1 - eps) : Double.POSITIVE_INFINITY;
    }

    /** Whether a proof guarantees δF for this output: the smaller of the two bounds plus ρ is at most δF. */
    public boolean meetsDeltaF() {
        return Math.min(provenBound(), instanceBound()) + roundingBound <= deltaF;
    }

    /**
     * The checks: P1 measured error ≤ the a-posteriori bound plus ρ (the theorem on this instance, with its
     * rounding), P2 the smaller bound plus ρ ≤ δF (the degree and the precision suffice), P3 r = C(g+d, d). A vacuous
     * bound (ε ≥ 1) is shown as 1.8e308.
     */
    public CheckTable checks() {
        String how = "max over " + sampleRows + " sampled rows (seed " + seed + ") vs float64 reference";
        double post = Math.min(instanceBound() + roundingBound, Double.MAX_VALUE);
        double prior = Math.min(provenBound() + roundingBound, Double.MAX_VALUE);
        String rounding = "; rounding ρ = " + roundingBound + " (" + precision + ", theory §7.7)";
        return CheckTable.of("Polynomial attention certificate (g = " + degree + ", r = " + rank + ")",
                Check.of("P1", "‖out − exact‖_max ≤ 2ε'‖V‖_max/(1−ε') + ρ, ε' = ε(g, R')", "theory §7 [L]", measuredError,
                        Relation.AT_MOST, post, how + "; R' = β·max‖q‖·max‖k‖ = " + instanceScoreBound
                                + ", ε' = " + instanceEpsilon + rounding),
                Check.of("P2", "min(a-posteriori, a-priori bound) + ρ ≤ δF (ε(g, R) = R^{g+1}e^{R}/(g+1)!)", "theory §7 [L]",
                        Math.min(post, prior), Relation.AT_MOST, deltaF,
                        "formula; a priori R = βdB² = " + scoreBound + ", ε = " + epsilon + ", bound " + prior
                                + "; a posteriori bound " + post + rounding).asFact(),
                Check.of("P3", "r = C(g+d, d)", "theory §7 [L]", rank, Relation.EQUALS,
                        MonomialFeatures.rank(d, degree).doubleValue(), "monomials listed").asFact());
    }
}
