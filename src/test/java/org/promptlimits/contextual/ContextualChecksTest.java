package org.promptlimits.contextual;

import org.junit.jupiter.api.Test;
import org.promptlimits.check.CheckTable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ContextualChecksTest {

    private static final double[][] BASE = {{1.0, 0.0}, {-1.8, 0.45}, {-0.65, -1.65}};
    private static final double[][] CLOSER = {{1.0, 0.0}, {0.9, 0.1}, {-0.65, -1.65}};

    @Test
    void closerTokensNeedALargerScale() {
        ContextualMapping far = ContextualMapping.construct(Sequences.allArrangements(BASE, 2, 100),
                ContextualMapping.Constants.EMPIRICAL);
        ContextualMapping near = ContextualMapping.construct(Sequences.allArrangements(CLOSER, 2, 100),
                ContextualMapping.Constants.EMPIRICAL);
        CheckTable t = ContextualChecks.scaleGrowsAsSeparationShrinks(near, far);
        assertEquals("E1", t.checks().get(t.checks().size() - 1).id());
        assertTrue(t.checks().get(t.checks().size() - 1).holds(), t.toString());
        CheckTable reversed = ContextualChecks.scaleGrowsAsSeparationShrinks(far, near);
        assertFalse(reversed.checks().get(reversed.checks().size() - 1).holds(), reversed.toString());
    }

    @Test
    void aRepeatedTokenIsRefusedAndDistinctTokensAreNot() {
        assertTrue(ContextualChecks.repeatedTokenRefused(new double[][][] {{{1.0, 0.0}, {1.0, 0.0}},
                {{1.0, 0.0}, {-1.8, 0.45}}}).allHold());
        assertFalse(ContextualChecks.repeatedTokenRefused(new double[][][] {{{1.0, 0.0}, {-1.8, 0.45}},
                {{-1.8, 0.45}, {1.0, 0.0}}}).allHold());
    }
}
