package org.promptlimits.universality;

import org.junit.jupiter.api.Test;
import org.promptlimits.check.Check;
import org.promptlimits.check.Format;
import org.promptlimits.core.Matrices;
import org.promptlimits.precision.Interval;

import java.math.BigDecimal;
import java.math.MathContext;

import static org.junit.jupiter.api.Assertions.*;

/** The certified grid check U1 of Theorem 2.4 on the two-target example (d = 1, L = 2, δ = 1/4). */
class GridEnclosureTest {

    @Test
    void u1IsTheEnclosureFromTheStoredWeightsAndContainsTheConstructionsOwnPass() {
        Theorem24 t = Theorem24Test.twoTargetExample();
        Check u1 = t.gridCheck();
        assertTrue(u1.certified());
        assertTrue(u1.holds(), u1.toString());
        BigDecimal hi = u1.enclosure().measuredHigh();
        assertEquals(0, u1.measured().compareTo(hi), "a ≤ row shows the upper end, the one that decides");
        assertTrue(hi.signum() > 0, "rounding outward leaves a positive upper end");
        // the construction's own rounding-to-nearest pass, recomputed here, lies within the enclosure's reach
        MathContext mc = t.precision();
        BigDecimal own = BigDecimal.ZERO;
        for (int i = 0; i < t.targetCount(); i++) {
            BigDecimal[][] prompt = t.promptCode().prompt(i, mc);
            for (long g = 0; g < t.grid().size().longValueExact(); g++) {
                BigDecimal[][] out = t.transformer().tau(prompt, Matrices.exact(t.clamp(t.grid().point(g))), mc);
                own = own.max(Matrices.maxAbsDifference(out, Matrices.exact(t.tables().get(i).output(g))));
            }
        }
        assertTrue(own.compareTo(hi.add(BigDecimal.ONE.movePointLeft(mc.getPrecision() - 60))) <= 0,
                "own pass " + Format.number(own) + " vs enclosure's upper end " + Format.number(hi));
    }

    @Test
    void aBoundBelowTheUpperEndFailsEvenWhenTheLowerEndIsUnderIt() {
        Theorem24 t = Theorem24Test.twoTargetExample();
        Check u1 = t.gridCheck();
        int digits = -Format.exponent10(u1.enclosure().measuredHigh()) + 1;   // 10^{-digits} < upper end
        Check tight = GridEnclosure.check(t, "U1", t.transformer(), "τ", t.precision(), digits);
        assertFalse(tight.holds(), tight.toString());
    }

    @Test
    void outputEnclosureHasTheInputsShapeAndRefusesAnUnknownTarget() {
        Theorem24 t = Theorem24Test.twoTargetExample();
        Interval[][] y = GridEnclosure.output(t, 0, new double[][] {{1.0, 0.5}}, t.precision());
        assertEquals(1, y.length);
        assertEquals(2, y[0].length);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GridEnclosure.output(t, 2, new double[][] {{0, 0}}, t.precision()));
        assertTrue(e.getMessage().contains("i (2)"), e.getMessage());
    }
}
