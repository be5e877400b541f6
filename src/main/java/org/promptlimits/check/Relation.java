package org.promptlimits.check;

import java.math.BigDecimal;

/** The inequality (or equality) a {@link Check} asserts between its measured value and its bound. */
public enum Relation {
    /** measured &lt; bound */
    LESS_THAN("<"),
    /** measured ≤ bound */
    AT_MOST("≤"),
    /** measured &gt; bound */
    GREATER_THAN(">"),
    /** measured ≥ bound */
    AT_LEAST("≥"),
    /** measured = bound, compared by value ({@code compareTo}, so 1.0 equals 1.00) */
    EQUALS("=");

    private final String symbol;

    Relation(String symbol) {
        this.symbol = symbol;
    }

    /** The mathematical symbol, e.g. "≤". */
    public String symbol() {
        return symbol;
    }

    /** Whether {@code measured (this) bound} holds. Neither argument is modified. */
    public boolean test(BigDecimal measured, BigDecimal bound) {
        Require.notNull("measured", measured);
        Require.notNull("bound", bound);
        int c = measured.compareTo(bound);
        return switch (this) {
            case LESS_THAN -> c < 0;
            case AT_MOST -> c <= 0;
            case GREATER_THAN -> c > 0;
            case AT_LEAST -> c >= 0;
            case EQUALS -> c == 0;
        };
    }
}
