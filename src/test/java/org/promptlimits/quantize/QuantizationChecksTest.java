package org.promptlimits.quantize;

import org.junit.jupiter.api.Test;
import org.promptlimits.check.CheckTable;
import org.promptlimits.sweep.Grid;
import org.promptlimits.sweep.LocalExecutor;
import tech.tablesaw.api.Table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QuantizationChecksTest {

    @Test
    void supErrorSweepHoldsAndItsBoundShrinksWithDelta() {
        CheckTable t = QuantizationChecks.supErrorSweep(Targets.cumulativeMax(1, 2, 2.0), new int[] {2, 8, 32}, 1.0 / 4096, 300);
        assertEquals(3, t.checks().size());
        assertEquals("sup δ=1/8", t.checks().get(1).id());
        assertTrue(t.title().contains("δ_y = 1/4096"), t.title());
        assertTrue(t.allHold(), t.toString());
        assertTrue(t.checks().get(2).bound().compareTo(t.checks().get(0).bound()) < 0);
    }

    @Test
    void catalogueHoldsForEveryTargetAndTheStaircase() {
        CheckTable t = QuantizationChecks.catalogue(1, 2, 2.0);
        assertEquals("Quantization (theory §4): d = 1, L = 2, p = 2", t.title());
        assertEquals(2 * Targets.catalogue(1, 2, 2.0).size() + 2, t.checks().size());
        assertTrue(t.allHold(), t.toString());
    }

    /** The title cast p to a long: p = 1e20, a valid exponent, was reported as p = 9223372036854775807. */
    @Test
    void catalogueTitleReportsALargeP() {
        CheckTable t = QuantizationChecks.catalogue(1, 1, 1e20);
        assertEquals("Quantization (theory §4): d = 1, L = 1, p = 1.0E20", t.title());
        assertTrue(t.allHold(), t.toString());
    }

    @Test
    void emptyStepsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> QuantizationChecks.supErrorSweep(Targets.cumulativeMax(1, 2, 2.0), new int[0], 0.1, 10));
        assertTrue(e.getMessage().contains("ks (length 0)"), e.getMessage());
    }

    @Test
    void distanceSweepReportsTheWorstPointAndFailsAboveEpsilon() {
        Grid<DistanceSweep.Setting> g = Grid.parse(DistanceSweep.Setting.class,
                "target: affine, square\nd: 1\nlength: 2\nepsilon: 0.5, 0.25");
        Table t = new LocalExecutor(1).run(new DistanceSweep(2, 200, 3L), g);
        CheckTable ok = QuantizationChecks.distanceSweep(t);
        assertTrue(ok.allHold(), ok.toString());
        double worst = 0;
        for (int i = 0; i < t.rowCount(); i++) {
            worst = Math.max(worst, t.doubleColumn("upper").getDouble(i) / t.doubleColumn("epsilon").getDouble(i));
        }
        assertEquals(worst, ok.checks().get(0).measured().doubleValue(), 0.0);

        Table bad = t.copy();
        bad.doubleColumn("upper").set(3, 0.25 * 1.01);   // point 3: square, ε = 1/4
        CheckTable broken = QuantizationChecks.distanceSweep(bad);
        assertTrue(!broken.allHold());
        assertTrue(broken.checks().get(0).method().contains("largest at square, d = 1, ε = 0.25"),
                broken.checks().get(0).method());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> QuantizationChecks.distanceSweep(t.emptyCopy()));
        assertTrue(e.getMessage().contains("has no rows"), e.getMessage());
    }
}
