package org.promptlimits.memorization;

import org.promptlimits.check.Require;
import org.promptlimits.precision.Budget;
import org.promptlimits.sweep.Column;
import org.promptlimits.sweep.Sweep;

import java.io.Serializable;
import java.util.List;

/**
 * The learned-prompt experiment as a {@link Sweep}: at each (d, L, ε, N) a random frozen transformer
 * ({@link FrozenTransformer#random}: head size d, one FF layer after attention of width 16, seed root + d, so
 * one model per d), a random dataset of N pairs ({@link Dataset#random}, the point's seed) and
 * {@link PromptSearch#smallestPromptLength}. theory §6.3 [C].
 *
 * <p>The point seed is {@code root + 1000 d + 100 L + N}: it depends on the root and the point alone (ε changes
 * only the tuning target), and it is the seed rule the experiment has always used, so published runs keep their
 * numbers.
 *
 * @param options   tuning options; their ε is replaced by each point's ε
 * @param maxLength the largest Lp searched, ≥ 1
 * @param restarts  runs per length, ≥ 1
 * @param budget    each point's budget: its search is refused when estimated above {@link Budget#maxSeconds()}
 *                  (a cluster sweep whose points take minutes needs a larger one than {@link Budget#DEFAULT})
 * @param rootSeed  the root seed
 */
public record MemorizationSweep(PromptTuner.Options options, int maxLength, int restarts, Budget budget,
                                long rootSeed)
        implements Sweep<MemorizationSweep.Setting, PromptSearch.Result> {

    /** The width of the frozen model's FF layer. */
    public static final int FF_WIDTH = 16;

    /**
     * One grid point.
     *
     * @param d       token dimension, ≥ 1
     * @param length  L, tokens per sequence, ≥ 1
     * @param epsilon ε ∈ (0, 1)
     * @param size    N, sequences in the dataset, ≥ 1
     */
    public record Setting(int d, int length, double epsilon, int size) implements Serializable {
        public Setting {
            Require.positive("d", d);
            Require.positive("length", length);
            Require.inOpen("epsilon", epsilon, 0, 1);
            Require.positive("size", size);
        }
    }

    public MemorizationSweep {
        Require.notNull("options", options);
        Require.positive("maxLength", maxLength);
        Require.positive("restarts", restarts);
        Require.notNull("budget", budget);
    }

    /** The sweep with {@link Budget#DEFAULT} for each point (60 s a search). */
    public MemorizationSweep(PromptTuner.Options options, int maxLength, int restarts, long rootSeed) {
        this(options, maxLength, restarts, Budget.DEFAULT, rootSeed);
    }

    @Override
    public String name() {
        return "memorization";
    }

    @Override
    public long seed(Setting s) {
        Require.notNull("s", s);
        return rootSeed + 1000L * s.d() + 100L * s.length() + s.size();
    }

    @Override
    public PromptSearch.Result run(Setting s, long seed) {
        Require.notNull("s", s);
        FrozenTransformer model = FrozenTransformer.random(s.d(), s.d(), 0, 1, FF_WIDTH, rootSeed + s.d());
        Dataset data = Dataset.random(s.size(), s.d(), s.length(), seed);
        PromptTuner.Options o = new PromptTuner.Options(options.learningRate(), options.maxSteps(), s.epsilon(),
                options.seed(), options.initScale(), options.beta1(), options.beta2());
        return PromptSearch.smallestPromptLength(model, data, o, maxLength, restarts, budget);
    }

    @Override
    public List<Column> columns() {
        return List.of(Column.ofInt("smallest_lp"), Column.ofBoolean("found"), Column.ofInt("max_lp"),
                Column.ofInt("runs"), Column.ofInt("adam_steps"), Column.ofDouble("best_max_error"),
                Column.ofLong("bound_lp"));
    }

    @Override
    public Object[] row(PromptSearch.Result r) {
        Require.notNull("r", r);
        int steps = r.attempts().stream().mapToInt(PromptSearch.Attempt::steps).sum();
        return new Object[] {r.smallestFound(), r.found(), r.maxLength(), r.attempts().size(), steps,
                r.best().maxError(), r.bound().minimumLength().longValueExact()};
    }
}
