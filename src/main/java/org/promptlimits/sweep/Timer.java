package org.promptlimits.sweep;

import java.io.Serializable;

/**
 * How a sweep measures time, supplied by the caller so that computations carry no stopwatch of their own:
 * {@link WallClock} for real measurements, {@link #skip()} where only the reproducible columns matter.
 */
@FunctionalInterface
public interface Timer extends Serializable {

    /** Seconds that {@code work} takes by this timer's rule (NaN if the timer does not run it). */
    double seconds(Runnable work);

    /** A timer that does not run the work and reports NaN: for sweeps whose timing columns are not wanted. */
    static Timer skip() {
        return work -> Double.NaN;
    }
}
