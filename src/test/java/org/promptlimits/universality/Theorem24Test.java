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

    /** τ_P computes only the read columns after the attention layer; the full computation is the oracle. */
    @Test
    void tauOnReadColumnsEqualsTheFullComputationSliced() {
        Theorem24 t = Theorem24.forTargets(twoTargets(), 0.75, ContextualStages.empirical(1L), Theorem24.Options.defaults());
        java.math.MathContext mc = t.precision();
        double[][] x = {{0.37, 0.81}};
        for (int i = 0; i < 2; i++) {
            java.math.BigDecimal[][] p = t.prompt(i);
            java.math.BigDecimal[][] z = org.promptlimits.core.PositionalEncoding.add(
                    org.promptlimits.core.Tokens.concat(p, org.promptlimits.core.Tokens.exact(x)));
            java.math.BigDecimal[][] full = org.promptlimits.core.Tokens.columns(t.transformer().apply(z, mc), 1, 3);
            java.math.BigDecimal[][] fast = t.transformer().tau(p, org.promptlimits.core.Tokens.exact(x), mc);
            assertEquals(0, org.promptlimits.core.Tokens.maxAbsDifference(full, fast).signum(), "prompt " + i);
        }
    }
}
