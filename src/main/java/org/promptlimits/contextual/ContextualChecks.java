package org.promptlimits.contextual;

import org.promptlimits.check.Check;
import org.promptlimits.check.CheckTable;
import org.promptlimits.check.Require;

/**
 * Check tables that compare contextual mappings or test their refusals (SPEC §3), as the solutions of notebook 02
 * show them.
 */
public final class ContextualChecks {

    private ContextualChecks() {
    }

    /**
     * The checks of {@code near} followed by E1: its scale c exceeds that of {@code far}, whose tokens are farther
     * apart (c grows as the tokenwise separation ε shrinks).
     */
    public static CheckTable scaleGrowsAsSeparationShrinks(ContextualMapping near, ContextualMapping far) {
        Require.notNull("near", near);
        Require.notNull("far", far);
        return near.checks().plus(CheckTable.of("", Check.greaterThan("E1", "c grows as ε shrinks", "exercise 1",
                near.c(), far.c(), "THEORY constants")));
    }

    /**
     * E3: building the sequences of {@code tokens} and a mapping on them (EMPIRICAL constants) throws
     * IllegalArgumentException with a message, as it must when a token repeats inside a sequence.
     *
     * @param tokens sequences × tokens × coordinates. Not modified.
     */
    public static CheckTable repeatedTokenRefused(double[][][] tokens) {
        String message = "";
        try {
            ContextualMapping.construct(Sequences.ofTokens(tokens), ContextualMapping.Constants.EMPIRICAL);
        } catch (IllegalArgumentException e) {
            message = e.getMessage() == null ? "" : e.getMessage();
        }
        return CheckTable.of("refusal", Check.isTrue("E3", "a repeated token is refused with a message", "exercise 3",
                !message.isEmpty(), "IllegalArgumentException"));
    }
}
