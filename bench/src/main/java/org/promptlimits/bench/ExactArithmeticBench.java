package org.promptlimits.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.promptlimits.check.CheckTable;
import org.promptlimits.contextual.ContextualMapping;
import org.promptlimits.contextual.Sequences;

import java.util.concurrent.TimeUnit;

/**
 * Exact arithmetic: Lemma 2.2's THEORY construction and its checks for notebook 02's case (d = 2, n = 2,
 * K = 3, all 6 ordered pairs; thousands of digits). The same evaluation in mpmath at the same precision is
 * timed by {@code bench/mpmath_lemma22.py} in the same run of {@code scripts/bench}. Ten warm-up seconds: after
 * 60 calls the JVM's other threads (compilation, GC) still used as much CPU as the benchmark thread (process CPU 33 ms per call
 * against 15 ms on the calling thread), after 600 they were idle (15 against 12).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 10, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class ExactArithmeticBench {

    /** Notebook 02's vocabulary. */
    static final double[][] VOCABULARY = {{1.0, 0.0}, {-1.8, 0.45}, {-0.65, -1.65}};

    private Sequences sequences;

    @Setup
    public void setUp() {
        sequences = Sequences.allArrangements(VOCABULARY, 2, 100);
    }

    /** Construction plus every check of the THEORY mode (the notebook's two cells). */
    @Benchmark
    public CheckTable lemma22Theory() {
        ContextualMapping m = ContextualMapping.construct(sequences, ContextualMapping.Constants.THEORY);
        return m.checks().assertAllHold();
    }
}
