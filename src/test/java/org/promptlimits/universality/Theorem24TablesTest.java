package org.promptlimits.universality;

import org.junit.jupiter.api.Test;
import org.promptlimits.check.Check;
import org.promptlimits.check.CheckTable;
import org.promptlimits.precision.Budget;
import org.promptlimits.quantize.Grid;
import org.promptlimits.quantize.GridTable;
import org.promptlimits.quantize.Targets;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/** The table entry point (memorization, theory §6) and the construction beyond d = 1, L = 2. */
class Theorem24TablesTest {

    private static List<GridTable> randomTables(Grid grid, int m, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<GridTable> tables = new ArrayList<>();
        int size = grid.size().intValueExact();
        for (int i = 0; i < m; i++) {
            double[][][] out = new double[size][grid.d()][grid.length()];
            for (double[][] y : out) {
                for (double[] row : y) {
                    for (int l = 0; l < row.length; l++) {
                        row[l] = rnd.nextInt(5) / 4.0;
                    }
                }
            }
            tables.add(GridTable.of(grid, out));
        }
        return tables;
    }

    @Test
    void threeRandomTablesAreMemorizedExactlyOnTheGrid() {
        Grid grid = Grid.of(1, 2, 0.5);
        Theorem24 t = Theorem24.forTables(grid, randomTables(grid, 3, 9));
        Check c = t.gridCheck();
        assertTrue(c.holds(), c.toString());
        assertEquals(3 * 4 * 2, t.secondFeedForward().width());
        assertTrue(Double.isNaN(t.epsilon()));
        assertThrows(IllegalArgumentException.class, () -> t.distance(0, 10, 1));
    }

    @Test
    void aDatasetBecomesATableAndIsMemorized() {
        Grid grid = Grid.of(1, 2, 0.5);
        List<double[][]> xs = List.of(new double[][] {{0.1, 0.7}}, new double[][] {{0.9, 0.2}});
        List<double[][]> ys = List.of(new double[][] {{0.25, 1.0}}, new double[][] {{0.75, 0.0}});
        GridTable table = GridTable.fromDataset(grid, xs, ys, 0.5, Budget.DEFAULT);
        Theorem24 t = Theorem24.forTables(grid, List.of(table));
        for (int j = 0; j < xs.size(); j++) {
            double[][] out = t.output(0, xs.get(j));
            assertArrayEquals(ys.get(j)[0], out[0], 1e-12);
        }
        assertArrayEquals(new double[] {0.5, 0.5}, t.output(0, new double[][] {{0.1, 0.1}})[0], 1e-12);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GridTable.fromDataset(grid,
                List.of(new double[][] {{0.1, 0.7}}, new double[][] {{0.2, 0.8}}),
                List.of(new double[][] {{0.25, 1.0}}, new double[][] {{0.5, 1.0}}), 0.5, Budget.DEFAULT));
        assertTrue(e.getMessage().contains("must not share grid cell"), e.getMessage());
    }

    @Test
    void twoDimensionalTokensWork() {
        Theorem24 t = Theorem24.forTargets(List.of(Targets.tokenwiseAffine(2, 1, 2, -1, 1), Targets.square(2, 1, 2)),
                0.5, 0.5, 0.9, ContextualStages.empirical(1L), Theorem24.Options.defaults());
        System.out.println(t);
        CheckTable checks = t.checks(30, 1L);
        assertTrue(checks.allHold(), checks.toString());
    }

    @Test
    void threePositionsWork() {
        Grid grid = Grid.of(1, 3, 0.5);
        Theorem24 t = Theorem24.forTables(grid, randomTables(grid, 2, 4));
        System.out.println(t);
        Check u1 = t.gridCheck();
        assertTrue(u1.holds(), u1.toString());
    }

    @Test
    void tablesOnAnotherGridAreRejected() {
        Grid a = Grid.of(1, 2, 0.5);
        Grid b = Grid.of(1, 2, 0.25);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Theorem24.forTables(a, randomTables(b, 1, 1)));
        assertTrue(e.getMessage().contains("tables[0] uses"), e.getMessage());
    }
}
