package org.promptlimits.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.promptlimits.memorization.Dataset;
import org.promptlimits.memorization.FrozenTransformer;
import org.promptlimits.memorization.PromptTuner;

import java.util.concurrent.TimeUnit;

/**
 * The prompt tuner: {@value #STEPS} Adam steps for d = 4, L = 4, Lp = 8 (one FF layer after attention,
 * width 16, head size 4), N = 1, 8, 32 sequences, one thread; time per step = score / {@value #STEPS}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class TunerBench {

    static final int STEPS = 1000;

    @Param({"1", "8", "32"})
    public int sequences;

    private FrozenTransformer model;
    private Dataset data;
    private PromptTuner.Options options;

    @Setup
    public void setUp() {
        model = FrozenTransformer.random(4, 4, 0, 1, 16, 1);
        data = Dataset.random(sequences, 4, 4, 2);
        // epsilon 1e-15 is never reached: every run takes exactly STEPS steps
        options = PromptTuner.Options.adam(0.01, STEPS, 1e-15, 3);
    }

    @Benchmark
    public PromptTuner.Result adamSteps() {
        PromptTuner.Result r = PromptTuner.tune(model, data, 8, options);
        if (r.steps() != STEPS) {
            throw new IllegalStateException("tuner stopped after " + r.steps() + " steps, expected " + STEPS);
        }
        return r;
    }
}
