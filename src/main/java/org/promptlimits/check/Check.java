package org.promptlimits.check;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * A check: one measured quantity compared against the bound a theorem promises.
 *
 * <p>Every theorem in the library reports its guarantees as {@code Check}s, so notebooks, tests and the
 * browser harness read them the same way. Whether the check holds is derived from the measured value,
 * the relation and the bound each time it is asked ({@link #holds()}); it is never stored, so a check
 * cannot claim to hold when its numbers say otherwise. Values are {@link BigDecimal} because several
 * bounds (for example δ of Lemma 2.2, around 10^-1133) underflow a double.
 *
 * @param id       short identifier, e.g. "B3"
 * @param claim    what the check asserts, in words, e.g. "max a − boltz(a) ≤ (n−1)Δe^{−Δ}"
 * @param spec     where the statement comes from, e.g. "SPEC §2 [L]"
 * @param measured the measured value
 * @param relation how measured must compare to bound
 * @param bound    the bound the theorem promises
 * @param method   how the value was measured: sample size, precision, seed
 */
public record Check(String id, String claim, String spec, BigDecimal measured,
                    Relation relation, BigDecimal bound, String method) {

    public Check {
        Require.that(id != null && !id.isBlank(), "id (" + id + ") must be a non-blank string");
        Objects.requireNonNull(claim, "claim");
        Objects.requireNonNull(spec, "spec");
        Require.notNull("measured", measured);
        Require.notNull("relation", relation);
        Require.notNull("bound", bound);
        Objects.requireNonNull(method, "method");
    }

    /** Whether {@code measured relation bound} holds, computed now from the stored values. */
    public boolean holds() {
        return relation.test(measured, bound);
    }

    /** A check of {@code measured ≤ bound}. */
    public static Check atMost(String id, String claim, String spec,
                               BigDecimal measured, BigDecimal bound, String method) {
        return new Check(id, claim, spec, measured, Relation.AT_MOST, bound, method);
    }

    /** A check of {@code measured < bound}. */
    public static Check lessThan(String id, String claim, String spec,
                                 BigDecimal measured, BigDecimal bound, String method) {
        return new Check(id, claim, spec, measured, Relation.LESS_THAN, bound, method);
    }

    /** A check of {@code measured ≥ bound}. */
    public static Check atLeast(String id, String claim, String spec,
                                BigDecimal measured, BigDecimal bound, String method) {
        return new Check(id, claim, spec, measured, Relation.AT_LEAST, bound, method);
    }

    /** A check of {@code measured > bound}. */
    public static Check greaterThan(String id, String claim, String spec,
                                    BigDecimal measured, BigDecimal bound, String method) {
        return new Check(id, claim, spec, measured, Relation.GREATER_THAN, bound, method);
    }

    /** A check of {@code measured = bound} by value. */
    public static Check equalTo(String id, String claim, String spec,
                                BigDecimal measured, BigDecimal bound, String method) {
        return new Check(id, claim, spec, measured, Relation.EQUALS, bound, method);
    }

    /** A check from double values; both must be finite (a NaN measurement is a bug, not a result). */
    public static Check of(String id, String claim, String spec,
                           double measured, Relation relation, double bound, String method) {
        return new Check(id, claim, spec, decimal("measured", measured), relation, decimal("bound", bound), method);
    }

    /** A check that a boolean property holds: measured 1 (true) or 0 (false), required to equal 1. */
    public static Check isTrue(String id, String claim, String spec, boolean measured, String method) {
        return new Check(id, claim, spec, measured ? BigDecimal.ONE : BigDecimal.ZERO, Relation.EQUALS,
                BigDecimal.ONE, method);
    }

    private static BigDecimal decimal(String name, double value) {
        Require.finite(name, value);
        return new BigDecimal(value);
    }

    /** One line: {@code B3 ✓ 0.0123 ≤ 0.0400 — claim (spec; method)}. */
    @Override
    public String toString() {
        return id + (holds() ? " ✓ " : " ✗ ") + Format.number(measured) + " " + relation.symbol() + " "
                + Format.number(bound) + " — " + claim + " (" + spec + "; " + method + ")";
    }
}
