package org.promptlimits.memorization;

import org.junit.jupiter.api.Test;
import org.promptlimits.precision.Budget;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class PromptTunerTest {

    /** ℓ(P) recomputed from the reference forward pass, one column at a time. */
    static double slowLoss(FrozenTransformer model, Dataset data, double[][] p) {
        double sum = 0;
        for (int i = 0; i < data.size(); i++) {
            double[][] out = model.output(p, data.input(i));
            double[][] y = data.label(i);
            for (int r = 0; r < data.d(); r++) {
                for (int k = 0; k < data.length(); k++) {
                    sum += (out[r][k] - y[r][k]) * (out[r][k] - y[r][k]);
                }
            }
        }
        return sum / ((double) data.size() * data.d() * data.length());
    }

    static double[][] randomPrompt(int d, int lp, long seed, double scale) {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
        double[][] p = new double[d][lp];
        for (double[] row : p) {
            for (int k = 0; k < lp; k++) {
                row[k] = scale * FrozenTransformer.gaussian(rng);
            }
        }
        return p;
    }

    @Test
    void fastLossEqualsReferenceForwardPass() {
        FrozenTransformer model = FrozenTransformer.random(3, 2, 1, 2, 5, 11);
        Dataset data = Dataset.random(4, 3, 3, 12);
        double[][] p = randomPrompt(3, 5, 13, 1.0);
        double fast = PromptTuner.evaluate(model, data, p)[0];
        assertEquals(slowLoss(model, data, p), fast, 1e-12 * Math.max(1, fast));
    }

    @Test
    void backpropagationMatchesCentralFiniteDifferences() {
        for (long seed = 0; seed < 4; seed++) {
            FrozenTransformer model = FrozenTransformer.random(3, 2, (int) (seed % 2), 2, 6, 100 + seed);
            Dataset data = Dataset.random(3, 3, 2, 200 + seed);
            double[][] p = randomPrompt(3, 4, 300 + seed, 2.0);
            double[][] g = PromptTuner.gradient(model, data, p);
            double[] diff = PromptTuner.centralDifference(g, p, 1e-6, q -> slowLoss(model, data, q));
            double worst = diff[0];
            double norm = diff[1];
            assertTrue(norm > 1e-6, "gradient should not vanish, seed " + seed);
            assertTrue(worst <= 1e-6 * Math.max(1, norm), "seed " + seed + ": |fd − backprop| = " + worst + ", |fd| = " + norm);
        }
    }

    @Test
    void gradientCheckHoldsAndReferenceErrorMatchesTheTuner() {
        FrozenTransformer model = FrozenTransformer.random(3, 3, 1, 1, 4, 21);
        Dataset data = Dataset.random(2, 3, 2, 22);
        double[][] p = randomPrompt(3, 3, 23, 1.5);
        assertTrue(PromptTuner.gradientCheck(model, data, p, 1e-6).holds());
        assertEquals(PromptTuner.evaluate(model, data, p)[1], PromptTuner.referenceMaxError(model, data, p), 1e-12);
    }

    @Test
    void tuningIsReproducibleBitForBit() {
        FrozenTransformer model = FrozenTransformer.random(2, 2, 0, 1, 4, 1);
        Dataset data = Dataset.random(3, 2, 2, 2);
        PromptTuner.Options o = PromptTuner.Options.adam(0.05, 50, 0.01, 7);
        PromptTuner.Result a = PromptTuner.tune(model, data, 4, o);
        PromptTuner.Result b = PromptTuner.tune(model, data, 4, o);
        assertArrayEquals(a.lossHistory(), b.lossHistory());
        assertArrayEquals(a.prompt()[0], b.prompt()[0]);
        assertEquals(a.steps() + 1, a.lossHistory().length);
    }

    @Test
    void tuningLowersTheLossAndReachesMemorizationOfASmallDataset() {
        FrozenTransformer model = FrozenTransformer.random(4, 4, 0, 1, 16, 3);
        Dataset data = Dataset.random(2, 4, 1, 4);
        PromptTuner.Result r = PromptTuner.tune(model, data, 2, PromptTuner.Options.adam(0.05, 3000, 0.1, 5));
        assertTrue(r.loss() < r.lossHistory()[0]);
        assertTrue(r.memorized(), r.toString());
        assertTrue(r.maxError() <= 0.1);
        double[][] p = r.prompt();
        for (int i = 0; i < data.size(); i++) {
            double[][] out = model.output(p, data.input(i));
            double[][] y = data.label(i);
            for (int j = 0; j < 4; j++) {
                for (int k = 0; k < 1; k++) {
                    assertTrue(Math.abs(out[j][k] - y[j][k]) <= 0.1);
                }
            }
        }
    }

    @Test
    void badOptionsAreRefusedWithParameterValueAndRule() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PromptTuner.Options.adam(0, 10, 0.1, 1));
        assertTrue(e.getMessage().startsWith("learningRate (0.0) must be"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PromptTuner.Options.adam(-1, 10, 0.1, 1));
        assertTrue(e.getMessage().contains("learningRate (-1.0)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PromptTuner.Options.adam(Double.NaN, 10, 0.1, 1));
        assertTrue(e.getMessage().contains("learningRate (NaN)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PromptTuner.Options.adam(0.1, 10, 1.0, 1));
        assertTrue(e.getMessage().contains("epsilon (1.0) must be in (0.0, 1.0)"), e.getMessage());
        FrozenTransformer model = FrozenTransformer.random(2, 1, 0, 0, 1, 1);
        Dataset wrongD = Dataset.random(2, 3, 2, 1);
        e = assertThrows(IllegalArgumentException.class,
                () -> PromptTuner.tune(model, wrongD, 2, PromptTuner.Options.adam(0.1, 1, 0.1, 1)));
        assertTrue(e.getMessage().contains("d = 3") && e.getMessage().contains("d = 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PromptTuner.tune(model, Dataset.random(2, 2, 2, 1),
                new double[][] {{0, Double.NaN}, {0, 0}}, PromptTuner.Options.adam(0.1, 1, 0.1, 1)));
        assertTrue(e.getMessage().contains("initialPrompt[0][1] (NaN) must be finite"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PromptTuner.tune(model, Dataset.random(2, 2, 2, 1),
                0, PromptTuner.Options.adam(0.1, 1, 0.1, 1)));
        assertTrue(e.getMessage().contains("promptLength (0) must be > 0"), e.getMessage());
    }

    @Test
    void givenWeightsBuildTheSameModelAsTheirRandomSource() {
        FrozenTransformer a = FrozenTransformer.random(2, 2, 1, 1, 3, 9);
        double[][][] w = a.attentionWeights();
        FrozenTransformer b = FrozenTransformer.of(w[0], w[1], w[2], w[3], a.layersBefore(), a.layersAfter());
        double[][] p = randomPrompt(2, 3, 1, 1);
        double[][] x = {{0.1, 0.2}, {0.3, 0.4}};
        assertArrayEquals(a.forward(p, x)[1], b.forward(p, x)[1]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FrozenTransformer.of(w[0], w[1], w[2], new double[][] {{1}}, List.of(), List.of()));
        assertTrue(e.getMessage().contains("wo has 1 rows but must have 2"), e.getMessage());
    }

    /**
     * maxSteps = Integer.MAX_VALUE threw NegativeArraySizeException (and 10^8, in a 1 GiB heap, OutOfMemoryError)
     * before the first step: the histories were allocated at maxSteps + 1 entries each. Histories that could not be held
     * are now refused by name before the first step; the others grow with the steps taken and still hold one entry
     * per step plus the final prompt's.
     */
    @Test
    void historiesAreSizedByTheBudgetAndGrowWithTheStepsTaken() {
        FrozenTransformer model = FrozenTransformer.random(4, 4, 0, 1, 16, 3);
        Dataset data = Dataset.random(2, 4, 1, 4);
        // 2·2^31 doubles (34 GB) exceed the budget of any heap this runs in; smaller counts depend on the heap
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PromptTuner.tune(model, data, 2,
                PromptTuner.Options.adam(0.05, Integer.MAX_VALUE, 0.02, 5)));
        assertTrue(e.getMessage().startsWith("loss and error histories (2·(maxSteps + 1) doubles) needs"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("; lower maxSteps, or pass a Budget with a larger maxBytes"),
                e.getMessage());
        // ε = 0.02 is not reached: every step is kept, past the histories' first capacity
        PromptTuner.Result r = PromptTuner.tune(model, data, 2, PromptTuner.Options.adam(0.05, 3000, 0.02, 5));
        assertFalse(r.memorized(), r.toString());
        assertEquals(3000, r.steps());
        assertEquals(3001, r.lossHistory().length);
        assertEquals(3001, r.maxErrorHistory().length);
        assertEquals(r.maxErrorHistory()[3000], r.maxError());
        assertTrue(r.lossHistory()[2000] > 0 && r.lossHistory()[2000] < r.lossHistory()[0]);
    }
    /**
     * maxSteps = 10^6 on N = 1,000 sequences ran for most of an hour (a few ms a step) with no warning: the budget's
     * repetition guard now estimates the run from its measured steps and stops a run above Budget.maxSeconds after
     * about a second.
     */
    @Test
    void aRunLongerThanTheTimeBudgetIsRefusedAfterItsFirstSteps() {
        FrozenTransformer model = FrozenTransformer.random(8, 8, 0, 1, 16, 3);
        Dataset data = Dataset.random(1000, 8, 8, 4);
        IllegalArgumentException e = assertTimeoutPreemptively(java.time.Duration.ofSeconds(60), () -> assertThrows(
                IllegalArgumentException.class, () -> PromptTuner.tune(model, data, 8,
                        PromptTuner.Options.adam(0.05, 1_000_000, 1e-6, 5))));
        assertTrue(e.getMessage().startsWith("prompt tuning (Lp = 8, N = 1000 sequences of L = 8) needs about"),
                e.getMessage());
        assertTrue(e.getMessage().contains("seconds (maxSteps = 1000000 × "), e.getMessage());
        assertTrue(e.getMessage().contains("measured over units "), e.getMessage());
        assertTrue(e.getMessage().contains(" in), above Budget.maxSeconds = 60;"), e.getMessage());
        assertTrue(e.getMessage().endsWith("; lower maxSteps, or pass a Budget with a larger maxSeconds"),
                e.getMessage());
    }

    /**
     * The time limit was always Budget.DEFAULT's 60 s, so a longer run was refused with no way to allow it. The
     * caller's budget now sets it: the same run is refused under a tenth of its own measured time and gives the same
     * result as without a budget under a limit above that time.
     */
    @Test
    void theCallersBudgetSetsTheTimeLimit() {
        FrozenTransformer model = FrozenTransformer.random(4, 4, 0, 1, 16, 3);
        Dataset data = Dataset.random(16, 4, 4, 4);
        PromptTuner.Options options = PromptTuner.Options.adam(0.05, 2000, 1e-6, 5); // ε never reached: every step
        PromptTuner.tune(model, data, 4, options); // compiled before it is timed
        long start = System.nanoTime();
        PromptTuner.Result free = PromptTuner.tune(model, data, 4, options);
        double seconds = (System.nanoTime() - start) * 1e-9;
        assertEquals(2000, free.steps());
        Budget small = Budget.DEFAULT.withMaxSeconds(seconds / 10);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PromptTuner.tune(model, data, 4, options, small));
        assertTrue(e.getMessage().startsWith("prompt tuning (Lp = 4, N = 16 sequences of L = 4) needs about"),
                e.getMessage());
        assertTrue(e.getMessage().contains("above Budget.maxSeconds = "), e.getMessage());
        assertTrue(e.getMessage().endsWith("; lower maxSteps, or pass a Budget with a larger maxSeconds"),
                e.getMessage());
        PromptTuner.Result allowed = PromptTuner.tune(model, data, 4, options, small.withMaxSeconds(100 * seconds));
        assertArrayEquals(free.lossHistory(), allowed.lossHistory());
        assertArrayEquals(free.prompt(), allowed.prompt());
        double[][] start0 = new double[4][4];
        assertThrows(IllegalArgumentException.class, () -> PromptTuner.tune(model, data, start0, options, small));
        assertEquals(2000, PromptTuner.tune(model, data, start0, options, small.withMaxSeconds(100 * seconds)).steps());
    }
}
