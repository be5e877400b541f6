package org.promptlimits.memorization;

import org.junit.jupiter.api.Test;
import org.promptlimits.check.Check;
import org.promptlimits.check.CheckTable;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MemorizationChecksTest {

    @Test
    void learnedPromptsTableRerunsTheTunerAndComparesTheSweepWithItsBound() {
        FrozenTransformer model = FrozenTransformer.random(2, 2, 0, 1, 4, 5L);
        Dataset data = Dataset.random(1, 2, 1, 7L);
        PromptTuner.Options adam = PromptTuner.Options.adam(0.05, 400, 0.25, 5L);
        PromptTuner.Result learned = PromptTuner.tune(model, data, 2, adam);
        CheckTable t = MemorizationChecks.learnedPrompts(model, data, adam, learned, List.of());
        assertEquals("Learned prompts (d = 2, L = 1, N = 1, ε = 1/4) and the sweep", t.title());
        assertEquals(List.of("G1", "E1", "E2", "E3"), t.checks().stream().map(Check::id).toList());
        assertTrue(t.checks().get(2).holds(), "same seed must give the same loss history");
        assertEquals(learned.maxError() <= 0.25, t.checks().get(1).holds(), t.toString());

        // a sweep setting that claims a memorizing prompt shorter than its counting bound fails E3
        PromptLengthBound bound = PromptLengthBound.forDatasetSize(64, 2, 2, 0.1, PromptSpace.bitsPerEntry(8, 2));
        int below = bound.minimumLength().intValue() - 1;
        PromptSearch.Result impossible = new PromptSearch.Result(64, 2, 2, 0.1, below, 16, List.of(), bound, learned);
        CheckTable bad = MemorizationChecks.learnedPrompts(model, data, adam, learned, List.of(impossible));
        assertEquals(-1, bad.checks().get(3).measured().intValue());
        assertTrue(bad.failures().stream().anyMatch(c -> c.id().equals("E3")), bad.toString());
    }
}
