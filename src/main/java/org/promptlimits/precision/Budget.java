package org.promptlimits.precision;

import org.promptlimits.check.Format;
import org.promptlimits.check.Require;

import java.io.Serializable;
import java.math.BigDecimal;

/**
 * Limits that a construction checks against its own size estimate before it allocates or computes.
 *
 * <p>Constructions in this library grow exponentially (grids of δ^{-dL} cells, thousands of digits,
 * ranks C(g+d, d)). Each one estimates its size first and calls {@link #require} so that an
 * oversized request fails at once with the estimate and the parameter to change, never with an
 * OutOfMemoryError or an hour of computing.
 *
 * @param maxCells  the largest number of cells, grid points, table entries or matrix entries
 * @param maxDigits the largest number of decimal digits for arbitrary-precision arithmetic
 * @param maxBytes  the largest number of bytes a construction may allocate in one piece
 * @param maxSeconds the largest estimated running time in seconds
 */
public record Budget(long maxCells, int maxDigits, long maxBytes, double maxSeconds) implements Serializable {

    /** Defaults sized for a notebook on a 2-core, 24 GiB machine: 10^7 cells, 20,000 digits, 1 GiB, 60 s. */
    public static final Budget DEFAULT = new Budget(10_000_000L, 20_000, 1L << 30, 60.0);

    public Budget {
        Require.that(maxCells > 0, "maxCells (" + maxCells + ") must be > 0");
        Require.positive("maxDigits", maxDigits);
        Require.that(maxBytes > 0, "maxBytes (" + maxBytes + ") must be > 0");
        Require.positive("maxSeconds", maxSeconds);
    }

    public Budget withMaxCells(long cells) {
        return new Budget(cells, maxDigits, maxBytes, maxSeconds);
    }

    public Budget withMaxDigits(int digits) {
        return new Budget(maxCells, digits, maxBytes, maxSeconds);
    }

    public Budget withMaxBytes(long bytes) {
        return new Budget(maxCells, maxDigits, bytes, maxSeconds);
    }

    public Budget withMaxSeconds(double seconds) {
        return new Budget(maxCells, maxDigits, maxBytes, seconds);
    }

    /**
     * Refuses an estimate above a limit, with a message such as
     * {@code grid needs 16777216 cells (4^12), above Budget.maxCells = 1e6; raise the budget or increase delta}.
     *
     * @param what     what is being estimated, e.g. "grid"
     * @param estimate the estimated size; may be astronomically large (hence BigDecimal)
     * @param unit     the unit, e.g. "cells" or "digits"
     * @param limit    the budget's limit in that unit
     * @param limitName the budget field's name, e.g. "maxCells"
     * @param howEstimated how the estimate was computed, e.g. "(1/delta)^(d*L) = 4^12"
     * @param fix      what the caller can change
     * @throws IllegalArgumentException if estimate &gt; limit
     */
    public static void require(String what, BigDecimal estimate, String unit, BigDecimal limit, String limitName,
                               String howEstimated, String fix) {
        if (estimate.compareTo(limit) > 0) {
            throw new IllegalArgumentException(what + " needs " + Format.number(estimate) + " " + unit
                    + " (" + howEstimated + "), above Budget." + limitName + " = " + Format.number(limit)
                    + "; " + fix);
        }
    }

    /** {@link #require} against {@link #maxCells()}. */
    public void requireCells(String what, BigDecimal cells, String howEstimated, String fix) {
        require(what, cells, "cells", BigDecimal.valueOf(maxCells), "maxCells", howEstimated, fix);
    }

    /** {@link #require} against {@link #maxDigits()}. */
    public void requireDigits(String what, BigDecimal digits, String howEstimated, String fix) {
        require(what, digits, "digits", BigDecimal.valueOf(maxDigits), "maxDigits", howEstimated, fix);
    }

    /** {@link #require} against {@link #maxBytes()}. */
    public void requireBytes(String what, BigDecimal bytes, String howEstimated, String fix) {
        require(what, bytes, "bytes", BigDecimal.valueOf(maxBytes), "maxBytes", howEstimated, fix);
    }

    /** {@link #require} against {@link #maxSeconds()}. */
    public void requireSeconds(String what, BigDecimal seconds, String howEstimated, String fix) {
        require(what, seconds, "seconds", BigDecimal.valueOf(maxSeconds), "maxSeconds", howEstimated, fix);
    }
}
