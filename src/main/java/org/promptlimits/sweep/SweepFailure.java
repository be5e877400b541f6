package org.promptlimits.sweep;

/** A grid point whose evaluation threw: names the sweep, the point's index and values, and keeps the cause. */
public final class SweepFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public SweepFailure(String sweep, int index, Object point, Throwable cause) {
        super("sweep " + sweep + " failed at point " + index + " " + point + ": " + cause, cause);
    }
}
