package org.promptlimits.memorization;

import org.promptlimits.check.Format;
import org.promptlimits.check.Interrupts;
import org.promptlimits.check.Require;
import org.promptlimits.precision.Budget;
import org.promptlimits.sweep.Grid;
import org.promptlimits.sweep.LocalExecutor;
import org.promptlimits.sweep.SweepFailure;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The learned-prompt experiment: the smallest prompt length Lp with which {@link PromptTuner} reaches
 * ε-memorization of a dataset, set beside the counting lower bound of Theorem 2.5. theory §6 (empirical side,
 * beyond the paper) [C].
 *
 * <p>Search: Lp = 1, 2, 4, … up to {@code maxLength} until a run memorizes, then bisection between the last
 * failing and the first succeeding length. Each length gets {@code restarts} runs with seeds
 * {@code seed, seed+1, …}; it succeeds if any run does. Gradient descent can fail where a prompt exists, and
 * success is not monotone in Lp in general, so the result is "the smallest Lp this search found", an upper
 * bound on the true minimum for this model and dataset, never a lower bound.
 *
 * <p>The bound shown beside it is {@link PromptLengthBound#forDatasetSize} with prompts stored as 64-bit
 * doubles (m = 2^{64d}): it holds for every prompt a computer can store, for the worst labeling of N inputs.
 */
public final class PromptSearch {

    private PromptSearch() {
    }

    /**
     * One tuning run of the search.
     *
     * @param promptLength Lp
     * @param seed         the seed of the initial prompt
     * @param memorized    whether the run reached ε-memorization
     * @param steps        Adam steps taken
     * @param maxError     the final max-norm error
     */
    public record Attempt(int promptLength, long seed, boolean memorized, int steps, double maxError) {
    }

    /**
     * The outcome of a search.
     *
     * @param datasetSize   N
     * @param d             token dimension
     * @param length        L
     * @param epsilon       ε
     * @param smallestFound the smallest Lp found that memorizes, or −1 if none up to maxLength
     * @param maxLength     the largest Lp tried
     * @param attempts      every run, in order (unmodifiable)
     * @param bound         the counting bound for N inputs with 64-bit prompt entries
     * @param best          the memorizing run at smallestFound, or the run with the lowest error if none memorized
     */
    public record Result(int datasetSize, int d, int length, double epsilon, int smallestFound, int maxLength,
                         List<Attempt> attempts, PromptLengthBound bound, PromptTuner.Result best) {

        public Result {
            attempts = Require.noNullElements("attempts", attempts);
        }

        /** Whether some Lp ≤ maxLength memorized the dataset. */
        public boolean found() {
            return smallestFound > 0;
        }

        @Override
        public String toString() {
            return "N = " + datasetSize + ", d = " + d + ", L = " + length + ", ε = " + epsilon + ": "
                    + (found() ? "smallest Lp found = " + smallestFound : "no Lp ≤ " + maxLength + " memorized")
                    + "; counting bound (64-bit prompts) " + bound.minimumLength() + "; " + attempts.size() + " runs";
        }
    }

    /**
     * Searches the smallest Lp ≤ maxLength with which the tuner ε-memorizes {@code data}, within
     * {@link Budget#DEFAULT} (60 s for the whole search):
     * {@link #smallestPromptLength(FrozenTransformer, Dataset, PromptTuner.Options, int, int, Budget)}.
     */
    public static Result smallestPromptLength(FrozenTransformer model, Dataset data, PromptTuner.Options options,
                                              int maxLength, int restarts) {
        return smallestPromptLength(model, data, options, maxLength, restarts, Budget.DEFAULT);
    }

    /**
     * Searches the smallest Lp ≤ maxLength with which the tuner ε-memorizes {@code data}.
     *
     * @param options  tuning options; ε and the first seed come from here
     * @param restarts runs per length, ≥ 1
     * @param budget   limits the prompt's arrays and the estimated time of the whole search and of each run
     *                 ({@link Budget#maxSeconds()}, see {@link PromptTuner#tune(FrozenTransformer, Dataset, int,
     *                 PromptTuner.Options, Budget)})
     * @throws IllegalArgumentException unless maxLength ≥ 1, restarts ≥ 1 and d agrees, or when the search's time
     *                                  estimate is above the budget's maxSeconds
     */
    public static Result smallestPromptLength(FrozenTransformer model, Dataset data, PromptTuner.Options options,
                                              int maxLength, int restarts, Budget budget) {
        Require.notNull("model", model);
        Require.notNull("data", data);
        Require.notNull("options", options);
        Require.positive("maxLength", maxLength);
        Require.positive("restarts", restarts);
        Require.notNull("budget", budget);
        Require.that(data.d() == model.d(), "data has d = " + data.d() + " but the model has d = " + model.d());
        budget.requireArray("the longest prompt tried with its gradient and Adam moments"
                + " (4·d·maxLength doubles)", Double.BYTES,
                Budget.orLarger("lower maxLength", "maxBytes"), 4, model.d(), maxLength);
        List<Attempt> attempts = new ArrayList<>();
        PromptTuner.Result[] best = new PromptTuner.Result[1];
        Clock clock = new Clock(data, options, maxLength, restarts, budget);
        int failed = 0;
        int succeeded = -1;
        for (int lp = 1; ; lp = Math.min(2 * lp, maxLength)) {
            List<Integer> ahead = new ArrayList<>();
            for (int l = lp; ; l = Math.min(2 * l, maxLength)) {
                ahead.add(l);
                if (l == maxLength) {
                    break;
                }
            }
            clock.plan(ahead, "the lengths still to try on the way up");
            if (memorizes(model, data, options, lp, restarts, attempts, best, clock)) {
                succeeded = lp;
                break;
            }
            failed = lp;
            if (lp == maxLength) {
                break;
            }
        }
        while (succeeded > 0 && succeeded - failed > 1) {
            int mid = (failed + succeeded) >>> 1;
            // at most ⌈log2(succeeded − failed)⌉ bisection lengths remain, each below succeeded
            int left = 32 - Integer.numberOfLeadingZeros(succeeded - failed - 1);
            clock.plan(Collections.nCopies(left, succeeded), "at most " + left + " bisection lengths, each below Lp = "
                    + succeeded);
            if (memorizes(model, data, options, mid, restarts, attempts, best, clock)) {
                succeeded = mid;
            } else {
                failed = mid;
            }
        }
        PromptLengthBound bound = PromptLengthBound.forDatasetSize(data.size(), data.d(), data.length(),
                options.epsilon(), PromptSpace.bitsPerEntry(64, data.d()));
        return new Result(data.size(), data.d(), data.length(), options.epsilon(), succeeded, maxLength, attempts,
                bound, best[0]);
    }

    /**
     * The experiment over a grid of settings, every d, L, ε and N (in that nesting order), as the
     * {@link MemorizationSweep} with root seed {@code seed}, run on every core by the {@link LocalExecutor}.
     * Seeds derive from {@code seed} and each setting, so the results do not depend on the number of threads.
     *
     * @param options  tuning options; their ε is replaced by each ε of the sweep
     * @throws IllegalArgumentException on an empty or invalid setting, or a value given twice
     */
    public static List<Result> sweep(int[] dims, int[] lengths, double[] epsilons, int[] sizes,
                                     PromptTuner.Options options, int maxLength, int restarts, long seed) {
        Require.notNull("dims", dims);
        Require.notNull("lengths", lengths);
        Require.notNull("epsilons", epsilons);
        Require.notNull("sizes", sizes);
        Require.notNull("options", options);
        Require.that(dims.length > 0, "dims (0 values) must hold at least one d");
        Require.that(lengths.length > 0, "lengths (0 values) must hold at least one L");
        Require.that(epsilons.length > 0, "epsilons (0 values) must hold at least one ε");
        Require.that(sizes.length > 0, "sizes (0 values) must hold at least one N");
        for (int i = 0; i < dims.length; i++) {
            Require.positive("dims[" + i + "]", dims[i]);
        }
        for (int i = 0; i < lengths.length; i++) {
            Require.positive("lengths[" + i + "]", lengths[i]);
        }
        for (int i = 0; i < epsilons.length; i++) {
            Require.positive("epsilons[" + i + "]", epsilons[i]);
        }
        for (int i = 0; i < sizes.length; i++) {
            Require.positive("sizes[" + i + "]", sizes[i]);
        }
        Require.positive("maxLength", maxLength);
        Require.positive("restarts", restarts);
        Map<String, List<?>> values = Map.of("d", boxed(dims), "length", boxed(lengths),
                "epsilon", Arrays.stream(epsilons).boxed().toList(), "size", boxed(sizes));
        Grid<MemorizationSweep.Setting> grid = Grid.product(MemorizationSweep.Setting.class, values);
        try {
            return LocalExecutor.allCores().results(new MemorizationSweep(options, maxLength, restarts, seed), grid);
        } catch (SweepFailure failure) {
            if (failure.getCause() instanceof IllegalArgumentException refused) { // a setting the budget refuses
                throw new IllegalArgumentException("a setting of dims, lengths, epsilons and sizes is refused ("
                        + failure.getMessage() + ")", refused);
            }
            throw failure;
        }
    }

    /**
     * The time guard of a search, the budget's {@code maxSeconds} for the whole search: before each
     * prompt length and after each run it refuses the rest of the search when the time spent so far plus the worst
     * case of the runs still to come is above the budget. A run's worst case is maxSteps + 1 loss evaluations; an
     * evaluation costs about N·L·(L + Lp)·(head size) (each of the L outputs of each sequence attends over L + Lp
     * keys), so its time is estimated as (L + Lp) × the time per evaluation and key measured over all runs so far (an
     * upper estimate: a run that memorizes stops early, and the search with it). Not the latest run's alone: one run
     * held up by a pause of the machine (a garbage collection, another process) then stood for all the runs still to
     * come, and refused a 1,000-restart search of a few seconds as 125 s. As for
     * {@link Budget#repetitions}, it decides only after the search has run for maxSeconds /
     * {@link Budget#TRUST_FRACTION}, when the JIT has compiled the tuner's code.
     */
    private static final class Clock {
        private final long start = System.nanoTime();
        private final int length;
        private final int maxSteps;
        private final int restarts;
        private final String what;
        private final Budget budget;
        private double perKeyEvaluation = Double.NaN;
        private long runs;
        private long runNanos;
        private double keyEvaluations;
        private List<Integer> lengths = List.of();
        private String which = "";

        Clock(Dataset data, PromptTuner.Options options, int maxLength, int restarts, Budget budget) {
            this.budget = budget;
            this.length = data.length();
            this.maxSteps = options.maxSteps();
            this.restarts = restarts;
            this.what = "prompt search (N = " + data.size() + ", d = " + data.d() + ", L = " + data.length()
                    + ", maxLength = " + maxLength + ")";
        }

        /** Before a length: {@code lengths} are the ones still to try, the one about to run first. */
        void plan(List<Integer> lengths, String which) {
            this.lengths = List.copyOf(lengths);
            this.which = which;
            require(restarts);
        }

        /** After a run of {@code steps} Adam steps (steps + 1 evaluations) at lp, with runsLeft more at lp. */
        void ran(long nanos, int steps, int lp, int runsLeft) {
            runs++;
            runNanos += nanos;
            keyEvaluations += (steps + 1.0) * (length + lp);
            perKeyEvaluation = runNanos * 1e-9 / keyEvaluations;
            require(runsLeft);
        }

        private void require(long runsHere) {
            double spent = (System.nanoTime() - start) * 1e-9;
            if (Double.isNaN(perKeyEvaluation) || spent < budget.maxSeconds() / Budget.TRUST_FRACTION) {
                return;
            }
            double runKeys = runsHere * (length + (double) lengths.get(0));
            for (int l : lengths.subList(1, lengths.size())) {
                runKeys += (double) restarts * (length + l);
            }
            budget.requireSeconds(what, spent + runKeys * (maxSteps + 1.0) * perKeyEvaluation,
                    () -> Format.seconds(spent) + " so far + " + runsHere + " runs at Lp = " + lengths.get(0)
                            + " and restarts = " + restarts + " at each later Lp of " + lengths + " (" + which
                            + "), maxSteps + 1 = " + (maxSteps + 1L) + " loss evaluations a run, each (L + Lp) × "
                            + Format.seconds(perKeyEvaluation) + " as measured over "
                            + (runs == 1 ? "the first run" : "the " + runs + " runs so far"),
                    Budget.orLarger("lower maxSteps, restarts or maxLength", "maxSeconds"));
        }
    }

    private static List<Integer> boxed(int[] values) {
        return Arrays.stream(values).boxed().toList();
    }

    private static boolean memorizes(FrozenTransformer model, Dataset data, PromptTuner.Options options, int lp,
                                     int restarts, List<Attempt> attempts, PromptTuner.Result[] best, Clock clock) {
        for (int r = 0; r < restarts; r++) {
            Interrupts.check();
            long seed = options.seed() + r;
            long start = System.nanoTime();
            PromptTuner.Result run = PromptTuner.tune(model, data, lp, options.withSeed(seed), clock.budget);
            clock.ran(System.nanoTime() - start, run.steps(), lp, restarts - r - 1);
            attempts.add(new Attempt(lp, seed, run.memorized(), run.steps(), run.maxError()));
            boolean better = best[0] == null
                    || (run.memorized() && (!best[0].memorized() || lp <= best[0].promptLength()))
                    || (!run.memorized() && !best[0].memorized() && run.maxError() < best[0].maxError());
            if (better) {
                best[0] = run;
            }
            if (run.memorized()) {
                return true;
            }
        }
        return false;
    }
}
