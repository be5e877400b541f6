package org.promptlimits.universality;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.promptlimits.core.FeedForward;
import org.promptlimits.core.Layer;
import org.promptlimits.quantize.Grid;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class InterpolationTest {

    private static final MathContext MC = new MathContext(80);

    /** Knots spaced by gaps as small as 10^{-30}, as the context IDs are: both read-outs must hit every knot. */
    @Property(tries = 40)
    void wideAndDeepReadOutsHitEveryKnotThroughTheResidual(@ForAll @IntRange(min = 1, max = 12) int m,
                                                           @ForAll long seed) {
        Random rnd = new Random(seed);
        BigDecimal[] knots = new BigDecimal[m];
        BigDecimal z = BigDecimal.valueOf(2);
        for (int j = 0; j < m; j++) {
            z = z.add(BigDecimal.ONE.scaleByPowerOfTen(-1 - rnd.nextInt(30)));
            knots[j] = z;
        }
        BigDecimal[][] values = new BigDecimal[m][1];
        for (int j = 0; j < m; j++) {
            values[j][0] = BigDecimal.valueOf(rnd.nextInt(9)).divide(BigDecimal.valueOf(8)).subtract(knots[j]);
        }
        BigDecimal[] v = {BigDecimal.ONE};
        FeedForward wide = Interpolation.wide(v, knots, values, MC);
        BigDecimal gap = BigDecimal.ONE.scaleByPowerOfTen(-31);
        List<FeedForward> deep = Interpolation.deep(v, knots, values, gap.divide(BigDecimal.valueOf(5)), MC);
        assertEquals(m, wide.width());
        for (int j = 0; j < m; j++) {
            BigDecimal[][] in = {{knots[j]}};
            BigDecimal want = knots[j].add(values[j][0]);
            BigDecimal got = wide.apply(in, MC)[0][0];
            assertTrue(got.subtract(want).abs().compareTo(new BigDecimal("1e-40")) < 0, "wide at knot " + j + ": " + got);
            BigDecimal[][] y = in;
            for (Layer layer : deep) {
                y = layer.apply(y, MC);
            }
            assertTrue(y[0][0].subtract(want).abs().compareTo(new BigDecimal("1e-40")) < 0, "deep at knot " + j + ": " + y[0][0]);
        }
        // Flat beyond the last knot and before the first.
        BigDecimal far = wide.apply(new BigDecimal[][] {{knots[m - 1].add(BigDecimal.TEN)}}, MC)[0][0];
        assertEquals(0, far.subtract(BigDecimal.TEN).subtract(knots[m - 1].add(values[m - 1][0])).abs()
                .compareTo(new BigDecimal("1e-40")) < 0 ? 0 : 1);
    }

    @Property(tries = 30)
    void promptCodeIsInjective(@ForAll @IntRange(min = 1, max = 2) int d, @ForAll @IntRange(min = 2, max = 4) int k,
                               @ForAll @IntRange(min = 1, max = 40) int m) {
        PromptCode code = PromptCode.of(Grid.withSteps(d, 2, k), m);
        assertTrue(Math.pow(k, d * code.length()) >= m);
        assertTrue(code.length() == 1 || Math.pow(k, d * (code.length() - 1)) < m);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < m; i++) {
            double[][] p = code.prompt(i);
            for (double[] row : p) {
                for (double x : row) {
                    assertTrue(x >= 0 && x < 1);
                }
            }
            assertTrue(seen.add(java.util.Arrays.deepToString(p)), "prompt " + i + " repeats");
        }
    }
}
