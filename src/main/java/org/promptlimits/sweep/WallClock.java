package org.promptlimits.sweep;

import org.promptlimits.check.Require;
import org.promptlimits.precision.Budget;

import java.util.Arrays;

/**
 * Wall-clock timing: one warm-up run, then {@code reps} timed runs summarised by their median or their minimum.
 * The minimum is the estimate least disturbed by other work on a shared machine (interference only adds time).
 *
 * @param reps    timed runs, ≥ 1
 * @param fastest true for the minimum of the runs, false for the median
 */
public record WallClock(int reps, boolean fastest) implements Timer {

    public WallClock {
        Require.positive("reps", reps);
        Budget.DEFAULT.requireArray("timed runs (reps doubles)", Double.BYTES, "lower reps", reps);
    }

    /** Median of {@code reps} runs after one warm-up run. */
    public static WallClock median(int reps) {
        return new WallClock(reps, false);
    }

    /** Fastest of {@code reps} runs after one warm-up run. */
    public static WallClock fastest(int reps) {
        return new WallClock(reps, true);
    }

    @Override
    public double seconds(Runnable work) {
        Require.notNull("work", work);
        work.run();
        double[] t = new double[reps];
        // refused after the first runs when reps of them would take longer than the budget allows
        Budget.Repetitions guard = Budget.DEFAULT.repetitions("timing", reps, "reps");
        for (int i = 0; i < reps; i++) {
            guard.before(i);
            long t0 = System.nanoTime();
            work.run();
            t[i] = (System.nanoTime() - t0) * 1e-9;
        }
        Arrays.sort(t);
        if (fastest) {
            return t[0];
        }
        return reps % 2 == 1 ? t[reps / 2] : (t[reps / 2 - 1] + t[reps / 2]) / 2;
    }
}
