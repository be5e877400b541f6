package org.promptlimits.memorization;

import org.junit.jupiter.api.Test;
import org.promptlimits.check.Check;
import org.promptlimits.check.CheckTable;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MemorizationChecksTest {

    /**
     * Every check row of the table can fail on its own measurement. The table used to end in E3, "min over found
     * settings of (learned Lp − counting bound) ≥ 0", which held whatever the tuner did: with an empty sweep it
     * compared nothing (0 ≥ 0), and with the notebook's sweep every bound was 1, met by any prompt of one token; nor
     * could a shorter prompt refute the bound, which covers all labelings of N inputs, not one data set.
     */
    @Test
    void learnedPromptsTableRerunsTheTunerAndHoldsOnlyRowsThatCanFail() {
        FrozenTransformer model = FrozenTransformer.random(2, 2, 0, 1, 4, 5L);
        Dataset data = Dataset.random(1, 2, 1, 7L);
        PromptTuner.Options adam = PromptTuner.Options.adam(0.05, 400, 0.25, 5L);
        PromptTuner.Result learned = PromptTuner.tune(model, data, 2, adam);
        CheckTable t = MemorizationChecks.learnedPrompts(model, data, adam, learned);
        assertEquals("Learned prompts (d = 2, L = 1, N = 1, ε = 1/4)", t.title());
        assertEquals(List.of("G1", "E1", "E2"), t.checks().stream().map(Check::id).toList());
        assertTrue(t.facts().isEmpty(), t.toString());
        assertTrue(t.checks().get(2).holds(), "same seed must give the same loss history");
        assertEquals(learned.maxError() <= 0.25, t.checks().get(1).holds(), t.toString());

        // E1 fails for a prompt that does not memorize: the row measures the prompt it is given
        PromptTuner.Result early = PromptTuner.tune(model, data, 2, adam.withMaxSteps(0));
        CheckTable notYet = MemorizationChecks.learnedPrompts(model, data, adam.withMaxSteps(0), early);
        assertTrue(early.maxError() > 0.25, early.toString());
        assertTrue(notYet.failures().stream().map(Check::id).toList().equals(List.of("E1")), notYet.toString());
    }
}
