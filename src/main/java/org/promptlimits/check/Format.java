package org.promptlimits.check;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

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
        if (x.signum() == 0) {
            return "0";
        }
        BigDecimal r = x.round(new MathContext(DIGITS, RoundingMode.HALF_EVEN));
        int exponent = r.precision() - r.scale() - 1; // floor(log10 |r|)
        if (exponent >= -4 && exponent < 6) {
            return r.stripTrailingZeros().toPlainString();
        }
        BigDecimal mantissa = r.movePointLeft(exponent).stripTrailingZeros();
        return mantissa.toPlainString() + "e" + exponent;
    }

    /** {@code x} as {@link #number(BigDecimal)}; NaN and infinities print as Java does. */
    public static String number(double x) {
        if (!Double.isFinite(x)) {
            return Double.toString(x);
        }
        return number(new BigDecimal(x));
    }

    /** floor(log10 |x|) computed exactly from the decimal representation; x must be non-zero. */
    public static int exponent10(BigDecimal x) {
        Require.that(x.signum() != 0, "x (0) must be non-zero to have a decimal exponent");
        return x.precision() - x.scale() - 1;
    }

    /** log10 |x| to about 15 significant digits, for any non-zero BigDecimal, however small or large. */
    public static double log10(BigDecimal x) {
        Require.that(x.signum() != 0, "x (0) must be non-zero to take its log10");
        int e = exponent10(x);
        double mantissa = x.abs().movePointLeft(e).doubleValue(); // in [1, 10)
        return e + Math.log10(mantissa);
    }
}
