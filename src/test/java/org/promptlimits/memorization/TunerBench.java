package org.promptlimits.memorization;

/**
 * Tuner speed: Adam steps per second for d = 4, L = 4, Lp = 8 (one FF layer after attention, width 16, head
 * size 4), single thread, after a warm-up. Not a unit test; run with
 * {@code java -cp target/classes:target/test-classes org.promptlimits.memorization.TunerBench}.
 */
public final class TunerBench {

    private TunerBench() {
    }

    public static void main(String[] args) {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        FrozenTransformer model = FrozenTransformer.random(4, 4, 0, 1, 16, 1);
        for (int n : new int[] {1, 8, 32}) {
            Dataset data = Dataset.random(n, 4, 4, 2);
            PromptTuner.Options o = PromptTuner.Options.adam(0.01, steps, 1e-9, 3);
            PromptTuner.tune(model, data, 8, o.withMaxSteps(steps / 4)); // warm-up
            double[] rates = new double[5];
            for (int r = 0; r < rates.length; r++) {
                long t = System.nanoTime();
                PromptTuner.Result res = PromptTuner.tune(model, data, 8, o);
                rates[r] = res.steps() / ((System.nanoTime() - t) / 1e9);
            }
            java.util.Arrays.sort(rates);
            System.out.printf("d = 4, L = 4, Lp = 8, N = %d: median %.0f steps/s (min %.0f, max %.0f), %.2f µs per step per sequence%n",
                    n, rates[2], rates[0], rates[4], 1e6 / rates[2] / n);
        }
    }
}
