package org.promptlimits.attention.fast;

import org.promptlimits.attention.Apti;
import org.promptlimits.attention.fast.PolynomialAttention.Precision;
import org.promptlimits.check.Format;
import org.promptlimits.check.Require;

/**
 * The rounding part of the polynomial method's certificate, theory §7.7: a bound on |computed − D̃^{−1}ÃV| (the
 * output of exact arithmetic on the same polynomial) for the kernels' own order of operations, in float32 or
 * float64. Every term w_α q^α k^α v_c of a numerator passes through at most K_32 float and K_64 double roundings,
 * so the computed numerators and denominators are within γ·Σ|terms| ≤ γ·n·e^{R'} of the exact ones
 * (γ = (1 + γ_{K_32})(1 + γ_{K_64}) − 1, γ_K = Ku/(1 − Ku)), plus what underflow adds; the denominators are at
 * least n·e^{−R'}(1 − ε').
 */
final class Rounding {

    /** Unit roundoffs of float and double. */
    static final double U32 = 0x1p-24;
    static final double U64 = 0x1p-53;
    /** The absolute error an underflowing operation may add: half float's smallest subnormal; double's smallest subnormal. */
    static final double ETA32 = 0x1p-150;
    static final double ETA64 = Double.MIN_VALUE;

    private Rounding() {
    }

    /**
     * What the bound depends on besides the degree: rows of queries and keys, R' = β·max‖q_i‖·max‖k_j‖, ‖V‖_max,
     * the largest |entry| of q and k, and the number of partial sums S a call adds (one more addition each:
     * {@link PolynomialAttention#partialSums}).
     */
    record Inputs(int n, int m, int d, double instanceScoreBound, double valueMax, double entryMax, int partials) {
        static Inputs of(Apti p, int partials) {
            double max = Math.max(maxAbs(p.q(), p.q().length), maxAbs(p.k(), p.k().length));
            return new Inputs(p.n(), p.n(), p.d(), PolynomialAttention.instanceScoreBound(p.n(), p.d(), p.q(), p.k(),
                    p.beta()), p.valueMax(), max, partials);
        }
    }

    /** γ_K = Ku/(1 − Ku), or +∞ when Ku ≥ 1. */
    static double gamma(double k, double u) {
        double ku = k * u;
        return ku < 1 ? ku / (1 - ku) : Double.POSITIVE_INFINITY;
    }

    /** Roundings in float of one term: 2g per monomial (input and products), v, S, one per row of a block and of a run, one spare. */
    static double floatRoundings(Precision precision, int g) {
        return precision == Precision.FLOAT32 ? 4.0 * g + 3 + PolynomialAttention.BLOCK + PolyKernel.RUN : 0;
    }

    /** Roundings in double of one term: block sums into S (at most m), the partial sums' addition, weights, runs/lanes of the query product (at most r + 16), the float part's count in double for FLOAT64. */
    static double doubleRoundings(Precision precision, int g, double r, Inputs in) {
        double common = (double) in.m() + in.partials() + r + 24;
        return precision == Precision.FLOAT32 ? common
                : common + 4.0 * g + 3 + PolynomialAttention.BLOCK + PolyKernel.RUN;
    }

    /**
     * The rounding bound ρ (theory §7.7) for degree g and ε' = ε(g, R'): with e = γ·e^{R'} and the underflow
     * term η_u = η·r·Φ²·W·V₁·(1 + γ)(4g + 8) (Φ = max(1, max|entry|)^g bounds every monomial, W = max(1, β)^g every
     * weight, V₁ = max(1, ‖V‖_max)), ρ = (2‖V‖e + (1 + ‖V‖)η_u)/(e^{−R'}(1 − ε') − e − η_u) plus the final division's
     * rounding; +∞ when ε' ≥ 1 or the denominator bound is not positive.
     */
    static double bound(Precision precision, int g, Inputs in, double eps, double beta) {
        if (!(eps < 1)) {
            return Double.POSITIVE_INFINITY;
        }
        double r = Math.pow(10, MonomialFeatures.log10Rank(in.d(), g));
        double gamma = (1 + gamma(floatRoundings(precision, g), U32))
                * (1 + gamma(doubleRoundings(precision, g, r, in), U64)) - 1;
        double eta = precision == Precision.FLOAT32 ? ETA32 : ETA64;
        double phi = Math.pow(Math.max(1, in.entryMax()), g);
        double w = Math.pow(Math.max(1, beta), g);
        double v = in.valueMax();
        double under = eta * r * phi * phi * w * Math.max(1, v) * (1 + gamma) * (4.0 * g + 8);
        double e = gamma * Math.exp(in.instanceScoreBound());
        double den = Math.exp(-in.instanceScoreBound()) * (1 - eps) - e - under;
        if (!(den > 0) || !Double.isFinite(gamma)) {
            return Double.POSITIVE_INFINITY;
        }
        double b = (2 * v * e + (1 + v) * under) / den;
        return b + (v + b) * 2 * U64;
    }

    /**
     * Refuses float32 work whose intermediate values could leave float's range: block sums, S and the query runs
     * are at most 128·m·W·Φ²·V₁, which must stay below 2^120.
     */
    static void requireFloatRange(int n, int m, int d, double[] q, double[] k, double[] v, MonomialFeatures f) {
        double max = Math.max(maxAbs(q, n * d), maxAbs(k, m * d));
        double vmax = maxAbs(v, v.length);
        double phi = Math.pow(Math.max(1, max), f.degree());
        double top = 128.0 * m * Math.pow(Math.max(1, f.beta()), f.degree()) * phi * phi * Math.max(1, vmax);
        if (!(top < 0x1p120)) {     // the message only when refusing: Format.number on every call costs tens of µs
            throw new IllegalArgumentException("float32 intermediate values (up to 128·m·max(1, β)^g·max(1, max|q|,"
                    + " |k|)^{2g}·max(1, ‖V‖_max) = " + Format.number(top) + ") must stay below 2^120 (float's range is"
                    + " 2^128); rescale q, k and v, or use Precision.FLOAT64");
        }
    }

    /** max |a[i]| over the first {@code count} entries (0 when count is 0). */
    private static double maxAbs(double[] a, int count) {
        double max = 0;
        for (int i = 0; i < count; i++) {
            max = Math.max(max, Math.abs(a[i]));
        }
        return max;
    }
}
