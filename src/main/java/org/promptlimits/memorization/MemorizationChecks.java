package org.promptlimits.memorization;

import org.promptlimits.check.Check;
import org.promptlimits.check.CheckTable;
import org.promptlimits.check.Relation;
import org.promptlimits.check.Require;

import java.util.Arrays;
import java.util.List;

/**
 * The check table of learned prompts against the counting bound of Theorem 2.5 (SPEC §6), as notebook 06 and
 * {@code verify} show it.
 */
public final class MemorizationChecks {

    private MemorizationChecks() {
    }

    /**
     * Checks on gradient-tuned prompts: the gradient against finite differences on a 5-step probe prompt of
     * length 3, the learned prompt's max error in the reference forward pass (bound ε of {@code options}), that
     * tuning again with the same seed gives the same loss history bit for bit, and that no setting of the sweep
     * found a memorizing prompt shorter than its counting bound.
     *
     * @param model   the frozen transformer
     * @param data    the dataset {@code learned} was tuned on
     * @param options the tuner options {@code learned} was tuned with
     * @param learned a tuning result on {@code model} and {@code data} with {@code options}
     * @param sweep   results of {@link PromptSearch#sweep}; settings without a memorizing prompt are skipped
     */
    public static CheckTable learnedPrompts(FrozenTransformer model, Dataset data, PromptTuner.Options options,
                                            PromptTuner.Result learned, List<PromptSearch.Result> sweep) {
        Require.notNull("model", model);
        Require.notNull("data", data);
        Require.notNull("options", options);
        Require.notNull("learned", learned);
        Require.notNull("sweep", sweep);
        double[][] probe = PromptTuner.tune(model, data, 3, options.withMaxSteps(5)).prompt();
        int lp = learned.promptLength();
        int slack = sweep.stream().filter(PromptSearch.Result::found)
                .mapToInt(r -> r.smallestFound() - r.bound().minimumLength().intValue()).min().orElse(0);
        double eps = options.epsilon();
        String epsText = Math.rint(1 / eps) == 1 / eps ? "1/" + (long) (1 / eps) : Double.toString(eps);
        return CheckTable.of("Learned prompts (d = " + data.d() + ", L = " + data.length() + ", N = " + data.size()
                        + ", ε = " + epsText + ") and the sweep",
                PromptTuner.gradientCheck(model, data, probe, 1e-6),
                Check.of("E1", "max error of the learned Lp = " + lp + " prompt, reference forward pass", "SPEC §6 [C]",
                        PromptTuner.referenceMaxError(model, data, learned.prompt()), Relation.AT_MOST, eps,
                        "double, " + learned.steps() + " Adam steps"),
                Check.isTrue("E2", "same seed, same loss history bit for bit", "determinism",
                        Arrays.equals(learned.lossHistory(), PromptTuner.tune(model, data, lp, options).lossHistory()),
                        "rerun of Lp = " + lp),
                Check.of("E3", "min over found settings of (learned Lp − counting bound)", "SPEC §6 [C]", slack,
                        Relation.AT_LEAST, 0, sweep.size() + " settings"));
    }

    /**
     * The expected effects of notebook 06's exercises: X1 the grid-token bound at d = 2, L = 4, ε = 1/20 exceeds
     * 10^10, X2 the construction for 17 labelings needs Lp = 3, X3 20,000 Adam steps reach a best max error no
     * larger than 3,000 steps, X4 the first dataset size whose 8-bit bound exceeds 16 tokens is 17.
     *
     * @param log10BoundAt20 log10 of {@link PromptLengthBound#gridTokens}(2, 4, 1/20, 1/20)
     * @param seventeen      the construction for 17 labelings of the δ = 1/4 grid, d = 1
     * @param shortRun       the search with 3,000 steps
     * @param longRun        the same search with 20,000 steps
     * @param firstN         the first N with {@link PromptLengthBound#forDatasetSize} above 16 (d = L = 4, ε = 1/10, 8 bits)
     */
    public static CheckTable exercises(double log10BoundAt20, MemorizingConstruction seventeen, PromptSearch.Result shortRun,
                                       PromptSearch.Result longRun, int firstN) {
        Require.notNull("seventeen", seventeen);
        Require.notNull("shortRun", shortRun);
        Require.notNull("longRun", longRun);
        return CheckTable.of("Exercise solutions, notebook 06",
                Check.of("X1", "log10 of the bound at d = 2, L = 4, ε = 1/20", "exercise 1", log10BoundAt20,
                        Relation.GREATER_THAN, 10, "grid tokens"),
                Check.of("X2", "Lp of the construction for m = 17 labelings", "exercise 2", seventeen.promptLength(),
                        Relation.EQUALS, 3, "δ = 1/4, d = 1"),
                Check.of("X3", "best max error, 20,000 steps vs 3,000 steps", "exercise 3", longRun.best().maxError(),
                        Relation.AT_MOST, shortRun.best().maxError(), "d = 4, L = 2, N = 2"),
                Check.of("X4", "first N with 8-bit bound > 16", "exercise 4", firstN, Relation.EQUALS, 17,
                        "d = 4, L = 4, ε = 1/10"));
    }
}
