package org.promptlimits.memorization;

import org.promptlimits.check.Check;
import org.promptlimits.check.Interrupts;
import org.promptlimits.check.Relation;
import org.promptlimits.check.Require;
import org.promptlimits.core.Matrices;
import org.promptlimits.precision.Budget;

import java.io.Serializable;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import java.util.random.RandomGenerator;

/**
 * Prompt tuning by gradient descent: Adam on the soft prompt P alone, the transformer frozen, minimizing the
 * memorization loss {@code ℓ(P) = (1/(N·d·L)) Σ_i ‖τ_P(X^(i)) − E_X − Y^(i)‖_F²} and stopping as soon as the
 * prompt ε-memorizes the dataset, {@code max_i ‖τ_P(X^(i)) − E_X − Y^(i)‖_max ≤ ε}. theory §6 (empirical side) [C].
 *
 * <p>Gradients are hand-derived back-propagation ({@link MemorizationLoss}), verified against finite
 * differences in tests. Everything is deterministic: the same model, data and options give the same prompt,
 * bit for bit.
 */
public final class PromptTuner {

    private PromptTuner() {
    }

    /**
     * Settings of one tuning run.
     *
     * @param learningRate Adam step size, finite and &gt; 0
     * @param maxSteps     the largest number of Adam updates, ≥ 0
     * @param epsilon      the memorization tolerance ε ∈ (0, 1) (max-norm over all outputs)
     * @param seed         seed of the initial prompt
     * @param initScale    standard deviation of the initial prompt's entries, finite and ≥ 0
     * @param beta1        Adam's first-moment decay, in [0, 1)
     * @param beta2        Adam's second-moment decay, in [0, 1)
     */
    public record Options(double learningRate, int maxSteps, double epsilon, long seed, double initScale,
                          double beta1, double beta2) implements Serializable {

        public Options {
            Require.positive("learningRate", learningRate);
            Require.nonNegative("maxSteps", maxSteps);
            Require.inOpen("epsilon", epsilon, 0, 1);
            Require.nonNegative("initScale", initScale);
            Require.that(beta1 >= 0 && beta1 < 1, "beta1 (" + beta1 + ") must be in [0, 1)");
            Require.that(beta2 >= 0 && beta2 < 1, "beta2 (" + beta2 + ") must be in [0, 1)");
        }

        /** Adam with β1 = 0.9, β2 = 0.999, initial prompt entries N(0, 0.1²). */
        public static Options adam(double learningRate, int maxSteps, double epsilon, long seed) {
            return new Options(learningRate, maxSteps, epsilon, seed, 0.1, 0.9, 0.999);
        }

        public Options withSeed(long newSeed) {
            return new Options(learningRate, maxSteps, epsilon, newSeed, initScale, beta1, beta2);
        }

        public Options withMaxSteps(int steps) {
            return new Options(learningRate, steps, epsilon, seed, initScale, beta1, beta2);
        }

        public Options withLearningRate(double rate) {
            return new Options(rate, maxSteps, epsilon, seed, initScale, beta1, beta2);
        }
    }

    /**
     * The outcome of one tuning run. Arrays are copied in and out.
     *
     * @param prompt          the final prompt P, d×Lp (the first that ε-memorizes, if one was reached)
     * @param lossHistory     ℓ(P) before each update, then at the final prompt (length steps + 1)
     * @param maxErrorHistory the max-norm error at the same prompts
     * @param steps           Adam updates taken
     * @param memorized       whether the final prompt ε-memorizes the dataset
     * @param epsilon         ε
     */
    public record Result(double[][] prompt, double[] lossHistory, double[] maxErrorHistory, int steps,
                         boolean memorized, double epsilon) {

        public Result {
            prompt = Matrices.copy("prompt", prompt);
            lossHistory = Require.notNull("lossHistory", lossHistory).clone();
            maxErrorHistory = Require.notNull("maxErrorHistory", maxErrorHistory).clone();
        }

        @Override
        public double[][] prompt() {
            return Matrices.copy(prompt);
        }

        @Override
        public double[] lossHistory() {
            return lossHistory.clone();
        }

        @Override
        public double[] maxErrorHistory() {
            return maxErrorHistory.clone();
        }

        /** The max-norm error of the final prompt. */
        public double maxError() {
            return maxErrorHistory[maxErrorHistory.length - 1];
        }

        /** The loss of the final prompt. */
        public double loss() {
            return lossHistory[lossHistory.length - 1];
        }

        /** The prompt length Lp. */
        public int promptLength() {
            return prompt[0].length;
        }

        @Override
        public String toString() {
            return "Lp = " + promptLength() + ": " + (memorized ? "memorized" : "not memorized") + " after " + steps
                    + " steps, max error " + maxError() + " (ε = " + epsilon + "), loss " + loss();
        }
    }

