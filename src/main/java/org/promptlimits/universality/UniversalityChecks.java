package org.promptlimits.universality;

import org.promptlimits.check.Check;
import org.promptlimits.check.CheckTable;
import org.promptlimits.check.Relation;
import org.promptlimits.check.Require;
import org.promptlimits.core.IntervalForward;
import org.promptlimits.core.Matrices;
import org.promptlimits.core.Tokens;
import org.promptlimits.precision.Budget;
import org.promptlimits.precision.Interval;

import java.math.BigDecimal;
import java.math.MathContext;
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
     * row from {@code SplittableRandom(seed)}) and every prompt, at most 10^-12. Certified: both outputs are
     * enclosed from the stored weights in outward-rounded interval arithmetic ({@link IntervalForward}) at the
     * deep transformer's precision, and the row is decided by the upper end of the enclosed distance. A
     * transformer with a layer that has no interval evaluation (a caller's own Layer) is compared on its outputs
     * rounded to double instead, and the row is not certified.
     *
     * @param wide    the Theorem 2.4 construction
     * @param deep    the Theorem 2.3 construction built from {@code wide}
     * @param samples number of random inputs, ≥ 1; held to the budget of {@code wide}'s options
     *                ({@link Theorem24.Options#budget()}: its maxSeconds)
     * @throws IllegalArgumentException when the samples at their measured cost would take longer than that budget's
     *                                  maxSeconds (decided after maxSeconds / {@link Budget#TRUST_FRACTION})
     */
    public static CheckTable wideDeepAgreement(Theorem24 wide, Theorem23 deep, int samples, long seed) {
        Require.notNull("wide", wide);
        Require.notNull("deep", deep);
        Require.positive("samples", samples);
        int d = wide.grid().d();
        int length = wide.grid().length();
        boolean enclosed = IntervalForward.supports(wide.transformer()) && IntervalForward.supports(deep.transformer());
        MathContext mc = deep.precision();
        RandomGenerator rnd = new SplittableRandom(seed);
        Interval worst = Interval.point(BigDecimal.ZERO);
        Budget.Repetitions guard = wide.options().budget().repetitions("wide/deep agreement", samples, "samples");
        for (int s = 0; s < samples; s++) {
            guard.before(s);
            double[][] x = new double[d][length];
            for (double[] row : x) {
                for (int l = 0; l < length; l++) {
                    row[l] = rnd.nextDouble();
                }
            }
            for (int i = 0; i < wide.targetCount(); i++) {
                worst = worst.max(enclosed ? enclosedDistance(wide, deep, i, x, mc)
                        : Interval.point(Tokens.pDistance(wide.output(i, x), deep.output(i, x), 2)));
            }
        }
        String claim = "max ‖τ_wide,P(X) − τ_deep,P(X)‖_2 over " + samples + " random X, " + wide.targetCount()
                + " prompts";
        String how = samples + " uniform X, seed " + seed;
        BigDecimal bound = new BigDecimal("1e-12");
        return CheckTable.of("wide (Thm 2.4) and deep (Thm 2.3) transformers agree", enclosed
                ? Check.certified("W=D", claim, "theory §5.7 [C]", worst.lo(), worst.hi(), Relation.AT_MOST, bound,
                        how + ", stored weights of both in interval arithmetic at " + mc.getPrecision() + " digits")
                : Check.of("W=D", claim, "theory §5.7 [C]", worst.hi(), Relation.AT_MOST, bound,
                        how + ", outputs rounded to double (a layer without interval evaluation)"));
    }

    /** Enclosure of ‖τ_wide(X) − τ_deep(X)‖_2 for prompt i, each transformer fed its prompt at its own precision (as
     * {@link Theorem24#output} and {@link Theorem23#output} do), enclosed at mc. */
    private static Interval enclosedDistance(Theorem24 wide, Theorem23 deep, int i, double[][] x, MathContext mc) {
        BigDecimal[][] input = Matrices.exact(wide.clamp(x));
        Interval[][] a = IntervalForward.tau(wide.transformer(), wide.promptCode().prompt(i, wide.precision()), input, mc);
        Interval[][] b = IntervalForward.tau(deep.transformer(), wide.promptCode().prompt(i, mc), input, mc);
        Interval squares = Interval.point(BigDecimal.ZERO);
        for (int r = 0; r < a.length; r++) {
            for (int c = 0; c < a[r].length; c++) {
                squares = squares.add(a[r][c].subtract(b[r][c], mc).square(mc), mc);
            }
        }
        return squares.sqrt(mc);
    }
}
