package org.promptlimits.attention.fast;

import org.promptlimits.check.Check;
import org.promptlimits.check.CheckTable;
import org.promptlimits.check.Relation;

/**
 * The certificate of one polynomial-method output: degree g, rank r = C(g+d, d), score bound R = βdB²,
 * the proven Taylor accuracy ε(g, R) = R^{g+1}e^{2R}/(g+1)!, the proven error bound
 * 2ε‖V‖_max/(1 − ε), and the measured max error against exact attention on a sample of rows.
 * SPEC §7 [L]; the (1 − ε) factor is our correction of the denominator's error [C].
 *
 * @param d             head dimension
 * @param degree        g
 * @param rank          r = C(g+d, d)
 * @param scoreBound    R = β d B²
 * @param epsilon       ε(g, R), the proven relative accuracy of P_g on [−R, R] (may exceed 1: vacuous)
 * @param targetEpsilon δF/(2B + δF), the accuracy APTI asks for
 * @param valueMax      ‖V‖_max measured
 * @param deltaF        δF
 * @param measuredError max |out − exact| over the sampled rows and all columns
 * @param sampleRows    rows compared with the float64 reference
 * @param seed          seed of the row sample
 */
public record Certificate(int d, int degree, int rank, double scoreBound, double epsilon, double targetEpsilon,
                          double valueMax, double deltaF, double measuredError, int sampleRows, long seed) {

    /** 2ε‖V‖_max/(1 − ε): the proven bound on ‖out − exact‖_max; +∞ when ε ≥ 1. */
    public double provenBound() {
        return epsilon < 1 ? 2 * epsilon * valueMax / (1 - epsilon) : Double.POSITIVE_INFINITY;
    }

    /** Whether the proof guarantees δF: ε(g, R) ≤ δF/(2B + δF) (true when g came from forError). */
    public boolean meetsDeltaF() {
        return provenBound() <= deltaF;
    }

    /**
     * The checks: P1 measured error ≤ proven bound (the theorem on this instance), P2 proven bound ≤ δF
     * (the degree suffices for APTI), P3 r = C(g+d, d). A vacuous bound (ε ≥ 1) is shown as 1.8e308.
     */
    public CheckTable checks() {
        String how = "max over " + sampleRows + " sampled rows (seed " + seed + ") vs float64 reference";
        double bound = Math.min(provenBound(), Double.MAX_VALUE);
        return CheckTable.of("Polynomial attention certificate (g = " + degree + ", r = " + rank + ")",
                Check.of("P1", "‖out − exact‖_max ≤ 2ε‖V‖_max/(1−ε)", "SPEC §7 [L]", measuredError,
                        Relation.AT_MOST, bound, how),
                Check.of("P2", "2ε‖V‖_max/(1−ε) ≤ δF (ε = R^{g+1}e^{2R}/(g+1)!)", "SPEC §7 [L]", bound,
                        Relation.AT_MOST, deltaF, "R = βdB² = " + scoreBound + ", ε = " + epsilon),
                Check.of("P3", "r = C(g+d, d)", "SPEC §7 [L]", rank, Relation.EQUALS,
                        MonomialFeatures.rank(d, degree).doubleValue(), "monomials listed"));
    }
}
