package org.promptlimits.universality;

import org.junit.jupiter.api.Test;
import org.promptlimits.check.Check;
import org.promptlimits.check.CheckTable;
import org.promptlimits.core.Layer;
import org.promptlimits.core.Matrices;
import org.promptlimits.core.Tokens;
import org.promptlimits.quantize.Grid;
import org.promptlimits.quantize.GridTable;
import org.promptlimits.quantize.Targets;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The FF_1 → stage → FF_2 pipeline with an identity "attention" stage. With L = 1 and one target every X token
 * is its own context, so the pipeline alone must reproduce f̄ on the grid; with L = 2 the identity cannot
 * separate contexts and the build must refuse.
 */
class Theorem24PipelineTest {

    static final ContextStage.Factory IDENTITY = (seqs, first, mc) -> new ContextStage(new Layer() {
        public int dimension() {
            return 1;
        }

        public double[][] apply(double[][] z) {
            return Matrices.copy(z);
        }

        public BigDecimal[][] apply(BigDecimal[][] z, MathContext mc2) {
            return Matrices.copy(z);
        }

        public String kind() {
            return "SA";
        }

        public int width() {
            return 1;
        }

        public long parameterCount() {
            return 0;
        }
    }, new BigDecimal[] {BigDecimal.ONE}, 0, "identity");

    @Test
    void pipelineReproducesTheTableWhenEveryTokenIsItsOwnContext() {
        Theorem24 t = Theorem24.forTargets(List.of(Targets.square(1, 1, 2)), 0.25, 0.125, 0.5, IDENTITY,
                Theorem24.Options.defaults());
        Check u1 = t.gridCheck();
        assertTrue(u1.holds(), u1.toString());
        assertEquals(4, t.secondFeedForward().width());
        double[][] y = t.output(0, new double[][] {{0.6}});
        assertEquals(0.25, y[0][0], 1e-12); // f̄(0.6) = round(0.5² · 8)/8 = 0.25
        assertTrue(t.output(0, new double[][] {{1.0}})[0][0] >= 0.5);
    }

    @Test
    void buildRefusesWhenTwoContextIdsCoincide() {
        Grid g = Grid.of(1, 2, 0.5);
        double[][][] out = new double[4][][];
        for (int i = 0; i < 4; i++) {
            out[i] = new double[][] {{i / 4.0, 0.5}};
        }
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Theorem24.forTables(g, List.of(GridTable.of(g, out)), IDENTITY, Theorem24.Options.defaults()));
        assertTrue(e.getMessage().contains("context IDs coincide"), e.getMessage());
    }

    @Test
    void oversizedConstructionIsRefusedBeforeAnyWork() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Theorem24.forTargets(List.of(Targets.square(1, 1, 2)), 0.25, 0.125, 0.5, IDENTITY,
                        Theorem24.Options.defaults().withBudget(org.promptlimits.precision.Budget.DEFAULT.withMaxCells(3))));
        assertTrue(e.getMessage().contains("maxCells"), e.getMessage());
    }

    @Test
    void deepFormReproducesTheTableWithConstantWidth() {
        Theorem24 t = Theorem24.forTargets(List.of(Targets.tokenwiseAffine(1, 1, 2, -1, 1)), 0.25, 0.125, 0.5, IDENTITY,
                Theorem24.Options.defaults());
        Theorem23 deep = Theorem23.from(t);
        assertEquals(2 * 4 + 1 + 4, deep.transformer().depth());
        CheckTable table = deep.checks(50, 1);
        assertTrue(table.allHold(), table.toString());
    }
}
