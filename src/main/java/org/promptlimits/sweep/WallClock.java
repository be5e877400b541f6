package org.promptlimits.sweep;

import org.promptlimits.check.Format;
import org.promptlimits.check.Require;
import org.promptlimits.precision.Budget;

import java.util.Arrays;

/**
 * Wall-clock timing: one warm-up run, then {@code reps} timed runs summarised by their median or their minimum.
 * The minimum is the estimate least disturbed by other work on a shared machine (interference only adds time).
 *
 * @param reps    timed runs, ≥ 1
 * @param fastest true for the minimum of the runs, false for the median
 * @param budget  limits the array of run times ({@link Budget#maxBytes()}) and the estimated time of the timed runs
 *                ({@link Budget#maxSeconds()}, {@link Budget#repetitions}); timing large problems many times needs a
 *                larger one than {@link Budget#DEFAULT}'s 60 s
 */
public record WallClock(int reps, boolean fastest, Budget budget) implements Timer {

    public WallClock {
        Require.positive("reps", reps);
        Require.notNull("budget", budget);
        budget.requireArray("timed runs (reps doubles)", Double.BYTES, Budget.orLarger("lower reps", "maxBytes"),
                reps);
    }

    /** The timer within {@link Budget#DEFAULT} (60 s for the timed runs of one call). */
    public WallClock(int reps, boolean fastest) {
        this(reps, fastest, Budget.DEFAULT);
    }

    /** Median of {@code reps} runs after one warm-up run, within {@link Budget#DEFAULT}. */
    public static WallClock median(int reps) {
        return new WallClock(reps, false);
    }

    /** Fastest of {@code reps} runs after one warm-up run, within {@link Budget#DEFAULT}. */
    public static WallClock fastest(int reps) {
        return new WallClock(reps, true);
    }

    /** This timer within {@code b}, e.g. {@code WallClock.median(50).withBudget(Budget.DEFAULT.withMaxSeconds(600))}. */
    public WallClock withBudget(Budget b) {
        return new WallClock(reps, fastest, b);
    }

    /**
     * @throws IllegalArgumentException when the reps runs, at the time per run measured over the first of them, would
     *                                  take longer than the budget's maxSeconds (decided after maxSeconds /
     *                                  {@link Budget#TRUST_FRACTION} of runs)
     */
    @Override
    public double seconds(Runnable work) {
        Require.notNull("work", work);
        work.run();
        double[] t = new double[reps];
        // refused after the first runs when reps of them would take longer than the budget allows
        Budget.Repetitions guard = budget.repetitions("timing", reps, "reps");
        for (int i = 0; i < reps; i++) {
            guard.before(i);
            long t0 = System.nanoTime();
            work.run();
            t[i] = (System.nanoTime() - t0) * 1e-9;
        }
        return fastest ? Arrays.stream(t).min().getAsDouble() : Format.median(t);
    }
}
