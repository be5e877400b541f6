package org.promptlimits.universality;

import org.junit.jupiter.api.Test;
import org.promptlimits.check.Check;
import org.promptlimits.precision.Interval;

import java.math.BigDecimal;

import static org.junit.jupiter.api.Assertions.*;

/** The certified grid check of Theorem 2.4 on the two-target example (d = 1, L = 2, δ = 1/4). */
class GridEnclosureTest {

    @Test
    void certifiedGridCheckHoldsAndEnclosesTheConstructionsOwnPass() {
        Theorem24 t = Theorem24.forTargets(Theorem24Test.twoTargets(), 0.75, ContextualStages.empirical(1L),
                Theorem24.Options.defaults());
        Check own = t.gridCheck();
        Check certified = GridEnclosure.check(t, "U1", t.transformer(), "τ", t.precision(), 12);
        System.out.println(own + "\n" + certified);
        assertTrue(certified.certified());
        assertTrue(certified.holds(), certified.toString());
        BigDecimal hi = certified.enclosure().measuredHigh();
        assertTrue(hi.signum() > 0, "rounding outward leaves a positive upper end");
        // the construction's own pass lands near the true error; the enclosure's width bounds how far
        assertTrue(own.measured().compareTo(hi.add(certified.enclosure().width()).add(BigDecimal.ONE.movePointLeft(
                t.precision().getPrecision() - 60))) <= 0);
        Interval[][] y = GridEnclosure.output(t, 0, new double[][] {{1.0, 0.5}}, t.precision());
        assertEquals(1, y.length);
        assertThrows(IllegalArgumentException.class, () -> GridEnclosure.output(t, 2, new double[][] {{0, 0}}, t.precision()));
    }
}