    /**
     * Tunes a prompt of {@code promptLength} tokens whose entries start as N(0, initScale²), seeded, within
     * {@link Budget#DEFAULT} (60 s): {@link #tune(FrozenTransformer, Dataset, int, Options, Budget)}.
     */
    public static Result tune(FrozenTransformer model, Dataset data, int promptLength, Options options) {
        return tune(model, data, promptLength, options, Budget.DEFAULT);
    }

    /**
     * Tunes a prompt of {@code promptLength} tokens whose entries start as N(0, initScale²), seeded.
     *
     * @param budget limits the run's arrays ({@link Budget#maxBytes()}) and its estimated time
     *               ({@link Budget#maxSeconds()})
     * @throws IllegalArgumentException if promptLength &lt; 1, or the data's d differs from the model's, or maxSteps
     *                                  steps at their measured cost would take longer than the budget's
     *                                  {@link Budget#maxSeconds()} ({@link Budget#repetitions}: decided after
     *                                  maxSeconds / {@link Budget#TRUST_FRACTION} of steps, about a second at 60 s)
     */
    public static Result tune(FrozenTransformer model, Dataset data, int promptLength, Options options,
                              Budget budget) {
        Require.notNull("model", model);
        Require.positive("promptLength", promptLength);
        Require.notNull("options", options);
        Require.notNull("budget", budget);
        budget.requireArray("prompt with its gradient and Adam moments (4·d·promptLength doubles)",
                Double.BYTES, Budget.orLarger("lower promptLength", "maxBytes"), 4, model.d(), promptLength);
        RandomGenerator rng = new SplittableRandom(options.seed());
        double[][] p = new double[model.d()][promptLength];
        for (double[] row : p) {
            for (int k = 0; k < promptLength; k++) {
                row[k] = options.initScale() * FrozenTransformer.gaussian(rng);
            }
        }
        return run(model, data, p, options, budget);
    }

    /**
     * Tunes starting from a given prompt within {@link Budget#DEFAULT}:
     * {@link #tune(FrozenTransformer, Dataset, double[][], Options, Budget)}.
     */
    public static Result tune(FrozenTransformer model, Dataset data, double[][] initialPrompt, Options options) {
        return tune(model, data, initialPrompt, options, Budget.DEFAULT);
    }

    /**
     * Tunes starting from a given prompt (d×Lp, Lp ≥ 1). Not modified.
     *
     * @throws IllegalArgumentException on a shape mismatch or a non-finite entry, or when maxSteps steps would take
     *                                  longer than the budget's maxSeconds (as {@link #tune(FrozenTransformer,
     *                                  Dataset, int, Options, Budget)})
     */
    public static Result tune(FrozenTransformer model, Dataset data, double[][] initialPrompt, Options options,
                              Budget budget) {
        Require.notNull("model", model);
        Require.notNull("initialPrompt", initialPrompt);
        Require.that(initialPrompt.length == model.d(),
                "initialPrompt has " + initialPrompt.length + " rows but d = " + model.d());
        int lp = Require.rectangular("initialPrompt", initialPrompt);
        Require.positive("initialPrompt columns", lp);
        Require.allFinite("initialPrompt", initialPrompt);
        Require.notNull("options", options);
        Require.notNull("budget", budget);
        return run(model, data, Matrices.copy(initialPrompt), options, budget);
    }

