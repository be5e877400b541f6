package org.promptlimits.precision;

import org.promptlimits.check.Format;
import org.promptlimits.check.Interrupts;
import org.promptlimits.check.Require;

import java.io.Serializable;
import java.math.BigDecimal;
import java.util.List;
import java.util.function.Supplier;

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

    /**
     * Defaults sized for a notebook: 10^7 cells, 20,000 digits, 60 s, and {@link #defaultMaxBytes()} bytes (half
     * the JVM's max heap), so that an allocation the heap cannot hold is refused before it is tried.
     */
    public static final Budget DEFAULT = new Budget(10_000_000L, 20_000, defaultMaxBytes(), 60.0);

    /** Java's largest array length (a little below Integer.MAX_VALUE on HotSpot). */
    public static final long MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8L;

    /** Half of {@link Runtime#maxMemory()}: the default limit on the bytes one construction may allocate. */
    public static long defaultMaxBytes() {
        long max = Runtime.getRuntime().maxMemory();
        return max == Long.MAX_VALUE ? 1L << 30 : Math.max(1L << 20, max / 2);
    }

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
     * {@code grid needs 16777216 cells (4^12), above Budget.maxCells = 1e6; increase delta, or pass a Budget with a
     * larger maxCells}.
     *
     * @param what     what is being estimated, e.g. "grid"
     * @param estimate the estimated size; may be astronomically large (hence BigDecimal)
     * @param unit     the unit, e.g. "cells" or "digits"
     * @param limit    the budget's limit in that unit
     * @param limitName the budget field's name, e.g. "maxCells"
     * @param howEstimated how the estimate was computed, e.g. "(1/delta)^(d*L) = 4^12"
     * @param fix      what the caller can change, worded by {@link #orLarger} or {@link #orMoreHeap} where a limit
     *                 can be raised
     * @throws IllegalArgumentException if estimate &gt; limit
     */
    public static void require(String what, BigDecimal estimate, String unit, BigDecimal limit, String limitName,
                               String howEstimated, String fix) {
        Require.notNull("estimate", estimate);
        Require.notNull("limit", limit);
        if (estimate.compareTo(limit) > 0) {
            throw refusal(what, Format.number(estimate) + " " + unit, howEstimated, limitName, Format.number(limit),
                    fix);
        }
    }

    /**
     * The one wording of every refusal: {@code what needs amount (how), above Budget.limitName = limit; fix}.
     */
    private static IllegalArgumentException refusal(String what, String amount, String howEstimated,
                                                    String limitName, String limit, String fix) {
        return new IllegalArgumentException(what + " needs " + amount + " (" + howEstimated + "), above Budget."
                + limitName + " = " + limit + "; " + fix);
    }

    /**
     * The advice of a refusal by a budget the caller passed: {@code change + ", or pass a Budget with a larger " +
     * limitName}, e.g. "lower samples, or pass a Budget with a larger maxSeconds". Every refusal words its advice
     * in one of two forms: this one where the entry point takes the caller's Budget, and, where it takes none (and
     * so checks against {@link #DEFAULT}), only what to change, followed for {@code maxBytes}, which follows the
     * heap, by {@link #orMoreHeap}.
     *
     * @param change    what the caller can change instead, e.g. "lower samples"
     * @param limitName the budget field to raise, e.g. "maxSeconds"
     */
    public static String orLarger(String change, String limitName) {
        return or(change, "pass a Budget with a larger " + Require.notNull("limitName", limitName));
    }

    /**
     * The advice of a {@code maxBytes} refusal by {@link #DEFAULT} at an entry point that takes no Budget:
     * {@code change + ", or give the JVM more heap (-Xmx)"}, since DEFAULT's maxBytes is half the heap
     * ({@link #defaultMaxBytes()}). See {@link #orLarger} for the other form.
     *
     * @param change what the caller can change instead, e.g. "lower d or n"
     */
    public static String orMoreHeap(String change) {
        return or(change, MORE_HEAP);
    }

    private static final String MORE_HEAP = "give the JVM more heap (-Xmx)";

    /** The endings {@link #withoutMoreBytes} takes off. */
    private static final List<String> MORE_BYTES = List.of(orLarger("", "maxBytes"), or("", MORE_HEAP));

    private static String or(String change, String raise) {
        return Require.notNull("change", change) + ", or " + raise;
    }

    /**
     * The advice without its second form ({@link #orLarger} on maxBytes, {@link #orMoreHeap}), for a refusal that
     * no larger maxBytes or heap can lift: Java's array limit.
     */
    private static String withoutMoreBytes(String fix) {
        for (String raise : MORE_BYTES) {
            if (fix.endsWith(raise)) {
                return fix.substring(0, fix.length() - raise.length());
            }
        }
        return fix;
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

    /**
     * Refuses an estimate given as log10 (for sizes such as 2^(9·10^8), which no BigDecimal should be built for):
     * {@code what needs 10^(2.709e8) unit (how), above Budget.limitName = limit; fix}. Formatting is instant.
     *
     * @throws IllegalArgumentException if 10^log10Estimate &gt; limit or log10Estimate is NaN
     */
    public static void requireLog10(String what, double log10Estimate, String unit, double limit, String limitName,
                                    String howEstimated, String fix) {
        if (!(log10Estimate <= Math.log10(limit))) {
            throw refusal(what, formatLog10(log10Estimate) + " " + unit, howEstimated, limitName,
                    Format.number(limit), fix);
        }
    }

    /** 10^x written readably without building the number: {@code 1.234e56}, or {@link Format#power10} when huge. */
    public static String formatLog10(double log10) {
        if (Double.isNaN(log10)) {
            return "an unknown number of";
        }
        if (log10 == Double.POSITIVE_INFINITY) {
            return "more than 10^308";
        }
        if (log10 < 300 && log10 > -300) {
            return Format.number(Math.pow(10, log10));
        }
        return Format.power10(log10);
    }

    /**
     * The number of elements of an array of the given dimensions, refused if it overflows a long or is above
     * Java's array limit or this budget's {@link #maxBytes()}; allocate only after this check.
     *
     * @param what         what is allocated, e.g. "positional encoding E (d×n doubles)"
     * @param bytesPerItem bytes per element (8 for double, about 48 for a small BigDecimal)
     * @param fix          what the caller can change, e.g. {@code orMoreHeap("lower d or n")}; a dimension below 0
     *                     or an array above Java's limit is refused with it less its raising of maxBytes or heap
     * @param dims         the dimensions, each ≥ 0
     * @return the product of dims
     * @throws IllegalArgumentException with the estimate in bytes, if over a limit
     */
    public long requireArray(String what, long bytesPerItem, String fix, long... dims) {
        Require.notNull("dims", dims);
        Require.that(bytesPerItem > 0, "bytesPerItem (" + bytesPerItem + ") must be > 0");
        Require.notNull("fix", fix);
        double log10 = Math.log10(bytesPerItem);
        long items = 1;
        boolean overflow = false;
        for (long dim : dims) {
            Require.that(dim >= 0, what + ": a dimension (" + dim + ") is negative; " + withoutMoreBytes(fix));
            log10 += dim == 0 ? Double.NEGATIVE_INFINITY : Math.log10(dim);
            if (!overflow) {
                try {
                    items = Math.multiplyExact(items, dim);
                } catch (ArithmeticException e) {
                    overflow = true;
                }
            }
        }
        StringBuilder how = new StringBuilder();
        for (long dim : dims) {
            how.append(how.length() == 0 ? "" : "·").append(dim);
        }
        how.append(" items of ").append(bytesPerItem).append(" bytes");
        requireLog10(what, log10, "bytes", maxBytes, "maxBytes", how.toString(), fix);
        if (overflow || items > MAX_ARRAY_LENGTH) {
            throw new IllegalArgumentException(what + " needs " + formatLog10(log10 - Math.log10(bytesPerItem))
                    + " items in one array (" + how + "), above Java's array limit " + MAX_ARRAY_LENGTH + "; "
                    + withoutMoreBytes(fix));
        }
        return items;
    }

    /**
     * The time guard of a loop of {@code count} units whose cost is known only by running some: call
     * {@link Repetitions#before(long)} before each unit. At units 1, 2, 4, 8, … it estimates the loop's time as the
     * time so far plus the units left × the time per unit since the previous such check, and refuses the rest when
     * that is above {@link #maxSeconds()} ({@link #requireSeconds}), with the advice to lower {@code countName} or to
     * pass a Budget with a larger maxSeconds ({@link #orLarger}; other advice with
     * {@link #repetitions(String, long, String, String)}). It decides only once the loop has run for
     * {@link #maxSeconds()} / {@link #TRUST_FRACTION} (about 1 s at the default budget): the first units of a loop
     * run before the JIT has compiled its code, at many times their steady cost (prompt tuning at d = 8, N = 64:
     * 5.1 ms a step over the first 16, 0.19 ms on average over the 10^5 steps of a whole search), so a rate taken
     * from them refused loops that fit the budget easily.
     */
    public Repetitions repetitions(String what, long count, String countName) {
        return repetitions(what, count, countName, orLarger("lower " + countName, "maxSeconds"));
    }

    /**
     * {@link #repetitions(String, long, String)} with the caller's advice in place of "lower countName, or pass a
     * Budget with a larger maxSeconds", e.g. naming more than one count.
     */
    public Repetitions repetitions(String what, long count, String countName, String fix) {
        return new Repetitions(this, what, count, countName, fix);
    }

    /** See {@link #repetitions}: a loop decides after running for maxSeconds / TRUST_FRACTION. */
    public static final int TRUST_FRACTION = 64;

    /** See {@link #repetitions}. */
    public static final class Repetitions {
        private final Budget budget;
        private final String what;
        private final long count;
        private final String countName;
        private final String fix;
        private final long startNanos = System.nanoTime();
        private long windowNanos = startNanos;
        private long windowUnits;

        private Repetitions(Budget budget, String what, long count, String countName, String fix) {
            this.budget = Require.notNull("budget", budget);
            this.what = Require.notNull("what", what);
            Require.that(count >= 0, "count (" + count + ") must be >= 0");
            this.count = count;
            this.countName = Require.notNull("countName", countName);
            this.fix = Require.notNull("fix", fix);
        }

        /**
         * Before unit {@code s} (counted from 0): stops the loop when its thread is interrupted
         * ({@link Interrupts#check()}: a loop allowed a larger budget may run for minutes, and a notebook stops a
         * cell by interrupting it), and checks the time at s = 1, 2, 4, 8, … (see {@link Budget#repetitions}).
         *
         * @throws Interrupts.Interrupted if the thread has been interrupted
         */
        public void before(long s) {
            Interrupts.check();
            if (s <= 0 || (s & (s - 1)) != 0) {
                return;
            }
            long now = System.nanoTime();
            double elapsed = Math.max(0, now - startNanos) * 1e-9;
            if (elapsed >= budget.maxSeconds() / TRUST_FRACTION && s > windowUnits) {
                double each = Math.max(0, now - windowNanos) * 1e-9 / (s - windowUnits);
                long from = windowUnits;
                budget.requireSeconds(what, elapsed + (count - s) * each, () -> countName + " = " + count + " × "
                        + Format.seconds(each) + " measured over units " + from + "–" + s + ", "
                        + Format.seconds(elapsed) + " in", fix);
            }
            windowNanos = now;
            windowUnits = s;
        }
    }

    /**
     * Refuses a time estimate above {@link #maxSeconds()}:
     * {@code what needs about 125.3 seconds (how), above Budget.maxSeconds = 60; fix}, "about" because every time
     * estimate here is one (a rate measured on this machine, or a cost per operation). The explanation is built
     * only when refusing, so a loop may check often.
     *
     * @param seconds      the estimate; NaN is refused
     * @param howEstimated how the estimate was computed
     * @throws IllegalArgumentException if seconds &gt; maxSeconds or seconds is NaN
     */
    public void requireSeconds(String what, double seconds, Supplier<String> howEstimated, String fix) {
        Require.notNull("howEstimated", howEstimated);
        if (!(seconds <= maxSeconds)) {
            throw refusal(what, "about " + Format.number(seconds) + " seconds", howEstimated.get(), "maxSeconds",
                    Format.number(maxSeconds), fix);
        }
    }
}
