package org.promptlimits.sweep;

import tech.tablesaw.api.Table;

/** Runs every point of a grid and returns the {@link SweepTable}: the same table whatever the executor. */
public interface SweepExecutor {

    <P extends Record, R> Table run(Sweep<P, R> sweep, Grid<P> grid);
}
