package org.promptlimits.memorization;

import org.promptlimits.check.Check;
import org.promptlimits.check.CheckTable;
import org.promptlimits.check.Relation;
import org.promptlimits.check.Require;

import java.util.Arrays;

/**
 * The check table of learned prompts against the counting bound of Theorem 2.5 (theory §6), as notebook 06 and
 * {@code verify} show it.
 */
public final class MemorizationChecks {

    private MemorizationChecks() {
    }

    /**
     * Checks on gradient-tuned prompts: the gradient against finite differences on a 5-step probe prompt of
     * length 3, the learned prompt's max error in the reference forward pass (bound ε of {@code options}), and that
     * tuning again with the same seed gives the same loss history bit for bit.
     *
     * <p>No row compares the smallest learned Lp of a sweep with the counting bound: that bound (theory §6.2) is
     * what a frozen τ needs to memorize <em>every</em> labeling of N inputs, so a shorter prompt that memorizes one
     * data set contradicts nothing, and with prompts stored as doubles the bound is 1 for the notebook's settings,
     * which every prompt (at least one token) meets by definition. Notebook 06 shows the bound beside the sweep.
     *
     * @param model   the frozen transformer
     * @param data    the dataset {@code learned} was tuned on
     * @param options the tuner options {@code learned} was tuned with
     * @param learned a tuning result on {@code model} and {@code data} with {@code options}
     */
    public static CheckTable learnedPrompts(FrozenTransformer model, Dataset data, PromptTuner.Options options,
                                            PromptTuner.Result learned) {
        Require.notNull("model", model);
        Require.notNull("data", data);
        Require.notNull("options", options);
        Require.notNull("learned", learned);
        double[][] probe = PromptTuner.tune(model, data, 3, options.withMaxSteps(5)).prompt();
        int lp = learned.promptLength();
        double eps = options.epsilon();
        String epsText = Math.rint(1 / eps) == 1 / eps ? "1/" + (long) (1 / eps) : Double.toString(eps);
        return CheckTable.of("Learned prompts (d = " + data.d() + ", L = " + data.length() + ", N = " + data.size()
                        + ", ε = " + epsText + ")",
                PromptTuner.gradientCheck(model, data, probe, 1e-6),
                Check.of("E1", "max error of the learned Lp = " + lp + " prompt, reference forward pass", "theory §6.3 [C]",
                        PromptTuner.referenceMaxError(model, data, learned.prompt()), Relation.AT_MOST, eps,
                        "double, " + learned.steps() + " Adam steps"),
                Check.isTrue("E2", "same seed, same loss history bit for bit", "theory §6.3 [C]",
                        Arrays.equals(learned.lossHistory(), PromptTuner.tune(model, data, lp, options).lossHistory()),
                        "rerun of Lp = " + lp));
    }
}
