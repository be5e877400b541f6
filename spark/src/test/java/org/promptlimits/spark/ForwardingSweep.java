package org.promptlimits.spark;

import org.promptlimits.sweep.Column;
import org.promptlimits.sweep.Sweep;

import java.util.List;

/** A test sweep that wraps another and changes only {@link #run}: name, seeds, columns and rows are the inner one's. */
interface ForwardingSweep<P extends Record, R> extends Sweep<P, R> {

    /** The wrapped sweep. */
    Sweep<P, R> inner();

    @Override
    default String name() {
        return inner().name();
    }

    @Override
    default long rootSeed() {
        return inner().rootSeed();
    }

    @Override
    default long seed(P point) {
        return inner().seed(point);
    }

    @Override
    default List<Column> columns() {
        return inner().columns();
    }

    @Override
    default Object[] row(R result) {
        return inner().row(result);
    }
}
