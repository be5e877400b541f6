package org.promptlimits.spark;

import org.promptlimits.memorization.MemorizationSweep;
import org.promptlimits.memorization.PromptTuner;
import org.promptlimits.phase.PhaseSweep;
import org.promptlimits.precision.Budget;
import org.promptlimits.sweep.Grid;
import org.promptlimits.sweep.WallClock;

import java.util.List;
import java.util.Map;

/** The small sweeps the tests run on both executors. */
final class Sweeps {

    private Sweeps() {
    }

    static final MemorizationSweep MEMORIZATION = new MemorizationSweep(PromptTuner.Options.adam(0.05, 300, 0.25, 5L),
            4, 1, 3);

    static Grid<MemorizationSweep.Setting> memorizationGrid() {
        return Grid.product(MemorizationSweep.Setting.class, Map.of("d", List.of(2, 3), "length", List.of(1, 2),
                "epsilon", List.of(0.25), "size", List.of(1, 2)));
    }

    /** The phase-transition sweep with real (wall-clock) timing columns, which comparisons leave out. */
    static final PhaseSweep PHASE = new PhaseSweep(1e-2, 0.25, Budget.DEFAULT.withMaxCells(5_000),
            WallClock.fastest(1), 5);

    static Grid<PhaseSweep.Setting> phaseGrid() {
        return Grid.product(PhaseSweep.Setting.class, Map.of("d", List.of(4), "n", List.of(64, 256),
                "bound", List.of(0.5, 1.0, 3.0)));
    }
}