    private static Result run(FrozenTransformer model, Dataset data, double[][] p, Options o, Budget budget) {
        MemorizationLoss objective = new MemorizationLoss(model, data, p[0].length);
        int d = p.length;
        int lp = p[0].length;
        double[][] g = new double[d][lp];
        double[][] m = new double[d][lp];
        double[][] v = new double[d][lp];
        // a run that never memorizes keeps maxSteps + 1 entries of each history: refused before the first step when
        // they cannot be held; they grow with the steps taken, so a run that stops early never holds them all
        budget.requireArray("loss and error histories (2·(maxSteps + 1) doubles)", Double.BYTES,
                Budget.orLarger("lower maxSteps", "maxBytes"), 2, o.maxSteps() + 1L);
        // maxSteps Adam steps at their measured cost: a run the time budget cannot hold is refused after about a
        // second, not after hours (an upper estimate: a run that memorizes stops early)
        Budget.Repetitions time = budget.repetitions("prompt tuning (Lp = " + lp + ", N = " + data.size()
                + " sequences of L = " + data.length() + ")", o.maxSteps(), "maxSteps");
        int capacity = (int) Math.min(o.maxSteps() + 1L, 1024);
        double[] losses = new double[capacity];
        double[] errors = new double[capacity];
        double b1t = 1;
        double b2t = 1;
        int step = 0;
        while (true) {
            Interrupts.check();
            time.before(step);
            boolean last = step == o.maxSteps();
            double[] le = objective.evaluate(p, last ? null : g);
            if (step == losses.length) {
                int grown = (int) Math.min(2L * losses.length, o.maxSteps() + 1L);
                losses = Arrays.copyOf(losses, grown);
                errors = Arrays.copyOf(errors, grown);
            }
            losses[step] = le[0];
            errors[step] = le[1];
            if (!Double.isFinite(le[0]) && step == 0) {
                throw new IllegalArgumentException("loss at the initial prompt (" + le[0] + ") must be finite; the"
                        + " initial prompt's entries (initialPrompt, or the options' initScale) are too large for the"
                        + " model; rescale them");
            }
            if (!Double.isFinite(le[0])) {
                throw new IllegalStateException("loss became " + le[0] + " at step " + step
                        + "; lower learningRate (" + o.learningRate() + ")");
            }
            if (le[1] <= o.epsilon() || last) {
                break;
            }
            b1t *= o.beta1();
            b2t *= o.beta2();
            for (int r = 0; r < d; r++) {
                for (int k = 0; k < lp; k++) {
                    double gr = g[r][k];
                    m[r][k] = o.beta1() * m[r][k] + (1 - o.beta1()) * gr;
                    v[r][k] = o.beta2() * v[r][k] + (1 - o.beta2()) * gr * gr;
                    double mh = m[r][k] / (1 - b1t);
                    double vh = v[r][k] / (1 - b2t);
                    p[r][k] -= o.learningRate() * mh / (Math.sqrt(vh) + 1e-8);
                }
            }
            step++;
        }
        return new Result(p, Arrays.copyOf(losses, step + 1), Arrays.copyOf(errors, step + 1), step,
                errors[step] <= o.epsilon(), o.epsilon());
    }

    /**
     * The loss ℓ(P) and the max-norm error of a given prompt, without tuning.
     *
     * @return {loss, max-norm error}
     */
    public static double[] evaluate(FrozenTransformer model, Dataset data, double[][] prompt) {
        Require.notNull("prompt", prompt);
        Require.that(prompt.length == Require.notNull("model", model).d(),
                "prompt has " + prompt.length + " rows but d = " + model.d());
        int lp = Require.rectangular("prompt", prompt);
        Require.allFinite("prompt", prompt);
        return Require.finiteResult("loss and error", new MemorizationLoss(model, data, lp).evaluate(prompt, null),
                "prompt's entries are finite but too large for the model (the loss overflows double); rescale prompt");
    }

