package org.promptlimits.universality;

import org.promptlimits.check.Check;
import org.promptlimits.check.CheckTable;
import org.promptlimits.check.Relation;
import org.promptlimits.check.Require;
import org.promptlimits.precision.Budget;
import org.promptlimits.core.Tokens;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Check tables that compare the two universality constructions (theory §5), as notebook 05 and {@code verify}
 * show them.
 */
public final class UniversalityChecks {

    private UniversalityChecks() {
    }

    /**
     * The wide transformer of Theorem 2.4 and the deep narrow one of Theorem 2.3 built from it compute the same
     * function: the largest ‖τ_wide,P(X) − τ_deep,P(X)‖_2 over {@code samples} uniform X (entries drawn row by
     * row from {@code SplittableRandom(seed)}) and every prompt, at most 10^-12.
     *
     * @param wide    the Theorem 2.4 construction
     * @param deep    the Theorem 2.3 construction built from {@code wide}
     * @param samples number of random inputs, ≥ 1
     */
    public static CheckTable wideDeepAgreement(Theorem24 wide, Theorem23 deep, int samples, long seed) {
        Require.notNull("wide", wide);
        Require.notNull("deep", deep);
        Require.positive("samples", samples);
        int d = wide.grid().d();
        int length = wide.grid().length();
        RandomGenerator rnd = new SplittableRandom(seed);
        double worst = 0;
        Budget.Repetitions guard = Budget.DEFAULT.repetitions("wide/deep agreement", samples, "samples");
        for (int s = 0; s < samples; s++) {
            guard.before(s);
            double[][] x = new double[d][length];
            for (double[] row : x) {
                for (int l = 0; l < length; l++) {
                    row[l] = rnd.nextDouble();
                }
            }
            for (int i = 0; i < wide.targetCount(); i++) {
                worst = Math.max(worst, Tokens.pDistance(wide.output(i, x), deep.output(i, x), 2));
            }
        }
        return CheckTable.of("wide (Thm 2.4) and deep (Thm 2.3) transformers agree",
                Check.of("W=D", "max ‖τ_wide,P(X) − τ_deep,P(X)‖_2 over " + samples + " random X, "
                                + wide.targetCount() + " prompts", "theory §5 [C]",
                        worst, Relation.AT_MOST, 1e-12, samples + " uniform X, seed " + seed));
    }
}
