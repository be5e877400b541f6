package org.promptlimits.check;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Arrays;

/**
 * Short, readable renderings of numbers whose size ranges from 10^-1133 to 10^18.
 *
 * <p>Numbers of moderate size print in plain decimal; very small or very large ones print as
 * {@code 1.234e-1133}, which no double could hold. Used by check tables and notebooks.
 */
public final class Format {

    private static final int DIGITS = 4;

    private Format() {
    }

    /** {@code x} rounded to 4 significant digits, in plain notation for 1e-4 ≤ |x| &lt; 1e6, else {@code m.mmme±k}. */
    public static String number(BigDecimal x) {
        return number(x, DIGITS);
    }

    /**
     * {@code x} as {@link #number(BigDecimal)}, with as many more significant digits (up to 17) as it takes to print
     * differently from {@code other}: for a message that sets a refused value beside its bound, which at 4 digits
     * could print as the bound itself ("x (1e9) must be <= 1e9" for x = 1.0000001e9). Equal numbers print as
     * {@link #number(BigDecimal)}; numbers that agree in 17 digits print with " (to 17 digits)" after them.
     */
    public static String numberBeside(BigDecimal x, BigDecimal other) {
        Require.notNull("x", x);
        Require.notNull("other", other);
        if (x.compareTo(other) == 0) {
            return number(x);
        }
        for (int digits = DIGITS; digits <= 17; digits++) {
            String s = number(x, digits);
            if (!s.equals(number(other, digits))) {
                return s;
            }
        }
        return number(x, 17) + " (to 17 digits)";
    }

    /**
     * {@code x} rounded to {@code digits} significant digits (1 to 17), plain for 1e-4 ≤ |x| &lt; 1e6,
     * else {@code m.mme±k}; trailing zeros are dropped ({@code number(0.25, 3)} is {@code 0.25}).
     */
    public static String number(BigDecimal x, int digits) {
        Require.notNull("x", x);
        Require.that(digits >= 1 && digits <= 17, "digits (" + digits + ") must be in 1..17");
        if (x.signum() == 0) {
            return "0";
        }
        if (huge(x)) { // exact rounding would first compute 10^(digits of x): read the size from the bits instead
            double log10 = approximateLog10(x);
            int exponent = (int) Math.floor(log10);
            BigDecimal mantissa = new BigDecimal(Math.pow(10, log10 - exponent))
                    .round(new MathContext(Math.min(digits, APPROXIMATE_DIGITS), RoundingMode.HALF_EVEN));
            if (mantissa.compareTo(BigDecimal.TEN) >= 0) {
                mantissa = mantissa.movePointLeft(1);
                exponent++;
            }
            return (x.signum() < 0 ? "-" : "") + mantissa.stripTrailingZeros().toPlainString() + "e" + exponent;
        }
        BigDecimal r = x.round(new MathContext(digits, RoundingMode.HALF_EVEN));
        int exponent = r.precision() - r.scale() - 1; // floor(log10 |r|)
        if (exponent >= -4 && exponent < 6) {
            return r.stripTrailingZeros().toPlainString();
        }
        BigDecimal mantissa = r.movePointLeft(exponent).stripTrailingZeros();
        return mantissa.toPlainString() + "e" + exponent;
    }

    /** {@code x} as {@link #number(BigDecimal)}; NaN and infinities print as Java does. */
    public static String number(double x) {
        return number(x, DIGITS);
    }

    /** {@code x} as {@link #number(BigDecimal, int)}; NaN and infinities print as Java does. */
    public static String number(double x, int digits) {
        if (!Double.isFinite(x)) {
            return Double.toString(x);
        }
        return number(new BigDecimal(x), digits);
    }

    /**
     * Two numbers shown side by side (a measured value and its bound), each with 4 significant digits, or with
     * as many more (up to 17) as it takes for unequal values not to print equal: {@code 4.386 > 4.386} becomes
     * {@code 4.3862944 > 4.3862944}… only when they differ in a later digit. Equal values print equal.
     */
    public static String[] pair(BigDecimal a, BigDecimal b) {
        Require.notNull("a", a);
        Require.notNull("b", b);
        int digits = DIGITS;
        String sa = number(a, digits), sb = number(b, digits);
        while (a.compareTo(b) != 0 && sa.equals(sb) && digits < 17) {
            digits++;
            sa = number(a, digits);
            sb = number(b, digits);
        }
        return new String[] {sa, sb};
    }

    /** A duration in seconds with 3 significant digits and a unit: {@code 850 µs}, {@code 12.3 ms}, {@code 1.2 s}. */
    public static String seconds(double seconds) {
        Require.that(Double.isFinite(seconds) && seconds >= 0, "seconds (" + seconds + ") must be finite and ≥ 0");
        if (seconds == 0) {
            return "0 s";
        }
        if (seconds < 1e-3) {
            return number(seconds * 1e6, 3) + " µs";
        }
        return seconds < 1 ? number(seconds * 1e3, 3) + " ms" : number(seconds, 3) + " s";
    }

    /** A ratio such as a speed-up, 3 significant digits and a times sign: {@code 919×}, {@code 0.52×}. */
    public static String ratio(double ratio) {
        Require.finite("ratio", ratio);
        return number(ratio, 3) + "×";
    }

