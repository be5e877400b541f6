package org.promptlimits.universality;

import org.junit.jupiter.api.Test;
import org.promptlimits.check.Check;
import org.promptlimits.check.CheckTable;
import org.promptlimits.core.Matrices;
import org.promptlimits.quantize.Seq2Seq;
import org.promptlimits.quantize.Targets;

import java.math.BigDecimal;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Theorem 2.4 end to end on theory §8.4's smallest case: d = 1, L = 2, δ = 1/4, two targets. */
class Theorem24Test {

    static List<Seq2Seq> twoTargets() {
        return List.of(Targets.tokenwiseAffine(1, 2, 2, -1, 1), Targets.shift(1, 2, 2));
    }

    /** The construction for {@link #twoTargets()} at ε = 0.75, built once per test JVM (it is immutable). */
    static Theorem24 twoTargetExample() {
        return Example.T;
    }

    private static final class Example {
        static final Theorem24 T = Theorem24.forTargets(twoTargets(), 0.75, ContextualStages.empirical(1L),
                Theorem24.Options.defaults());
    }

    @Test
    void everyPromptReproducesItsQuantizedTargetOnEveryGridInput() {
        Theorem24 t = twoTargetExample();
        System.out.println(t);
        assertEquals(4, t.grid().steps());
        assertEquals(1, t.promptCode().length());
        Check grid = t.gridCheck();
        assertTrue(grid.holds(), grid.toString());
        CheckTable table = t.checks(60, 3L);
        System.out.println(table);
        assertTrue(table.allHold(), table.toString());
    }

    /** τ_P computes only the read columns after the attention layer; the full computation is the oracle. */
    @Test
    void tauOnReadColumnsEqualsTheFullComputationSliced() {
        Theorem24 t = twoTargetExample();
        java.math.MathContext mc = t.precision();
        double[][] x = {{0.37, 0.81}};
        for (int i = 0; i < 2; i++) {
            java.math.BigDecimal[][] p = t.prompt(i);
            java.math.BigDecimal[][] z = org.promptlimits.core.PositionalEncoding.add(
                    org.promptlimits.core.Tokens.concat(p, org.promptlimits.core.Matrices.exact(x)));
            java.math.BigDecimal[][] full = org.promptlimits.core.Tokens.columns(t.transformer().apply(z, mc), 1, 3);
            java.math.BigDecimal[][] fast = t.transformer().tau(p, org.promptlimits.core.Matrices.exact(x), mc);
            assertEquals(0, org.promptlimits.core.Matrices.maxAbsDifference(full, fast).signum(), "prompt " + i);
        }
    }

    /** contextId on a grid input is one of FF_2's knots, and every knot is the contextId of its (i, G, l). */
    @Test
    void contextIdOfAGridInputIsTheKnotFf2Interpolates() {
        Theorem24 t = twoTargetExample();
        List<ContextIds.Knot> knots = t.knots();
        assertEquals(t.contextIds().length, knots.size());
        for (ContextIds.Knot k : knots) {
            BigDecimal id = t.contextId(k.target(), t.grid().point(k.gridIndex()), k.position());
            assertEquals(0, id.compareTo(k.id()), "target " + k.target() + ", grid point " + k.gridIndex()
                    + ", position " + k.position());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> t.contextId(0, new double[][] {{0.1, 0.2}}, 2));
        assertTrue(e.getMessage().contains("position") && e.getMessage().contains("2"), e.getMessage());
    }
}
