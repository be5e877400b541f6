package org.promptlimits.check;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * One row of a check table: a measured quantity compared against a bound.
 *
 * <p>A row is one of two {@linkplain Kind kinds}. A {@link Kind#CHECK check} compares a quantity measured by
 * a path independent of the construction with the bound a theorem promises, and can fail. A
 * {@link Kind#CONSTRUCTION_FACT construction fact} (a size, a count, a layer number, a value that holds by
 * definition) is shown in its own section of a table and never counted in "N of N checks hold". Times and
 * speed-ups are neither: they belong to a {@link MeasurementTable}.
 *
 * <p>Whether a row holds is derived from its numbers each time it is asked ({@link #holds()}), never stored.
 * A row may carry a {@linkplain Enclosure certified enclosure}: rigorous intervals around the measured value
 * and the bound. Then the relation is decided by the intervals' far ends (for {@code measured ≤ bound}:
 * the measured interval's upper end against the bound interval's lower end), so a row that holds is a proof
 * of the inequality rather than a comparison of two rounded numbers. Values are {@link BigDecimal} because
 * several bounds (δ of Lemma 2.2, around 10^-1133) underflow a double.
 *
 * <p>Labels: the source names a heading of the project's theory pages and one tag, {@code [P]} (the paper
 * states this inequality), {@code [L]} (prior work) or {@code [C]} (our own construction). A construction
 * fact cannot carry {@code [P]}: the constructor refuses it.
 *
 * @param id        short identifier, e.g. "B3"
 * @param claim     what the row asserts, in words, e.g. "max a − boltz(a) ≤ (n−1)Δe^{−Δ}"
 * @param spec      where the statement comes from, e.g. "theory §2.3 [L]"
 * @param measured  the measured value (for a certified row, a point inside the enclosure)
 * @param relation  how measured must compare to bound
 * @param bound     the bound
 * @param method    how the value was measured: sample size, precision, seed
 * @param kind      check or construction fact
 * @param enclosure rigorous intervals around measured and bound, or null when the row is not certified
 */
public record Check(String id, String claim, String spec, BigDecimal measured,
                   Relation relation, BigDecimal bound, String method, Kind kind, Enclosure enclosure) {

    /** What a row of a check table is. */
    public enum Kind {
        /** Measured independently of the construction and compared with a bound; it can fail. */
        CHECK("check"),
        /** A size, count or value that holds by construction; shown apart and never counted as a check. */
        CONSTRUCTION_FACT("construction fact");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /** "check" or "construction fact". */
        public String label() {
            return label;
        }
    }

    /**
     * Rigorous enclosures: the true measured value lies in [measuredLow, measuredHigh] and the true bound in
     * [boundLow, boundHigh]. Plain data; the interval arithmetic that produces it lives elsewhere.
     *
     * @param measuredLow  lower end of the measured value's enclosure
     * @param measuredHigh upper end, ≥ measuredLow
     * @param boundLow     lower end of the bound's enclosure
     * @param boundHigh    upper end, ≥ boundLow
     */
    public record Enclosure(BigDecimal measuredLow, BigDecimal measuredHigh, BigDecimal boundLow, BigDecimal boundHigh) {
        public Enclosure {
            Require.notNull("measuredLow", measuredLow);
            Require.notNull("measuredHigh", measuredHigh);
            Require.notNull("boundLow", boundLow);
            Require.notNull("boundHigh", boundHigh);
            if (measuredLow.compareTo(measuredHigh) > 0) {
                throw new IllegalArgumentException("measuredLow (" + Format.numberBeside(measuredLow, measuredHigh)
                        + ") must be <= measuredHigh (" + Format.numberBeside(measuredHigh, measuredLow) + ")");
            }
            if (boundLow.compareTo(boundHigh) > 0) {
                throw new IllegalArgumentException("boundLow (" + Format.numberBeside(boundLow, boundHigh)
                        + ") must be <= boundHigh (" + Format.numberBeside(boundHigh, boundLow) + ")");
            }
        }

        /** An exact bound b = [b, b] with the measured value in [low, high]. */
        public static Enclosure of(BigDecimal measuredLow, BigDecimal measuredHigh, BigDecimal exactBound) {
            Require.notNull("exactBound", exactBound);
            return new Enclosure(measuredLow, measuredHigh, exactBound, exactBound);
        }

        /** Width of the measured value's enclosure, measuredHigh − measuredLow. */
        public BigDecimal width() {
            return measuredHigh.subtract(measuredLow);
        }

        /** Whether the relation holds for every value in the measured enclosure against every value in the bound's. */
        boolean proves(Relation relation) {
            return switch (relation) {
                case AT_MOST -> measuredHigh.compareTo(boundLow) <= 0;
                case LESS_THAN -> measuredHigh.compareTo(boundLow) < 0;
                case AT_LEAST -> measuredLow.compareTo(boundHigh) >= 0;
                case GREATER_THAN -> measuredLow.compareTo(boundHigh) > 0;
                case EQUALS -> measuredLow.compareTo(measuredHigh) == 0 && boundLow.compareTo(boundHigh) == 0
                        && measuredLow.compareTo(boundLow) == 0;
            };
        }
    }

    public Check {
        Require.that(id != null && !id.isBlank(), "id (" + id + ") must be a non-blank string");
        Objects.requireNonNull(claim, "claim");
        Objects.requireNonNull(spec, "spec");
        Require.notNull("measured", measured);
        Require.notNull("relation", relation);
        Require.notNull("bound", bound);
        Objects.requireNonNull(method, "method");
        Require.notNull("kind", kind);
        Require.that(kind != Kind.CONSTRUCTION_FACT || !spec.contains("[P]"), "spec (" + spec + ") of " + id
                + " must not carry [P]: a construction fact holds by definition and proves no inequality of the"
                + " paper; label it [C] or make it a check measured independently");
        if (enclosure != null) {
            Require.that(enclosure.measuredLow().compareTo(measured) <= 0 && measured.compareTo(enclosure.measuredHigh()) <= 0,
                    "measured (" + Format.number(measured) + ") of " + id + " must lie in its enclosure ["
                            + Format.number(enclosure.measuredLow()) + ", " + Format.number(enclosure.measuredHigh()) + "]");
            Require.that(enclosure.boundLow().compareTo(bound) <= 0 && bound.compareTo(enclosure.boundHigh()) <= 0,
                    "bound (" + Format.number(bound) + ") of " + id + " must lie in its enclosure ["
                            + Format.number(enclosure.boundLow()) + ", " + Format.number(enclosure.boundHigh()) + "]");
        }
    }

    /** A check (kind {@link Kind#CHECK}) without a certified enclosure. */
    public Check(String id, String claim, String spec, BigDecimal measured, Relation relation, BigDecimal bound,
                 String method) {
        this(id, claim, spec, measured, relation, bound, method, Kind.CHECK, null);
    }

    /**
     * Whether {@code measured relation bound} holds, computed now from the stored values. A certified row is
     * decided by its enclosure's far ends: it holds only if the relation holds for every value in both intervals.
     */
    public boolean holds() {
        return enclosure == null ? relation.test(measured, bound) : enclosure.proves(relation);
    }

    /** Whether the row carries a rigorous enclosure, so that {@link #holds()} is a proof. */
    public boolean certified() {
        return enclosure != null;
    }

    /** True for a {@link Kind#CHECK}, false for a construction fact. */
    public boolean isCheck() {
        return kind == Kind.CHECK;
    }

    /** This row as a construction fact: shown apart, never counted as a check. */
    public Check asFact() {
        return new Check(id, claim, spec, measured, relation, bound, method, Kind.CONSTRUCTION_FACT, enclosure);
    }

    /** This row with a certified enclosure; the measured value and bound must lie inside it. */
    public Check certifiedBy(Enclosure e) {
        Require.notNull("enclosure", e);
        return new Check(id, claim, spec, measured, relation, bound, method, kind, e);
    }

    /**
     * A certified check: the measured value is known to lie in [low, high], the bound is exact. The row's
     * measured value is the upper end for ≤ and &lt;, the lower end otherwise (the end that decides).
     */
    public static Check certified(String id, String claim, String spec, BigDecimal low, BigDecimal high,
                                  Relation relation, BigDecimal bound, String method) {
        Require.notNull("low", low);
        Require.notNull("high", high);
        Require.notNull("relation", relation);
        BigDecimal decisive = relation == Relation.AT_LEAST || relation == Relation.GREATER_THAN ? low : high;
        return new Check(id, claim, spec, decisive, relation, bound, method, Kind.CHECK, Enclosure.of(low, high, bound));
    }

    /** A check of {@code measured relation bound} with exact values (the bound is compared as given). */
    public static Check of(String id, String claim, String spec,
                           BigDecimal measured, Relation relation, BigDecimal bound, String method) {
        return new Check(id, claim, spec, measured, relation, bound, method);
    }

    /** A construction fact {@code value = expected} (a size or count the construction fixes). */
    public static Check fact(String id, String claim, String spec, long value, long expected, String method) {
        return new Check(id, claim, spec, BigDecimal.valueOf(value), Relation.EQUALS, BigDecimal.valueOf(expected),
                method, Kind.CONSTRUCTION_FACT, null);
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

    /** One line: {@code B3 ✓ 0.0123 ≤ 0.0400 — claim (spec; method)}, with "certified" or "fact" when so. */
    @Override
    public String toString() {
        String tag = kind == Kind.CONSTRUCTION_FACT ? "fact; " : certified()
                ? "certified, width " + Format.number(enclosure.width()) + "; " : "";
        String[] shown = Format.pair(measured, bound);
        return id + (holds() ? " ✓ " : " ✗ ") + shown[0] + " " + relation.symbol() + " "
                + shown[1] + " — " + claim + " (" + tag + spec + "; " + method + ")";
    }
}
