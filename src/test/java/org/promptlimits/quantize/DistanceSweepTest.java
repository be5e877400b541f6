package org.promptlimits.quantize;

import org.junit.jupiter.api.Test;
import org.promptlimits.precision.Budget;
import org.promptlimits.precision.CallersBudget;
import org.promptlimits.sweep.Grid;
import org.promptlimits.sweep.LocalExecutor;
import org.promptlimits.sweep.SweepTable;
import tech.tablesaw.api.Table;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DistanceSweepTest {

    @Test
    void everyQuantizerIsWithinEpsilonAndTheTableIsReproducible() {
        Grid<DistanceSweep.Setting> grid = Grid.product(DistanceSweep.Setting.class, Map.of("target",
                DistanceSweep.TARGETS, "d", List.of(1), "length", List.of(2), "epsilon", List.of(0.5, 0.25)));
        DistanceSweep sweep = new DistanceSweep(2, 200, 3);
        Table one = new LocalExecutor(1).run(sweep, grid);
        Table two = new LocalExecutor(2).run(sweep, grid);
        assertEquals(Optional.empty(), SweepTable.firstDifference(one, two));
        assertEquals(10, one.rowCount());
        assertTrue(one.booleanColumn("within_epsilon").all(), one.print());
        // the same estimate as a direct call with the point's seed
        DistanceSweep.Setting s = grid.point(3);
        Seq2Seq f = Targets.catalogue(1, 2, 2).get(DistanceSweep.TARGETS.indexOf(s.target()));
        DistanceEstimate direct = DistanceEstimate.of(1, 2, 2, f.asOperator(),
                QuantizedFunction.forEpsilon(f, s.epsilon())::apply, 200, sweep.seed(s));
        assertEquals(direct.upper(), one.doubleColumn("upper").getDouble(3), 0.0);
    }

    @Test
    void anUnknownTargetIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DistanceSweep.Setting("cube", 1, 1, 0.5));
        assertTrue(e.getMessage().contains("target 'cube' must be one of [affine"), e.getMessage());
    }


    /**
     * Each point's estimate is held to the sweep's budget, as a memorization sweep's search is to its own (a larger
     * budget admitting what DEFAULT refuses: {@code DistanceEstimateTest.theCallersBudgetSetsTheTimeLimit}).
     */
    @Test
    void theSweepsBudgetSetsEachPointsTimeLimit() {
        DistanceSweep.Setting s = new DistanceSweep.Setting("shift", 1, 2, 0.5);
        CallersBudget.smallRefusesWhatDefaultRuns(b -> new DistanceSweep(2, 20_000, b, 3).run(s, 1),
                Budget.DEFAULT.withMaxSeconds(1e-3));
        assertEquals(Budget.DEFAULT, new DistanceSweep(2, 200, 3).budget());
    }
}
