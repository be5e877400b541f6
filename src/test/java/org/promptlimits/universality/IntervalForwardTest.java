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
}
