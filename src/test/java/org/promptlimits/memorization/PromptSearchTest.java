package org.promptlimits.memorization;

import org.junit.jupiter.api.Test;
import org.promptlimits.precision.Budget;

import static org.junit.jupiter.api.Assertions.*;

class PromptSearchTest {

    /** Adam at rate 0.05 (seed 5), one run per length, Lp up to maxLength. */
    private static PromptSearch.Result search(FrozenTransformer model, Dataset data, int steps, double epsilon,
                                              int maxLength) {
        return PromptSearch.smallestPromptLength(model, data, PromptTuner.Options.adam(0.05, steps, epsilon, 5),
                maxLength, 1);
    }

    @Test
    void searchFindsAMemorizingLengthAndEveryShorterTriedLengthFailed() {
        FrozenTransformer model = FrozenTransformer.random(4, 4, 0, 1, 16, 3);
        Dataset data = Dataset.random(1, 4, 2, 4);
        PromptSearch.Result r = search(model, data, 3000, 0.1, 16);
        assertTrue(r.found(), r.toString());
        assertTrue(r.best().memorized());
        assertEquals(r.smallestFound(), r.best().promptLength());
        for (PromptSearch.Attempt a : r.attempts()) {
            if (a.promptLength() < r.smallestFound()) {
                assertFalse(a.memorized(), a.toString());
            }
        }
        // the learned prompt really ε-memorizes, checked with the reference forward pass
        double[][] out = model.output(r.best().prompt(), data.input(0));
        double[][] y = data.label(0);
        for (int j = 0; j < 4; j++) {
            for (int k = 0; k < 2; k++) {
                assertTrue(Math.abs(out[j][k] - y[j][k]) <= 0.1);
            }
        }
        assertTrue(r.smallestFound() >= r.bound().minimumLength().intValueExact());
    }

    @Test
    void searchReportsFailureWithoutPretending() {
        PromptSearch.Result r = search(FrozenTransformer.random(2, 2, 0, 0, 1, 3), Dataset.random(6, 2, 2, 4),
                50, 0.01, 4);
        assertFalse(r.found());
        assertEquals(-1, r.smallestFound());
        assertFalse(r.best().memorized());
        assertTrue(r.toString().contains("no Lp ≤ 4 memorized"));
    }
    /**
     * Every run of this search is short (1,000 steps), but up to Lp = 4096 it is 13 lengths whose runs cost
     * more and more: it ran for many minutes with no warning (the old check compared only the restarts of one
     * length with the budget, and never with one restart). The whole search's worst case is now estimated from the
     * measured cost of its runs and refused after about a second.
     */
    @Test
    void aSearchWhoseLengthsTogetherExceedTheTimeBudgetIsRefusedWithinItsFirstLengths() {
        IllegalArgumentException e = refusedWithinAMinute(8, 100, 4, 1000, 4096, 1);
        assertTrue(e.getMessage().startsWith("prompt search (N = 100, d = 8, L = 4, maxLength = 4096) needs"),
                e.getMessage());
        assertTrue(e.getMessage().contains(" runs at Lp = ") && e.getMessage().contains(" and restarts = 1 at each later"
                + " Lp of ["), e.getMessage());
        assertTrue(e.getMessage().contains("4096] (the lengths still to try on the way up), maxSteps + 1 = 1001 loss"
                + " evaluations a run, each (L + Lp) × "), e.getMessage());
        assertTrue(e.getMessage().contains(" as measured over the "), e.getMessage()); // the first run, or all
        assertTrue(e.getMessage().contains("), above Budget.maxSeconds = 60;"), e.getMessage());
        assertTrue(e.getMessage().endsWith("; lower maxSteps, restarts or maxLength, or pass a Budget with a larger"
                + " maxSeconds"), e.getMessage());
    }

    /**
     * The search's time limit was always Budget.DEFAULT's 60 s, with no way to allow a longer search. The caller's
     * budget now sets it: 1,000 short runs (each far inside any of these limits) are refused by their total under a
     * tenth of the search's own measured time, and the search under a limit above that time is the one without a
     * budget, run for run.
     */
    @Test
    void theCallersBudgetSetsTheSearchsTimeLimit() {
        FrozenTransformer model = FrozenTransformer.random(2, 2, 0, 1, 16, 3);
        Dataset data = Dataset.random(4, 2, 1, 4);
        PromptTuner.Options options = PromptTuner.Options.adam(0.05, 50, 1e-6, 5); // ε never reached
        PromptSearch.smallestPromptLength(model, data, options, 1, 1000); // compiled before it is timed
        long start = System.nanoTime();
        PromptSearch.Result free = PromptSearch.smallestPromptLength(model, data, options, 1, 1000);
        double seconds = (System.nanoTime() - start) * 1e-9;
        assertEquals(1000, free.attempts().size());
        Budget small = Budget.DEFAULT.withMaxSeconds(seconds / 10);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PromptSearch.smallestPromptLength(model, data, options, 1, 1000, small));
        assertTrue(e.getMessage().startsWith("prompt search (N = 4, d = 2, L = 1, maxLength = 1) needs"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("; lower maxSteps, restarts or maxLength, or pass a Budget with a larger"
                + " maxSeconds"), e.getMessage());
        PromptSearch.Result allowed = PromptSearch.smallestPromptLength(model, data, options, 1, 1000,
                small.withMaxSeconds(100 * seconds));
        assertEquals(free.attempts(), allowed.attempts());
    }

    /** restarts = Integer.MAX_VALUE of short runs, each inside the budget, ran without end (one length's runs). */
    @Test
    void manyRestartsOfShortRunsAreRefusedByTheirTotalTime() {
        IllegalArgumentException e = refusedWithinAMinute(2, 4, 1, 20, 1, Integer.MAX_VALUE);
        assertTrue(e.getMessage().startsWith("prompt search (N = 4, d = 2, L = 1, maxLength = 1) needs"), e.getMessage());
        assertTrue(e.getMessage().contains(" runs at Lp = 1 and restarts = 2147483647"), e.getMessage());
    }

    /**
     * The refusal of a search on a random model of head size d and N random sequences of length L, with ε = 1e-6
     * (never reached), which must come within a minute: the old search ran on for far longer.
     */
    private static IllegalArgumentException refusedWithinAMinute(int d, int n, int length, int maxSteps, int maxLength,
                                                                 int restarts) {
        FrozenTransformer model = FrozenTransformer.random(d, d, 0, 1, 16, 3);
        Dataset data = Dataset.random(n, d, length, 4);
        return assertTimeoutPreemptively(java.time.Duration.ofSeconds(60), () -> assertThrows(
                IllegalArgumentException.class, () -> PromptSearch.smallestPromptLength(model, data,
                        PromptTuner.Options.adam(0.05, maxSteps, 1e-6, 5), maxLength, restarts)));
    }
}
