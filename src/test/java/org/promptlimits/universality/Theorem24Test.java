package org.promptlimits.universality;

import org.junit.jupiter.api.Test;
import org.promptlimits.check.Check;
import org.promptlimits.check.CheckTable;
import org.promptlimits.quantize.Seq2Seq;
import org.promptlimits.quantize.Targets;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Theorem 2.4 end to end on SPEC §8b's smallest case: d = 1, L = 2, δ = 1/4, two targets. */
class Theorem24Test {

    static List<Seq2Seq> twoTargets() {
        return List.of(Targets.tokenwiseAffine(1, 2, 2, -1, 1), Targets.shift(1, 2, 2));
    }

    @Test
    void everyPromptReproducesItsQuantizedTargetOnEveryGridInput() {
        Theorem24 t = Theorem24.forTargets(twoTargets(), 0.75, ContextualStages.empirical(1L), Theorem24.Options.defaults());
        System.out.println(t);
        assertEquals(4, t.grid().steps());
        assertEquals(1, t.promptCode().length());
        long start = System.nanoTime();
        Check grid = t.gridCheck();
        System.out.println(grid + " in " + (System.nanoTime() - start) / 1e6 + " ms");
        assertTrue(grid.holds(), grid.toString());
        CheckTable table = t.checks(60, 3L);
        System.out.println(table);
        assertTrue(table.allHold(), table.toString());
    }
}
