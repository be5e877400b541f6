package org.promptlimits.universality;

import org.junit.jupiter.api.Test;
import org.promptlimits.check.CheckTable;
import org.promptlimits.precision.Budget;
import org.promptlimits.precision.CallersBudget;
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

    /** The two-target construction of {@link Theorem24Test#twoTargets()} at ε = 0.75 within a budget. */
    private static Theorem24 within(Budget b) {
        return Theorem24.forTargets(Theorem24Test.twoTargets(), 0.75, ContextualStages.empirical(1L),
                Theorem24.Options.defaults().withBudget(b));
    }

    /** A limit the construction itself fits (its estimate is 0.03 s, its context IDs take 0.13 s cold). */
    private static final Budget SMALL = Budget.DEFAULT.withMaxSeconds(2);

    /**
     * The wide/deep agreement was always held to Budget.DEFAULT's 60 s, whatever budget the construction was built
     * with. It now takes the construction's ({@link Theorem24.Options#budget()}): 20,000 samples (about 40 s here)
     * are refused under a limit of 2 s, and 2^31 − 1 samples (refused under DEFAULT after a second) run on under a
     * larger one. (Unlike the other loops' tests, none here shows a count refused under the smaller limit and run
     * under DEFAULT: the smaller limit must also fit the construction, which takes as long as a few dozen samples.)
     */
    @Test
    void theConstructionsBudgetSetsTheAgreementsTimeLimit() {
        Theorem24 wide = within(SMALL);
        Theorem23 deep = Theorem23.from(wide);
        IllegalArgumentException small = CallersBudget.smallRefuses(
                b -> UniversalityChecks.wideDeepAgreement(wide, deep, 20_000, 5L), SMALL);
        assertTrue(small.getMessage().startsWith("wide/deep agreement needs about "), small.getMessage());
        CallersBudget.largerAdmitsWhatDefaultRefuses(b -> {
            Theorem24 w = within(b);
            UniversalityChecks.wideDeepAgreement(w, Theorem23.from(w), Integer.MAX_VALUE, 5L);
        });
    }

    /**
     * The Monte Carlo distances of both constructions (U2, D2) were held to Budget.DEFAULT's 60 s; they now take the
     * construction's budget, like the agreement (a larger budget admitting what DEFAULT refuses:
     * {@code DistanceEstimateTest.theCallersBudgetSetsTheTimeLimit}).
     */
    @Test
    void theConstructionsBudgetSetsTheDistancesTimeLimit() {
        Theorem24 wide = within(SMALL);
        CallersBudget.smallRefuses(b -> wide.distance(0, 1_000_000, 5L), SMALL);
        Theorem23 deep = Theorem23.from(wide);
        CallersBudget.smallRefuses(b -> deep.distance(0, 300_000, 5L), SMALL);
    }
}
