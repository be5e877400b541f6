package org.promptlimits.memorization;

import org.junit.jupiter.api.Test;
import org.promptlimits.precision.Budget;
import org.promptlimits.sweep.Grid;
import org.promptlimits.sweep.LocalExecutor;
import org.promptlimits.sweep.SweepTable;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MemorizationSweepTest {

    static final PromptTuner.Options OPTIONS = PromptTuner.Options.adam(0.05, 400, 0.25, 5L);

    @Test
    void sweepOnEveryCoreEqualsTheSequentialExperiment() {
        int[] dims = {2, 3};
        int[] lengths = {1, 2};
        double[] eps = {0.25};
        int[] sizes = {1, 2};
        long root = 1;
        List<PromptSearch.Result> swept = PromptSearch.sweep(dims, lengths, eps, sizes, OPTIONS, 4, 1, root);
        List<PromptSearch.Result> loop = new ArrayList<>();
        for (int d : dims) {
            FrozenTransformer model = FrozenTransformer.random(d, d, 0, 1, 16, root + d);
            for (int len : lengths) {
                for (int n : sizes) {
                    Dataset data = Dataset.random(n, d, len, root + 1000L * d + 100L * len + n);
                    loop.add(PromptSearch.smallestPromptLength(model, data, OPTIONS, 4, 1));
                }
            }
        }
        assertEquals(loop.size(), swept.size());
        for (int i = 0; i < loop.size(); i++) {
            assertEquals(loop.get(i).attempts(), swept.get(i).attempts(), "setting " + i);
            assertEquals(loop.get(i).smallestFound(), swept.get(i).smallestFound());
            assertArrayEquals(loop.get(i).best().lossHistory(), swept.get(i).best().lossHistory());
        }
    }

    @Test
    void tableDoesNotDependOnTheThreadCount() {
        Grid<MemorizationSweep.Setting> grid = Grid.product(MemorizationSweep.Setting.class,
                Map.of("d", List.of(2), "length", List.of(1, 2), "epsilon", List.of(0.25, 0.1), "size", List.of(2)));
        MemorizationSweep sweep = new MemorizationSweep(OPTIONS, 2, 1, 11);
        Table one = new LocalExecutor(1).run(sweep, grid);
        Table two = new LocalExecutor(2).run(sweep, grid);
        assertEquals(Optional.empty(), SweepTable.firstDifference(one, two));
        assertEquals(List.of("point", "d", "length", "epsilon", "size", "seed", "smallest_lp", "found", "max_lp",
                "runs", "adam_steps", "best_max_error", "bound_lp"), one.columnNames());
        assertEquals(11 + 2000 + 100 + 2, one.longColumn("seed").getLong(0));
    }

    /**
     * Every point's search had Budget.DEFAULT's 60 s, so a sweep whose points take minutes could not run. The
     * sweep's budget now sets the limit of each point: a point is refused under a tenth of its own measured time and
     * gives the same search under a limit above it; the constructor without a budget keeps Budget.DEFAULT.
     */
    @Test
    void theSweepsBudgetSetsEachPointsTimeLimit() {
        PromptTuner.Options options = PromptTuner.Options.adam(0.05, 400, 0.5, 5L);
        MemorizationSweep.Setting point = new MemorizationSweep.Setting(3, 2, 1e-6, 4); // ε never reached
        MemorizationSweep free = new MemorizationSweep(options, 4, 2, 11);
        assertEquals(Budget.DEFAULT, free.budget());
        free.run(point, free.seed(point)); // compiled before it is timed
        long start = System.nanoTime();
        PromptSearch.Result unlimited = free.run(point, free.seed(point));
        double seconds = (System.nanoTime() - start) * 1e-9;
        MemorizationSweep small = new MemorizationSweep(options, 4, 2, Budget.DEFAULT.withMaxSeconds(seconds / 10), 11);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> small.run(point, small.seed(point)));
        assertTrue(e.getMessage().contains("above Budget.maxSeconds = ")
                && e.getMessage().endsWith(", or pass a Budget with a larger maxSeconds"), e.getMessage());
        MemorizationSweep large = new MemorizationSweep(options, 4, 2, Budget.DEFAULT.withMaxSeconds(100 * seconds), 11);
        assertEquals(unlimited.attempts(), large.run(point, large.seed(point)).attempts());
    }
}