    /**
     * The max-norm memorization error {@code max_i ‖τ_P(X^(i)) − E_X − Y^(i)‖_max} recomputed from the reference
     * forward pass {@link FrozenTransformer#output} (independent of the tuner's fast path).
     */
    public static double referenceMaxError(FrozenTransformer model, Dataset data, double[][] prompt) {
        Require.notNull("model", model);
        Require.notNull("data", data);
        double worst = 0;
        for (int i = 0; i < data.size(); i++) {
            double[][] out = model.output(prompt, data.inputView(i));
            double[][] y = data.labelView(i);
            for (int r = 0; r < y.length; r++) {
                for (int k = 0; k < y[r].length; k++) {
                    worst = Math.max(worst, Math.abs(out[r][k] - y[r][k]));
                }
            }
        }
        return worst;
    }

    /**
     * G1: the back-propagated gradient against central finite differences {@code (ℓ(P + hE) − ℓ(P − hE))/(2h)} of
     * the loss recomputed from the reference forward pass, for every entry of P: the largest difference relative
     * to max(1, largest |finite difference|), required ≤ 1e-6.
     *
     * @param h finite-difference step, finite and &gt; 0 (1e-6 is a good choice)
     */
    public static Check gradientCheck(FrozenTransformer model, Dataset data, double[][] prompt,
                                                             double h) {
        Require.positive("h", h);
        double[][] p = Matrices.copy("prompt", prompt);
        double[] diff = centralDifference(gradient(model, data, prompt), p, h, q -> referenceLoss(model, data, q));
        double worst = diff[0];
        double scale = diff[1];
        return Check.of("G1", "max |∂ℓ/∂P (backprop) − central difference| / max(1, |difference|)",
                "theory §6.3 [C]", worst / Math.max(1, scale), Relation.AT_MOST, 1e-6,
                (p.length * p[0].length) + " entries, h = " + h + ", reference forward pass, double");
    }

    /**
     * Central differences {@code (ℓ(P + hE) − ℓ(P − hE))/(2h)} of {@code loss} for every entry of {@code p}
     * against {@code g}: {largest |difference − g|, largest |difference|}. {@code p} is perturbed one entry at a
     * time and restored.
     */
    static double[] centralDifference(double[][] g, double[][] p, double h, ToDoubleFunction<double[][]> loss) {
        double worst = 0;
        double scale = 0;
        for (int r = 0; r < p.length; r++) {
            for (int k = 0; k < p[r].length; k++) {
                double keep = p[r][k];
                p[r][k] = keep + h;
                double up = loss.applyAsDouble(p);
                p[r][k] = keep - h;
                double down = loss.applyAsDouble(p);
                p[r][k] = keep;
                double fd = (up - down) / (2 * h);
                worst = Math.max(worst, Math.abs(fd - g[r][k]));
                scale = Math.max(scale, Math.abs(fd));
            }
        }
        return new double[] {worst, scale};
    }

    private static double referenceLoss(FrozenTransformer model, Dataset data, double[][] p) {
        double sum = 0;
        for (int i = 0; i < data.size(); i++) {
            double[][] out = model.output(p, data.inputView(i));
            double[][] y = data.labelView(i);
            for (int r = 0; r < y.length; r++) {
                for (int k = 0; k < y[r].length; k++) {
                    sum += (out[r][k] - y[r][k]) * (out[r][k] - y[r][k]);
                }
            }
        }
        return sum / ((double) data.size() * data.d() * data.length());
    }

    /** ∂ℓ/∂P at {@code prompt} (d×Lp), by back-propagation. For tests and notebooks. */
    public static double[][] gradient(FrozenTransformer model, Dataset data, double[][] prompt) {
        evaluate(model, data, prompt);
        double[][] g = new double[prompt.length][prompt[0].length];
        new MemorizationLoss(model, data, prompt[0].length).evaluate(prompt, g);
        for (int r = 0; r < g.length; r++) {
            Require.finiteResult("∂ℓ/∂P[" + r + "]", g[r], "prompt's entries are finite but too large for the model"
                    + " (the gradient overflows double); rescale prompt");
        }
        return g;
    }
}
