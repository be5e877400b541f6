package org.promptlimits.check;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Collection;
import java.util.List;

/**
 * Argument checks whose messages follow one pattern: {@code <param> (<value>) must <rule>}.
 *
 * <p>Every comparison is written so that NaN fails it ({@code !(x > 0)} rather than {@code x <= 0}),
 * so a NaN never slips through as "not too small". All methods throw {@link IllegalArgumentException}:
 * they are for the caller's mistakes. Failures of our own numerics use {@link IllegalStateException}.
 */
public final class Require {

    private Require() {
    }

    /** Throws {@code IllegalArgumentException(message)} unless {@code condition}. */
    public static void that(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message != null ? message : "a condition failed (no message given)");
        }
    }

    /** {@code name (value) must be finite}. Returns the value. */
    public static double finite(String name, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " (" + value + ") must be finite");
        }
        return value;
    }

    /** {@code name (value) must be > 0}. Returns the value. */
    public static double positive(String name, double value) {
        if (!(value > 0) || value == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException(name + " (" + value + ") must be finite and > 0");
        }
        return value;
    }

    /** {@code name (value) must be > 0}. Returns the value. */
    public static int positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " (" + value + ") must be > 0");
        }
        return value;
    }

    /** {@code name (value) must be > 0}. Returns the value. */
    public static BigDecimal positive(String name, BigDecimal value) {
        notNull(name, value);
        if (value.signum() <= 0) {
            throw new IllegalArgumentException(name + " (" + value + ") must be > 0");
        }
        return value;
    }

    /** {@code name (value) must be >= 0}. Returns the value. */
    public static int nonNegative(String name, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " (" + value + ") must be >= 0");
        }
        return value;
    }

    /** {@code name (value) must be >= 0}. Returns the value. */
    public static double nonNegative(String name, double value) {
        if (!(value >= 0) || value == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException(name + " (" + value + ") must be finite and >= 0");
        }
        return value;
    }

    /** {@code name (value) must be in the open interval (lo, hi)}. Returns the value. */
    public static double inOpen(String name, double value, double lo, double hi) {
        if (!(value > lo && value < hi)) {
            throw new IllegalArgumentException(name + " (" + value + ") must be in (" + lo + ", " + hi + ")");
        }
        return value;
    }

    /** {@code name (value) must be in [lo, hi]}. Returns the value. */
    public static int inRange(String name, int value, int lo, int hi) {
        if (value < lo || value > hi) {
            throw new IllegalArgumentException(name + " (" + value + ") must be in [" + lo + ", " + hi + "]");
        }
        return value;
    }

    /** {@code name must not be null}. Returns the value. */
    public static <T> T notNull(String name, T value) {
        if (value == null) {
            throw new IllegalArgumentException(name + " (null) must not be null");
        }
        return value;
    }

    /**
     * {@code name} is not null and has at least {@code n} entries (for the operations tier, where arrays are
     * buffers): {@code out (length 3) must have at least 4 entries}. O(1).
     */
    public static void minLength(String name, double[] values, long n) {
        notNull(name, values);
        if (values.length < n) {
            throw new IllegalArgumentException(name + " (length " + values.length + ") must have at least " + n
                    + " entries");
        }
    }

    /** Every entry of {@code values} is finite; the message names the first bad index. Returns the array. */
    public static double[] allFinite(String name, double[] values) {
        notNull(name, values);
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException(name + "[" + i + "] (" + values[i] + ") must be finite");
            }
        }
        return values;
    }

    /** Every entry of a matrix is finite; the message names the first bad (row, column). Returns the matrix. */
    public static double[][] allFinite(String name, double[][] values) {
        notNull(name, values);
        for (int i = 0; i < values.length; i++) {
            notNull(name + "[" + i + "]", values[i]);
            for (int j = 0; j < values[i].length; j++) {
                if (!Double.isFinite(values[i][j])) {
                    throw new IllegalArgumentException(
                            name + "[" + i + "][" + j + "] (" + values[i][j] + ") must be finite");
                }
            }
        }
        return values;
    }

    /** A matrix given as rows is non-empty and rectangular. Returns the number of columns. */
    public static int rectangular(String name, double[][] rows) {
        notNull(name, rows);
        if (rows.length == 0) {
            throw new IllegalArgumentException(name + " (0 rows) must have at least one row");
        }
        int cols = notNull(name + "[0]", rows[0]).length;
        for (int i = 1; i < rows.length; i++) {
            int c = notNull(name + "[" + i + "]", rows[i]).length;
            if (c != cols) {
                throw new IllegalArgumentException(
                        name + "[" + i + "] has " + c + " entries but " + name + "[0] has " + cols
                                + "; rows must all have the same length");
            }
        }
        return cols;
    }

    /**
     * {@code name} is not null, holds no null element, and is copied: the message names the first null index
     * ({@code targets[1] (null) must not be null}), where {@code List.copyOf} would throw a bare NullPointerException.
     */
    public static <T> List<T> noNullElements(String name, Collection<? extends T> values) {
        notNull(name, values);
        int i = 0;
        for (T v : values) {
            notNull(name + "[" + i + "]", v);
            i++;
        }
        return List.copyOf(values);
    }

    /** Every element of {@code values} is non-null; the message names the first null index. Returns the array. */
    public static <T> T[] noNullElements(String name, T[] values) {
        notNull(name, values);
        for (int i = 0; i < values.length; i++) {
            notNull(name + "[" + i + "]", values[i]);
        }
        return values;
    }

    /**
     * A working precision for BigDecimal arithmetic: non-null and with at least one digit
     * ({@code MathContext.UNLIMITED} cannot divide 1 by 3). Returns it.
     */
    public static MathContext precision(String name, MathContext mc) {
        notNull(name, mc);
        if (mc.getPrecision() < 1) {
            throw new IllegalArgumentException(name + " (" + mc + ") must have a precision of at least 1 digit;"
                    + " unlimited precision cannot represent 1/3 or e^x, use e.g. new MathContext(50)");
        }
        return mc;
    }

    /**
     * Refuses a computed double that overflowed: {@code what (value) overflowed; <cause>}. For outputs whose
     * inputs were finite but too large; {@code cause} names the input to change. Returns the value.
     */
    public static double finiteResult(String what, double value, String cause) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(what + " (" + value + ") is not finite; " + cause);
        }
        return value;
    }

    /** {@link #finiteResult(String, double, String)} for every entry; the message names the first bad index. */
    public static double[] finiteResult(String what, double[] values, String cause) {
        notNull(what, values);
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException(what + "[" + i + "] (" + values[i] + ") is not finite; " + cause);
            }
        }
        return values;
    }
}
