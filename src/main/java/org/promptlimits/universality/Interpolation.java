package org.promptlimits.universality;

import org.promptlimits.check.Format;
import org.promptlimits.check.Require;
import org.promptlimits.core.FeedForward;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;

/**
 * The read-out layers of theory §5: token-wise maps of the context ID {@code s = vᵀy} that hit prescribed values
 * at prescribed knots. [C]
 *
 * <p>{@link #wide}: FF_2 of Theorem 2.4, one hidden layer of width M, the piecewise-linear interpolant
 * {@code t_1 + Σ_{m<M} (s_m − s_{m−1}) ReLU(s − z_m) − s_{M−1} ReLU(s − z_M)} with slopes
 * {@code s_m = (t_{m+1} − t_m)/(z_{m+1} − z_m)}, flat before z_1 and after z_M.
 * {@link #deep}: Theorem 2.3's constant-width form, M layers of width 4, layer m adding
 * {@code t_m·bump_m(vᵀy)} with a trapezoid bump equal to 1 on {@code [z_m − w, z_m + w]} and 0 outside
 * {@code (z_m − 2w, z_m + 2w)}.
 *
 * <p>The values t_m are what the layer must <em>add</em>: the residual connection keeps y, so a construction
 * passes {@code t_m = target_m − h_m} where h_m is the layer input at knot m.
 */
public final class Interpolation {

    private Interpolation() {
    }

    /**
     * FF_2: width-M interpolation through {@code (z_m, t_m)}.
     *
     * @param v      the unit read-out direction, length d. Not modified.
     * @param knots  z_1 &lt; … &lt; z_M, strictly increasing. Not modified.
     * @param values t_m ∈ R^d, M×d. Not modified.
     * @param mc     precision of the slopes
     * @throws IllegalArgumentException if the knots are not strictly increasing (two coincide) or shapes differ
     */
    public static FeedForward wide(BigDecimal[] v, BigDecimal[] knots, BigDecimal[][] values, MathContext mc) {
        int d = requireDirection(v);
        int m = requireKnots(knots, values, d);
        Require.precision("mc", mc);
        BigDecimal[][] slopes = new BigDecimal[m][d]; // slopes[j] on (z_j, z_{j+1}); slopes[m-1] = 0 beyond
        for (int j = 0; j < m; j++) {
            for (int i = 0; i < d; i++) {
                slopes[j][i] = j == m - 1 ? BigDecimal.ZERO
                        : values[j + 1][i].subtract(values[j][i], mc).divide(knots[j + 1].subtract(knots[j], mc), mc);
            }
        }
        BigDecimal[][] w1 = new BigDecimal[m][];
        BigDecimal[] b1 = new BigDecimal[m];
        BigDecimal[][] w2 = new BigDecimal[d][m];
        BigDecimal[] b2 = values[0].clone();
        for (int j = 0; j < m; j++) {
            w1[j] = v.clone();
            b1[j] = knots[j].negate();
            for (int i = 0; i < d; i++) {
                BigDecimal before = j == 0 ? BigDecimal.ZERO : slopes[j - 1][i];
                w2[i][j] = slopes[j][i].subtract(before, mc);
            }
        }
        return FeedForward.of("FF_2 interpolation, " + m + " knots", w1, b1, w2, b2);
    }

    /**
     * Theorem 2.3's read-out: M layers of width 4, layer m adding {@code t_m·bump_m(vᵀy)}.
     *
     * @param halfWidth w &gt; 0; windows {@code (z_m − 2w, z_m + 2w)} must not overlap: 4w &lt; min gap
     * @throws IllegalArgumentException if the knots are not increasing or their windows overlap
     */
    public static List<FeedForward> deep(BigDecimal[] v, BigDecimal[] knots, BigDecimal[][] values,
                                         BigDecimal halfWidth, MathContext mc) {
        int d = requireDirection(v);
        int m = requireKnots(knots, values, d);
        Require.positive("halfWidth", halfWidth);
        Require.that(halfWidth.compareTo(BigDecimal.ONE.scaleByPowerOfTen(-300)) > 0, "halfWidth ("
                + Format.number(halfWidth) + ") must be above 1e-300: the bump slopes 1/halfWidth must stay within"
                + " the double range");
        Require.precision("mc", mc);
        BigDecimal four = halfWidth.multiply(BigDecimal.valueOf(4));
        for (int j = 0; j + 1 < m; j++) {
            if (knots[j + 1].subtract(knots[j]).compareTo(four) <= 0) {
                throw new IllegalArgumentException("halfWidth (" + halfWidth.round(MathContext.DECIMAL32)
                        + ") must be below a quarter of the knot gap " + knots[j + 1].subtract(knots[j]).round(MathContext.DECIMAL32)
                        + " at knot " + j);
            }
        }
        BigDecimal inv = BigDecimal.ONE.divide(halfWidth, mc);
        List<FeedForward> layers = new ArrayList<>(m);
        for (int j = 0; j < m; j++) {
            BigDecimal[][] w1 = {v.clone(), v.clone(), v.clone(), v.clone()};
            BigDecimal z = knots[j];
            BigDecimal[] b1 = {
                z.subtract(halfWidth.multiply(BigDecimal.valueOf(2)), mc).negate(),
                z.subtract(halfWidth, mc).negate(),
                z.add(halfWidth, mc).negate(),
                z.add(halfWidth.multiply(BigDecimal.valueOf(2)), mc).negate()};
            BigDecimal[][] w2 = new BigDecimal[d][4];
            BigDecimal[] b2 = new BigDecimal[d];
            for (int i = 0; i < d; i++) {
                BigDecimal a = values[j][i].multiply(inv, mc);
                w2[i][0] = a;
                w2[i][1] = a.negate();
                w2[i][2] = a.negate();
                w2[i][3] = a;
                b2[i] = BigDecimal.ZERO;
            }
            layers.add(FeedForward.of("bump at knot " + j, w1, b1, w2, b2));
        }
        return layers;
    }

    /** v is non-null, has no null entry and its entries are within the double range (layers keep doubles). */
    private static int requireDirection(BigDecimal[] v) {
        inDoubleRange("v", Require.noNullElements("v", v));
        return v.length;
    }

    private static void inDoubleRange(String name, BigDecimal[] x) {
        for (int i = 0; i < x.length; i++) {
            Require.that(Double.isFinite(x[i].doubleValue()), name + "[" + i + "] (" + Format.number(x[i])
                    + ") must be within the double range (|x| < 1.8e308)");
        }
    }

    private static int requireKnots(BigDecimal[] knots, BigDecimal[][] values, int d) {
        Require.noNullElements("knots", knots);
        Require.noNullElements("values", values);
        for (int j = 0; j < values.length; j++) {
            inDoubleRange("values[" + j + "]", Require.noNullElements("values[" + j + "]", values[j]));
        }
        Require.positive("M (number of knots)", knots.length);
        Require.that(values.length == knots.length, "values has " + values.length + " rows but there are "
                + knots.length + " knots");
        for (int j = 0; j < knots.length; j++) {
            Require.that(values[j].length == d, "values[" + j + "] has " + values[j].length + " entries but d = " + d);
            if (j > 0 && knots[j].compareTo(knots[j - 1]) <= 0) {
                throw new IllegalArgumentException("knots[" + j + "] (" + knots[j].round(MathContext.DECIMAL64)
                        + ") must be > knots[" + (j - 1) + "] (" + knots[j - 1].round(MathContext.DECIMAL64)
                        + "): two context IDs coincide or are out of order");
            }
        }
        return knots.length;
    }
}
