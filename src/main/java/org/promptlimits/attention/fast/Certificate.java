package org.promptlimits.attention.fast;

import org.promptlimits.check.Check;
import org.promptlimits.check.CheckTable;
import org.promptlimits.check.Relation;

/**
 * The certificate of one polynomial-method output: degree g, rank r = C(g+d, d), two proven error bounds and
 * the measured max error against exact attention on a sample of rows. theory §7 [L]; the (1 − ε) factor is our
 * correction of the denominator's error [C].
 *
 * <ul>
 *   <li>a priori, from the entry bound: R = βdB², ε(g, R) = R^{g+1}e^{R}/(g+1)!, bound 2ε‖V‖_max/(1 − ε);</li>
 *   <li>a posteriori, from this instance: R' = β·max_i‖q_i‖·max_j‖k_j‖ ≤ R (Cauchy–Schwarz bounds every
 *       score by R'), ε' = ε(g, R'), bound 2ε'‖V‖_max/(1 − ε').</li>
 * </ul>
 * Both are proofs for this output; the a-posteriori one is never larger.
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
 */
public record Certificate(int d, int degree, int rank, double scoreBound, double epsilon, double instanceScoreBound,
                          double instanceEpsilon, double targetEpsilon, double valueMax, double deltaF,
                          double measuredError, int sampleRows, long seed) {

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

    /** Whether a proof guarantees δF for this output: the smaller of the two bounds is at most δF. */
    public boolean meetsDeltaF() {
        return Math.min(provenBound(), instanceBound()) <= deltaF;
    }

    /**
     * The checks: P1 measured error ≤ the a-posteriori bound (the theorem on this instance), P2 the smaller
     * bound ≤ δF (the degree suffices), P3 r = C(g+d, d). A vacuous bound (ε ≥ 1) is shown as 1.8e308.
     */
    public CheckTable checks() {
        String how = "max over " + sampleRows + " sampled rows (seed " + seed + ") vs float64 reference";
        double post = Math.min(instanceBound(), Double.MAX_VALUE);
        double prior = Math.min(provenBound(), Double.MAX_VALUE);
        return CheckTable.of("Polynomial attention certificate (g = " + degree + ", r = " + rank + ")",
                Check.of("P1", "‖out − exact‖_max ≤ 2ε'‖V‖_max/(1−ε'), ε' = ε(g, R')", "theory §7 [L]", measuredError,
                        Relation.AT_MOST, post, how + "; R' = β·max‖q‖·max‖k‖ = " + instanceScoreBound
                                + ", ε' = " + instanceEpsilon),
                Check.of("P2", "min(a-posteriori, a-priori bound) ≤ δF (ε(g, R) = R^{g+1}e^{R}/(g+1)!)", "theory §7 [L]",
                        Math.min(post, prior), Relation.AT_MOST, deltaF,
                        "formula; a priori R = βdB² = " + scoreBound + ", ε = " + epsilon + ", bound " + prior
                                + "; a posteriori bound " + post).asFact(),
                Check.of("P3", "r = C(g+d, d)", "theory §7 [L]", rank, Relation.EQUALS,
                        MonomialFeatures.rank(d, degree).doubleValue(), "monomials listed").asFact());
    }
}
