package org.promptlimits.precision;

import org.promptlimits.check.Format;
import org.promptlimits.check.Require;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.function.Function;

/**
 * A precision plan: how many significant decimal digits an exact computation carries, and why.
 *
 * <p>The rule of theory §3 and §8.4: softmax weights e^{a_k − max a} with scores |a_k| &lt; r range down to
 * e^{−2r}, and Boltzmann values that differ only through such weights differ by about (ln n)^2 e^{−2r}
 * (check B4). Resolving them needs {@code 2r / ln 10} digits after the leading one, plus the digits of r
 * itself (the values being compared are of size up to r), plus guard digits. The plan is estimated before
 * anything is computed, so a {@link Budget} can refuse it with the estimate ({@link #requireWithin}).
 *
 * @param digits significant decimal digits, ≥ 1
 * @param rule   how the count was derived, e.g. "2r/ln10 + log10(r) + 30 guard, r = 1512"
 */
public record PrecisionPlan(int digits, String rule) {

    /** Guard digits added on top of every rule. */
    public static final int GUARD = 30;

    public PrecisionPlan {
        Require.positive("digits", digits);
        Require.notNull("rule", rule);
    }

    /** The working {@link MathContext}: {@code digits} significant digits, rounding half-even. */
    public MathContext mathContext() {
        return new MathContext(digits, RoundingMode.HALF_EVEN);
    }

    /** A fixed plan of {@code digits} digits, e.g. for values with no cancellation. */
    public static PrecisionPlan fixed(int digits, String rule) {
        return new PrecisionPlan(digits, rule);
    }

    /**
     * The plan for resolving Boltzmann values of score vectors with |a_k| &lt; r (theory §8.4 safe rule):
     * {@code ⌈2r/ln 10⌉ + ⌈log10(2 + r)⌉ + GUARD} digits.
     *
     * @param r score bound, ≥ 0. Not modified.
     * @throws IllegalArgumentException if r is negative or needs more than Integer.MAX_VALUE digits
     */
    public static PrecisionPlan forScoreBound(BigDecimal r) {
        Require.notNull("r", r);
        Require.that(r.signum() >= 0, "r (" + r + ") must be >= 0");
        double twoROverLn10 = 2 * r.doubleValue() / Math.log(10);
        return of(twoROverLn10, r.doubleValue(),
                "2r/ln10 + log10(2+r) + " + GUARD + " guard, r = " + Format.number(r));
    }

    /**
     * The plan for resolving differences of size {@code 10^log10Resolution} between values of size up to
     * {@code magnitude}: {@code ⌈−log10Resolution⌉ + ⌈log10(2 + magnitude)⌉ + GUARD} digits.
     *
     * @param log10Resolution log10 of the smallest difference that must be resolved (e.g. −1133)
     * @param magnitude       the largest absolute value involved, ≥ 0
     */
    public static PrecisionPlan forResolution(double log10Resolution, double magnitude, String why) {
        Require.finite("log10Resolution", log10Resolution);
        Require.nonNegative("magnitude", magnitude);
        Require.notNull("why", why);
        return of(Math.max(0, -log10Resolution), magnitude, why);
    }

    private static PrecisionPlan of(double fractionDigits, double magnitude, String rule) {
        double total = Math.ceil(fractionDigits) + Math.ceil(Math.log10(2 + magnitude)) + GUARD;
        Require.that(total < Integer.MAX_VALUE, "precision (" + Format.number(total) + " digits, " + rule
                + ") must fit an int; the scores are too large");
        return new PrecisionPlan((int) total, rule);
    }

    /**
     * Estimated seconds for one {@link BigMath#exp} at this precision on this project's 2-core machine,
     * from measurements (about 2 ms at 1,000 digits, 12 ms at 3,500, 90 ms at 12,000; growth ≈ digits^1.6).
     */
    public double secondsPerExp() {
        return 2e-3 * Math.pow(Math.max(digits, 100) / 1000.0, 1.6);
    }

    /**
     * Refuses this plan if {@code digits} or the time for {@code exps} exponentials exceed the budget.
     *
     * @param what what is being computed, e.g. "THEORY contextual mapping check"
     * @param exps how many exponentials the computation will take at this precision
     * @param fix  the advice for a refusal of the named limit ("maxDigits" or "maxSeconds"), e.g.
     *             {@code limit -> Budget.orLarger("lower K", limit)} where the caller passed the budget
     * @return this plan
     * @throws IllegalArgumentException with the estimate, if over the budget
     */
    public PrecisionPlan requireWithin(Budget budget, String what, long exps, Function<String, String> fix) {
        Require.notNull("budget", budget);
        Require.notNull("fix", fix);
        budget.requireDigits(what, BigDecimal.valueOf(digits), rule, fix.apply("maxDigits"));
        budget.requireSeconds(what, exps * secondsPerExp(), () -> exps + " exponentials at " + digits
                + " digits, about " + Format.number(secondsPerExp()) + " s each", fix.apply("maxSeconds"));
        return this;
    }

    @Override
    public String toString() {
        return digits + " digits (" + rule + ")";
    }
}
