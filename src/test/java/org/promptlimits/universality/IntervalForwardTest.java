package org.promptlimits.universality;

import org.junit.jupiter.api.Test;
import org.promptlimits.core.IntervalForward;
import org.promptlimits.core.Matrices;
import org.promptlimits.precision.Interval;

import java.math.BigDecimal;
import java.math.MathContext;

import static org.junit.jupiter.api.Assertions.*;

/** The interval forward pass of a Theorem 2.4 transformer against its own BigDecimal forward pass. */
class IntervalForwardTest {

    @Test
    void theEnclosureHoldsTheRoundedForwardPassAndIsNarrow() {
        Theorem24 t = Theorem24Test.twoTargetExample();
        MathContext mc = t.precision();
        double[][][] inputs = {{{0.0, 0.25}}, {{0.5, 0.75}}, {{0.37, 0.81}}};
        for (int i = 0; i < 2; i++) {
            BigDecimal[][] p = t.prompt(i);
            for (double[][] x : inputs) {
                BigDecimal[][] rounded = t.transformer().tau(p, Matrices.exact(x), mc);
                Interval[][] box = IntervalForward.tau(t.transformer(), p, Matrices.exact(x), mc);
                for (int r = 0; r < rounded.length; r++) {
                    for (int l = 0; l < rounded[r].length; l++) {
                        Interval e = box[r][l];
                        // the rounded pass is within a few units of its last digit of the exact value, which the box holds
                        BigDecimal slack = BigDecimal.ONE.movePointLeft(mc.getPrecision() - 60);
                        assertTrue(e.lo().subtract(slack).compareTo(rounded[r][l]) <= 0
                                && rounded[r][l].compareTo(e.hi().add(slack)) <= 0, e + " vs " + rounded[r][l]);
                        assertTrue(e.width().compareTo(slack) < 0, "width " + e.width() + " at P = " + mc.getPrecision());
                    }
                }
            }
        }
    }

    /**
     * A feed-forward layer with a bias of 10^{−2·10^6} beside weights of 1: its folded linear map would be an exact
     * number of 2·10^6 digits, so it is refused, naming the product; an input entry of that scale beside 1 is rounded
     * outward instead, and the result holds the exact value.
     */
    @Test
    void weightsOfFarApartScalesAreRefusedByNameAndInputsOfThemRoundOutward() {
        BigDecimal tiny = BigDecimal.ONE.movePointLeft(2_000_000);
        BigDecimal[][] w1 = {{BigDecimal.ONE}, {BigDecimal.ONE}};
        BigDecimal[][] w2 = {{BigDecimal.ONE, BigDecimal.ONE}};
        MathContext mc = new MathContext(40);
        org.promptlimits.core.FeedForward far = org.promptlimits.core.FeedForward.of("far", w1,
                new BigDecimal[] {BigDecimal.ONE, tiny}, w2, new BigDecimal[] {BigDecimal.ZERO});
        Interval[][] z = IntervalForward.points(new BigDecimal[][] {{BigDecimal.ONE}});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IntervalForward.feedForward(far, z, mc));
        assertTrue(e.getMessage().startsWith("w2[0][1]·b1[1] (1e-2000000) added to ") && e.getMessage().contains("above 1000000"),
                e.getMessage());
        org.promptlimits.core.FeedForward plain = org.promptlimits.core.FeedForward.of("plain", w1,
                new BigDecimal[] {BigDecimal.ONE, BigDecimal.ZERO}, w2, new BigDecimal[] {BigDecimal.ZERO});
        // z = 10^{−2·10^6}: FF(z) = z + (z + 1) + z = 1 + 3·10^{−2·10^6}; its exact sums would have 2·10^6 digits
        Interval[][] out = assertTimeoutPreemptively(java.time.Duration.ofSeconds(60), () ->
                IntervalForward.feedForward(plain, IntervalForward.points(new BigDecimal[][] {{tiny}}), mc));
        assertTrue(out[0][0].lo().compareTo(BigDecimal.ONE) <= 0 && out[0][0].hi().compareTo(BigDecimal.ONE) > 0
                && out[0][0].width().compareTo(BigDecimal.ONE.movePointLeft(38)) < 0, out[0][0].toString());
    }
}
