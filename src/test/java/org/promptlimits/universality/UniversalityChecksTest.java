package org.promptlimits.universality;

import org.junit.jupiter.api.Test;
import org.promptlimits.check.CheckTable;
import org.promptlimits.quantize.Seq2Seq;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UniversalityChecksTest {

    @Test
    void deepFormAgreesWithItsWideFormAndNotWithAnotherFamily() {
        List<Seq2Seq> targets = Theorem24Test.twoTargets();
        Theorem24 wide = Theorem24.forTargets(targets, 0.75, ContextualStages.empirical(1L), Theorem24.Options.defaults());
        CheckTable same = UniversalityChecks.wideDeepAgreement(wide, Theorem23.from(wide), 30, 5L);
        assertEquals("W=D", same.checks().get(0).id());
        assertTrue(same.checks().get(0).certified(), same.toString());
        assertTrue(same.allHold(), same.toString());

        Theorem24 swapped = Theorem24.forTargets(List.of(targets.get(1), targets.get(0)), 0.75,
                ContextualStages.empirical(1L), Theorem24.Options.defaults());
        CheckTable other = UniversalityChecks.wideDeepAgreement(wide, Theorem23.from(swapped), 30, 5L);
        assertFalse(other.allHold(), "prompt i of the swapped family computes the other target: " + other);
    }
}
