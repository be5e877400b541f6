package org.promptlimits.contextual;

import org.promptlimits.check.Format;
import org.promptlimits.check.Require;
import org.promptlimits.precision.BigMath;
import org.promptlimits.precision.Budget;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * The constants of one Lemma 2.2 layer (theory §3 steps 2 and 4). THEORY: {@code c = (K+1)⁴(2 ln n + 3)πd/(8γ_min ε)},
 * {@code r = c γ_max²}, {@code b_max = q_max = γ_max}. EMPIRICAL: c the smallest temperature making every score gap
 * of the read queries exceed 2 ln n + 3 (times 1 + 1e-9), {@code r = c q_max b_max}. Both: {@code κ = ε/(4γ_max)}
 * unless given, {@code γ = γ_max + κ b_max}, {@code δ = min(ε − 2κ b_max, κ (ln n)² e^{−2r}/(c q_max))}.
 *
 * <p>√c is an exact decimal of {@link ContextualMapping#WEIGHTS} digits rounded up and {@code c = (√c)²} exactly,
 * so the weights {@code √c vᵀ} multiply to {@code c v vᵀ} with no rounding.
 *
 * @param gammaMin  γ_min (measured, or declared ≤ measured)
 * @param gammaMax  γ_max (measured, or declared ≥ measured)
 * @param epsilon   ε (measured, or declared ≤ measured)
 * @param lnN       ln n to 40 digits
 * @param threshold 2 ln n + 3, the score gap check B4 needs
 * @param c0        c0 = √(8/(πd))/(K+1)² of step 1 (THEORY), or null (EMPIRICAL)
 * @param sqrtC     √c, exact decimal
 * @param c         the temperature c = (√c)²
 * @param r         the score bound: every |a_k| &lt; r
 * @param kappa     the output scale κ of W_O = κ u e_1ᵀ
 * @param bMax      bound on |vᵀz| over keys
 * @param qMax      bound on |vᵀx| over read queries
 * @param gamma     every output norm is below γ
 * @param delta     qualifying outputs are more than δ apart (may be far below the smallest double)
 */
public record LemmaConstants(BigDecimal gammaMin, BigDecimal gammaMax, BigDecimal epsilon, BigDecimal lnN,
                             BigDecimal threshold, BigDecimal c0, BigDecimal sqrtC, BigDecimal c, BigDecimal r,
                             BigDecimal kappa, BigDecimal bMax, BigDecimal qMax, BigDecimal gamma, BigDecimal delta) {

    static final MathContext MC40 = new MathContext(40, RoundingMode.HALF_EVEN);
    private static final MathContext UP40 = new MathContext(40, RoundingMode.CEILING);
    private static final MathContext DOWN40 = new MathContext(40, RoundingMode.FLOOR);
    /** Relative margin of the empirical temperature and score bound. */
    private static final double MARGIN = 1e-9;

    /** 2 ln n + 3 to 40 digits, and ln n: what steps 1 and 2 need before v is known. */
    static BigDecimal[] lnAndThreshold(int n) {
        BigDecimal lnN = BigMath.log(BigDecimal.valueOf(n), MC40);
        return new BigDecimal[] {lnN, lnN.multiply(BigDecimal.valueOf(2)).add(BigDecimal.valueOf(3))};
    }

    /**
     * Steps 2 and 4 for the direction whose vocabulary projections are {@code p} (40 digits).
     *
     * @param outputScale κ, or null for ε/(4γ_max)
     * @param exactBudget THEORY with exact outputs: the budget the digits of δ ≈ e^{−2r} are held to before any
     *                    exponential is computed; null otherwise
     * @throws IllegalArgumentException if κ is too large for different input tokens to stay apart, or δ needs more
     *                                  digits than the budget (the estimate, and what to change)
     */
    static LemmaConstants derive(boolean theory, int d, int k, BigDecimal gammaMin, BigDecimal gammaMax,
                                 BigDecimal epsilon, BigDecimal c0, ReadGeometry geometry, BigDecimal[] p,
                                 BigDecimal outputScale, Budget exactBudget) {
        BigDecimal[] ln = lnAndThreshold(geometry.index().separation().n());
        BigDecimal lnN = ln[0];
        BigDecimal threshold = ln[1];
        BigDecimal sqrtC;
        BigDecimal bMax;
        BigDecimal qMax;
        if (theory) {
            BigDecimal kPlus1 = BigDecimal.valueOf(k + 1L);
            sqrtC = ceilingSqrt(kPlus1.pow(4).multiply(threshold).multiply(BigMath.pi(MC40)).multiply(BigDecimal.valueOf(d))
                    .divide(BigDecimal.valueOf(8).multiply(gammaMin).multiply(epsilon), UP40));
            bMax = gammaMax;
            qMax = gammaMax;
        } else {
            BigDecimal smallestGap = geometry.smallestGapProduct(p, MC40);
            sqrtC = ceilingSqrt(threshold.divide(smallestGap, UP40).multiply(BigDecimal.valueOf(1 + MARGIN), UP40));
            bMax = ReadGeometry.maxAbs(p, geometry.allKeys()).multiply(BigDecimal.valueOf(1 + MARGIN), UP40);
            qMax = ReadGeometry.maxAbs(p, geometry.readQueries()).multiply(BigDecimal.valueOf(1 + MARGIN), UP40);
        }
        BigDecimal c = sqrtC.multiply(sqrtC);
        BigDecimal r = c.multiply(bMax).multiply(qMax).round(UP40);
        BigDecimal kappa = outputScale != null ? outputScale
                : epsilon.divide(gammaMax.multiply(BigDecimal.valueOf(4)), DOWN40);
        BigDecimal gamma = gammaMax.add(kappa.multiply(bMax), UP40);
        BigDecimal tokenBranch = epsilon.subtract(kappa.multiply(bMax).multiply(BigDecimal.valueOf(2)), DOWN40);
        if (tokenBranch.signum() <= 0) {
            BigDecimal limit = epsilon.divide(bMax.multiply(BigDecimal.valueOf(2)), MC40);
            throw new IllegalArgumentException("outputScale (" + Format.numberBeside(kappa, limit) + ") must be < ε/(2 b_max) = "
                    + Format.numberBeside(limit, kappa) + " so that different input tokens stay apart");
        }
        // δ's set branch κ (ln n)² e^{−2r}/(c q_max): its digits are known from r before any exponential
        double log10Delta = Format.log10(kappa.multiply(lnN.pow(2)).divide(c.multiply(qMax), DOWN40))
                - 2 * r.doubleValue() / Math.log(10);
        double digitsLog10 = Math.log10(Math.max(1, -log10Delta));
        if (exactBudget != null && !(digitsLog10 <= Math.log10(exactBudget.maxDigits())) || !(-log10Delta < Integer.MAX_VALUE / 2.0)) {
            // the explanation only when refusing: it formats four constants
            String how = "δ ≈ e^{−2r}: 2r/ln 10 digits with r = " + Format.number(r) + (theory ? ", c = (K+1)⁴(2 ln n + 3)πd/"
                    + "(8γ_min ε) = " + Format.number(c) + " for K = " + k + " tokens, γ_min = " + Format.number(gammaMin)
                    + ", ε = " + Format.number(epsilon) + " (the smallest distance between two tokens)" : "");
            String fix = theory ? "use EMPIRICAL constants, or fewer tokens K (c grows like (K+1)^4), or tokens further"
                    + " apart (ε divides c)"
                    : "use tokens further apart (the smallest score gap divides c)";
            if (exactBudget != null) {
                Budget.requireLog10((theory ? "THEORY" : "EMPIRICAL") + " contextual mapping (exact outputs)",
                        digitsLog10, "digits", exactBudget.maxDigits(), "maxDigits", how,
                        Budget.orLarger(fix, "maxDigits"));
            }
            Require.that(-log10Delta < Integer.MAX_VALUE / 2.0, "δ (about 10^(" + Format.number(log10Delta)
                    + ")) must be above 10^(−10^9) to be written as a decimal (" + how + "); " + fix);
        }
        BigDecimal setBranch = r.multiply(BigDecimal.valueOf(2)).compareTo(BigMath.EXP_ARGUMENT_LIMIT) <= 0
                ? kappa.multiply(lnN.pow(2)).multiply(BigMath.exp(r.multiply(BigDecimal.valueOf(-2)), MC40))
                        .divide(c.multiply(qMax), DOWN40)
                : BigDecimal.ONE.scaleByPowerOfTen((int) Math.floor(log10Delta)); // below the true value: δ stays a lower bound
        return new LemmaConstants(gammaMin, gammaMax, epsilon, lnN, threshold, c0, sqrtC, c, r, kappa, bMax, qMax,
                gamma, tokenBranch.min(setBranch));
    }

    /** √x rounded up to {@link ContextualMapping#WEIGHTS} digits, so that its exact square is ≥ x. */
    private static BigDecimal ceilingSqrt(BigDecimal x) {
        int digits = ContextualMapping.WEIGHTS.getPrecision();
        BigDecimal s = BigMath.sqrt(x, new MathContext(digits + 5, RoundingMode.HALF_EVEN))
                .round(new MathContext(digits, RoundingMode.CEILING));
        while (s.multiply(s).compareTo(x) < 0) {
            s = s.add(s.ulp());
        }
        return s;
    }
}
