package org.promptlimits.contextual;

import org.promptlimits.check.Require;
import org.promptlimits.precision.Budget;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Objects;

/**
 * How {@link ContextualMapping#construct} builds its layer: which constants, which outputs are read, the
 * output direction and scale, the seed, the arithmetic and the budget. Immutable; arrays are copied in and out.
 *
 * @param constants     THEORY (theory §3 constants, exact arithmetic) or EMPIRICAL (c from the measured gaps)
 * @param readPositions query positions whose outputs are read (0-based), or null for all n; only these count
 *                      for the empirical c and for the checks
 * @param u             output direction u (any non-zero d-vector, normalized), or null for u = v
 * @param outputScale   κ in W_O = κ u e_1^T, or null for ε/(4 γ_max) (theory §3.2)
 * @param v             a fixed projection direction v (any non-zero d-vector, normalized), or null to draw v from
 *                      the seed: with v fixed, a construction from a paper or another tool is reproduced exactly
 *                      (THEORY's check L2.2-v then tells whether this v meets c0)
 * @param seed          seed of the sampling of v (unused when v is fixed)
 * @param draws         THEORY: most draws of v tried before giving up; EMPIRICAL: candidates drawn, the one
 *                      needing the fewest digits kept (unused when v is fixed)
 * @param arithmetic    AUTO (THEORY: exact; EMPIRICAL: double when it resolves every separation, else exact),
 *                      DOUBLE or EXACT
 * @param budget        limits on digits and estimated seconds for exact arithmetic
 * @param gammaMin      declared γ_min (≤ every token norm), or null for the measured one
 * @param gammaMax      declared γ_max (≥ every token norm), or null for the measured one
 * @param epsilon       declared ε (≤ every distance between different tokens), or null for the measured one
 */
public record MappingOptions(ContextualMapping.Constants constants, int[] readPositions, double[] u,
                             BigDecimal outputScale, double[] v, long seed, int draws, ContextualMapping.Arithmetic arithmetic,
                             Budget budget, BigDecimal gammaMin, BigDecimal gammaMax, BigDecimal epsilon) {

    public MappingOptions {
        Require.notNull("constants", constants);
        Require.notNull("arithmetic", arithmetic);
        Require.notNull("budget", budget);
        Require.positive("draws", draws);
        readPositions = readPositions == null ? null : readPositions.clone();
        if (u != null) {
            Require.allFinite("u", u);
            u = u.clone();
        }
        if (v != null) {
            Require.allFinite("v", v);
            v = v.clone();
        }
        if (outputScale != null) {
            Require.positive("outputScale", outputScale);
        }
    }

    /** THEORY constants, all positions read, u = v, κ = ε/(4γ_max), seed 1, up to 100,000 draws, default budget. */
    public static MappingOptions theory() {
        return new MappingOptions(ContextualMapping.Constants.THEORY, null, null, null, null, 1L, 100_000,
                ContextualMapping.Arithmetic.AUTO, Budget.DEFAULT, null, null, null);
    }

    /** EMPIRICAL constants, all positions read, u = v, κ = ε/(4γ_max), seed 1, best of 64 candidates, default budget. */
    public static MappingOptions empirical() {
        return new MappingOptions(ContextualMapping.Constants.EMPIRICAL, null, null, null, null, 1L, 64,
                ContextualMapping.Arithmetic.AUTO, Budget.DEFAULT, null, null, null);
    }

    /** The defaults of {@link #theory()} or {@link #empirical()}. */
    public static MappingOptions of(ContextualMapping.Constants constants) {
        return Require.notNull("constants", constants) == ContextualMapping.Constants.THEORY ? theory() : empirical();
    }

    @Override
    public int[] readPositions() {
        return readPositions == null ? null : readPositions.clone();
    }

    @Override
    public double[] u() {
        return u == null ? null : u.clone();
    }

    public MappingOptions withReadPositions(int... positions) {
        return new MappingOptions(constants, positions, u, outputScale, v, seed, draws, arithmetic, budget, gammaMin,
                gammaMax, epsilon);
    }

    /** These options with the projection v fixed (normalized by the construction) instead of drawn from the seed. */
    public MappingOptions withV(double... v) {
        Require.notNull("v", v);
        return new MappingOptions(constants, readPositions, u, outputScale, v, seed, draws, arithmetic, budget,
                gammaMin, gammaMax, epsilon);
    }

    @Override
    public double[] v() {
        return v == null ? null : v.clone();
    }

    public MappingOptions withU(double... u) {
        return new MappingOptions(constants, readPositions, u, outputScale, v, seed, draws, arithmetic, budget,
                gammaMin, gammaMax, epsilon);
    }

    public MappingOptions withOutputScale(BigDecimal outputScale) {
        return new MappingOptions(constants, readPositions, u, outputScale, v, seed, draws, arithmetic, budget, gammaMin,
                gammaMax, epsilon);
    }

    public MappingOptions withSeed(long newSeed) {
        return new MappingOptions(constants, readPositions, u, outputScale, v, newSeed, draws, arithmetic, budget,
                gammaMin, gammaMax, epsilon);
    }

    public MappingOptions withDraws(int newDraws) {
        return new MappingOptions(constants, readPositions, u, outputScale, v, seed, newDraws, arithmetic, budget,
                gammaMin, gammaMax, epsilon);
    }

    public MappingOptions withArithmetic(ContextualMapping.Arithmetic newArithmetic) {
        return new MappingOptions(constants, readPositions, u, outputScale, v, seed, draws, newArithmetic, budget,
                gammaMin, gammaMax, epsilon);
    }

    public MappingOptions withBudget(Budget newBudget) {
        return new MappingOptions(constants, readPositions, u, outputScale, v, seed, draws, arithmetic, newBudget,
                gammaMin, gammaMax, epsilon);
    }

    /**
     * Declared separation constants instead of the measured ones (e.g. theory §5: γ_min = √d/2, γ_max = √d(n+1),
     * ε = δ for grid tokens). The construction checks them against the measurement.
     */
    public MappingOptions withSeparation(BigDecimal declaredGammaMin, BigDecimal declaredGammaMax,
                                         BigDecimal declaredEpsilon) {
        return new MappingOptions(constants, readPositions, u, outputScale, v, seed, draws, arithmetic, budget,
                declaredGammaMin, declaredGammaMax, declaredEpsilon);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MappingOptions m && constants == m.constants && Arrays.equals(readPositions, m.readPositions)
                && Arrays.equals(u, m.u) && Objects.equals(outputScale, m.outputScale) && Arrays.equals(v, m.v) && seed == m.seed
                && draws == m.draws && arithmetic == m.arithmetic && budget.equals(m.budget)
                && Objects.equals(gammaMin, m.gammaMin) && Objects.equals(gammaMax, m.gammaMax)
                && Objects.equals(epsilon, m.epsilon);
    }

    @Override
    public int hashCode() {
        return Objects.hash(constants, Arrays.hashCode(readPositions), Arrays.hashCode(u), outputScale,
                Arrays.hashCode(v), seed, draws, arithmetic, budget, gammaMin, gammaMax, epsilon);
    }

    @Override
    public String toString() {
        return constants + " constants, read positions " + (readPositions == null ? "all" : Arrays.toString(readPositions))
                + ", u = " + (u == null ? "v" : Arrays.toString(u)) + ", κ = "
                + (outputScale == null ? "ε/(4γ_max)" : outputScale.toString())
                + (v == null ? ", seed " + seed + ", draws " + draws : ", v = " + Arrays.toString(v))
                + ", " + arithmetic + " arithmetic";
    }
}
