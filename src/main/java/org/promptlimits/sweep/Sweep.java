package org.promptlimits.sweep;

import java.io.Serializable;
import java.util.List;

/**
 * A sweep: a function from a grid point and its seed to a result, and the result as a table row. Implementations
 * are serialisable values (records of their settings) so that an executor can ship them to other threads, JVMs
 * or machines; {@link #run} must depend on nothing but the point, the seed and these settings.
 *
 * @param <P> the point record type
 * @param <R> the result type (need not be serialisable: executors that move results move rows)
 */
public interface Sweep<P extends Record, R> extends Serializable {

    /** A short name, used in table titles, output paths and error messages. */
    String name();

    /** The root seed every point seed derives from. */
    long rootSeed();

    /** The seed of one point: by default {@link Seeds#derive}(rootSeed, point). */
    default long seed(P point) {
        return Seeds.derive(rootSeed(), point);
    }

    /** Evaluates one point. */
    R run(P point, long seed);

    /** The result columns (after the point's own columns and its seed). */
    List<Column> columns();

    /** The result as values of {@link #columns()}, in that order. */
    Object[] row(R result);
}
