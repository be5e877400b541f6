package org.promptlimits.quantize;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.promptlimits.core.FeedForward;
import org.promptlimits.core.Layer;
import org.promptlimits.core.Tokens;

import java.math.BigDecimal;
import java.math.MathContext;

import static org.junit.jupiter.api.Assertions.*;

class StaircaseQuantizerTest {

    private static final MathContext MC = new MathContext(60);

    @Property(tries = 200)
    void quantizerIsExactOutsideItsSlabs(@ForAll @IntRange(min = 1, max = 3) int n,
                                         @ForAll @DoubleRange(min = 0, max = 1, maxIncluded = false) double x,
                                         @ForAll @IntRange(min = 1, max = 5) int kExp) {
        int k = 1 << kExp; // δ = 2^-kExp: every level is exact in binary and decimal
        StaircaseQuantizer q = StaircaseQuantizer.of(1, k, 1, n + 1, new BigDecimal("1e-8"), MC);
        double t = n + x; // the last position's token, inside [n, n+1)
        if (q.inSlab(t)) {
            return;
        }
        FeedForward layer = q.layer();
        BigDecimal exact = layer.apply(new BigDecimal[][] {{new BigDecimal(t)}}, MC)[0][0];
        assertEquals(0, exact.compareTo(q.reference(new BigDecimal(t))), "t = " + t + " gave " + exact);
        assertEquals(q.reference(t), layer.apply(new double[][] {{t}})[0][0], 1e-6);
    }

    @Property(tries = 100)
    void deepNarrowFormEqualsTheWideLayer(@ForAll @DoubleRange(min = 1, max = 3, maxIncluded = false) double t) {
        StaircaseQuantizer q = StaircaseQuantizer.of(1, 4, 1, 3, new BigDecimal("1e-9"), MC);
        if (q.inSlab(t)) {
            return;
        }
        BigDecimal[][] z = {{new BigDecimal(t)}};
        BigDecimal wide = q.layer().apply(z, MC)[0][0];
        BigDecimal[][] y = z;
        for (Layer l : q.deepLayers()) {
            assertEquals(3, l.width());
            y = l.apply(y, MC);
        }
        assertEquals(0, wide.subtract(y[0][0]).abs().compareTo(new BigDecimal("1e-40")) <= 0 ? 0 : 1,
                "t = " + t + ": wide " + wide + " deep " + y[0][0]);
    }

    @Test
    void quantizerInsideASlabInterpolatesBetweenLevels() {
        StaircaseQuantizer q = StaircaseQuantizer.of(1, 4, 0, 1, new BigDecimal("0.01"), MC);
        double t = 0.245; // halfway through the slab [0.24, 0.25)
        assertTrue(q.inSlab(t));
        double v = q.layer().apply(new double[][] {{t}})[0][0];
        assertEquals(0.125, v, 1e-12);
    }

    @Test
    void widthIsTwoPerStepPlusTwoPerCoordinate() {
        StaircaseQuantizer q = StaircaseQuantizer.of(2, 4, 1, 4, new BigDecimal("1e-6"), MC);
        assertEquals(2 * (2 * 11 + 2), q.layer().width());
        assertEquals(12, q.deepLayers().size());
        double[][] out = q.layer().apply(new double[][] {{1.3, 3.99}, {2.0, 2.7}});
        assertArrayEquals(new double[] {1.25, 3.75}, out[0], 1e-9);
        assertArrayEquals(new double[] {2.0, 2.5}, out[1], 1e-9);
        assertEquals(2, Tokens.requireShape("out", out, 2));
    }

    @Test
    void precisionTooSmallForEtaIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StaircaseQuantizer.of(1, 4, 1, 10, new BigDecimal("1e-30"), new MathContext(20)));
        assertTrue(e.getMessage().startsWith("mc precision (20) must exceed"), e.getMessage());
        assertEquals(new BigDecimal("1E-3"), StaircaseQuantizer.powerOfTenAtMost(0.005));
        assertEquals(new BigDecimal("1E-2"), StaircaseQuantizer.powerOfTenAtMost(0.01));
    }
}