    /**
     * A count known by its log10, as a power of ten with 3 decimals of the exponent: {@code 10^2.149},
     * {@code 10^3000000}. An exponent from 2^43 (about 8.8e12) on, where doubles lie 0.002 or more apart, prints
     * with the digits it carries, the fewest that read back as the same double, in parentheses:
     * {@code 10^(4.1505174127191785e19)}, not the double's binary value written out, {@code 10^41505174127191785472}.
     */
    public static String power10(double log10) {
        Require.finite("log10", log10);
        BigDecimal exact = new BigDecimal(log10);
        if (Math.ulp(log10) < 1e-3) {
            return "10^" + exact.setScale(3, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
        }
        return "10^(" + number(exact, carriedDigits(log10)) + ")";
    }

    /** The fewest significant digits (1 to 17) whose rounding of x reads back as x; x finite. */
    private static int carriedDigits(double x) {
        BigDecimal exact = new BigDecimal(x);
        for (int digits = 1; digits < 17; digits++) {
            if (exact.round(new MathContext(digits, RoundingMode.HALF_EVEN)).doubleValue() == x) {
                return digits;
            }
        }
        return 17;
    }

    /** Samples as {@code median (min–max, k runs)} with {@link #seconds(double)}, e.g. {@code 12.3 ms (11.9 ms–14 ms, 5 runs)}. */
    public static String timing(double[] samples) {
        Require.that(samples != null && samples.length > 0, "samples must hold at least one time");
        for (int i = 0; i < samples.length; i++) {
            Require.nonNegative("samples[" + i + "]", samples[i]);
        }
        double[] s = samples.clone();
        Arrays.sort(s);
        return seconds(median(s)) + " (" + seconds(s[0]) + "–" + seconds(s[s.length - 1]) + ", " + s.length
                + (s.length == 1 ? " run)" : " runs)");
    }

    /**
     * x as written in a title: an integer below 10^15 without a fraction ({@code 2}, not {@code 2.0}), any other
     * value as {@link Double#toString} ({@code 2.5}, {@code 1.0E20}: a long cannot hold every integral double).
     */
    public static String plain(double x) {
        return x == Math.rint(x) && Math.abs(x) < 1e15 ? Long.toString((long) x) : Double.toString(x);
    }

    /** The median of values (the mean of the middle two for an even count); values must be non-empty. */
    public static double median(double[] values) {
        Require.that(values != null && values.length > 0, "values must hold at least one number");
        double[] s = values.clone();
        Arrays.sort(s);
        int h = s.length / 2;
        if (s.length % 2 == 1) {
            return s[h];
        }
        double mean = (s[h - 1] + s[h]) / 2;
        // the sum of two finite values above 2^1023 overflows; halved first, they keep the mean finite
        return Double.isInfinite(mean) && Double.isFinite(s[h - 1]) && Double.isFinite(s[h]) ? s[h - 1] / 2 + s[h] / 2
                : mean;
    }

    /**
     * floor(log10 |x|) computed exactly from the decimal representation; x must be non-zero. Beyond about 6,000
     * significant digits it is read from the bits ({@link #approximateLog10}), exact unless |x| is within a
     * relative 1e-6 of a power of ten.
     */
    public static int exponent10(BigDecimal x) {
        Require.notNull("x", x);
        Require.that(x.signum() != 0, "x (0) must be non-zero to have a decimal exponent");
        if (huge(x)) {
            return (int) Math.floor(approximateLog10(x));
        }
        return x.precision() - x.scale() - 1;
    }

    /** Unscaled values of more bits than this are formatted from their bits (exact rounding costs seconds beyond). */
    private static final int EXACT_BITS = 20_000;

    /** Significant digits a mantissa read from a double logarithm of a number beyond 10^6000 keeps. */
    private static final int APPROXIMATE_DIGITS = 6;

    private static boolean huge(BigDecimal x) {
        return x.unscaledValue().bitLength() > EXACT_BITS;
    }

    /**
     * log10 |x| from the leading 62 bits of the unscaled value and the bit length, in constant time however many
     * digits x has (x = 2^(9·10^8) takes microseconds; its exact decimal digits would take hours). x non-zero.
     */
    public static double approximateLog10(BigDecimal x) {
        Require.notNull("x", x);
        Require.that(x.signum() != 0, "x (0) must be non-zero to take its log10");
        BigInteger u = x.unscaledValue().abs();
        int shift = Math.max(0, u.bitLength() - 62);
        return Math.log10(u.shiftRight(shift).doubleValue()) + shift * Math.log10(2) - x.scale();
    }

    /** log10 |x| to about 15 significant digits, for any non-zero BigDecimal, however small or large. */
    public static double log10(BigDecimal x) {
        Require.notNull("x", x);
        Require.that(x.signum() != 0, "x (0) must be non-zero to take its log10");
        if (huge(x)) {
            return approximateLog10(x);
        }
        int e = exponent10(x);
        double mantissa = x.abs().movePointLeft(e).doubleValue(); // in [1, 10)
        return e + Math.log10(mantissa);
    }
}
