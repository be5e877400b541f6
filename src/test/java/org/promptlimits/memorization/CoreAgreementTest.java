package org.promptlimits.memorization;

import org.junit.jupiter.api.Test;
import org.promptlimits.core.Transformer;

import static org.junit.jupiter.api.Assertions.*;

/** The tuner's differentiable model against the library's core SelfAttention / FeedForward / Transformer. */
class CoreAgreementTest {

    @Test
    void differentiableForwardEqualsCoreTransformer() {
        for (long seed = 0; seed < 5; seed++) {
            int d = 2 + (int) (seed % 3);
            FrozenTransformer model = FrozenTransformer.random(d, 1 + (int) (seed % 2) * 2, (int) (seed % 2), 2, 5, seed);
            Transformer core = model.asCoreTransformer();
            double[][] p = PromptTunerTest.randomPrompt(d, 3, seed + 10, 2.0);
            double[][] x = Dataset.random(1, d, 4, seed + 20).input(0);
            double[][] ours = model.forward(p, x);
            double[][] theirs = core.tau(p, x);
            double[][] read = model.output(p, x);
            for (int r = 0; r < d; r++) {
                for (int l = 0; l < 4; l++) {
                    assertEquals(theirs[r][l], ours[r][3 + l], 1e-12 * Math.max(1, Math.abs(theirs[r][l])),
                            "seed " + seed + " entry (" + r + ", " + l + ")");
                    assertEquals(theirs[r][l] - (3 + l + 1), read[r][l], 1e-12 * Math.max(1, Math.abs(theirs[r][l])));
                }
            }
        }
    }
}
