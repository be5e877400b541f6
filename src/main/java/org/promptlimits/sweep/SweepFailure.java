package org.promptlimits.sweep;

/** A grid point whose evaluation threw: names the sweep, the point's index and values, and keeps the cause. */
public final class SweepFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public SweepFailure(String sweep, int index, Object point, Throwable cause) {
        super("sweep " + sweep + " failed at point " + index + " " + point + ": " + describe(cause), cause);
    }

    /** A refusal's own message (it names the parameter, value and rule); any other failure with its type. */
    private static String describe(Throwable cause) {
        return cause instanceof IllegalArgumentException && cause.getMessage() != null ? cause.getMessage()
                : String.valueOf(cause);
    }
}
