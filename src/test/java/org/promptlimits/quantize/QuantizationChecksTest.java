package org.promptlimits.quantize;

import org.junit.jupiter.api.Test;
import org.promptlimits.check.CheckTable;

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

    @Test
    void emptyStepsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> QuantizationChecks.supErrorSweep(Targets.cumulativeMax(1, 2, 2.0), new int[0], 0.1, 10));
        assertTrue(e.getMessage().contains("ks (length 0)"), e.getMessage());
    }
}
