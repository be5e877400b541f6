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
import org.promptlimits.contextual.MappingOptions;
import org.promptlimits.contextual.Sequences;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The contextual mapping's speed targets (Lemma 2.2): THEORY at d = 2, n = 3, K = 4 (all 24 arrangements,
 * construction + checks + the any-rank lift; target under 10 s) and EMPIRICAL in double arithmetic at
 * d = 8, n = 16, K = 64 (64 seeded sequences, construction + checks; target under 1 s).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class ContextualMappingBench {

    private Sequences theory;
    private Sequences empirical;

    @Setup
    public void setUp() {
        double[][] spread = {{1, 0}, {0, 1.855}, {-1.855, 0}, {0, -1.855}};
        theory = Sequences.allArrangements(spread, 3, 100);
        empirical = randomSequences(8, 16, 64, 64, 7);
    }

    @Benchmark
    public CheckTable theoryWithAnyRank() {
        ContextualMapping m = ContextualMapping.construct(theory, ContextualMapping.Constants.THEORY);
        return m.checks().assertAllHold().plus(m.anyRankChecks(1, 2).assertAllHold());
    }

    @Benchmark
    public CheckTable empiricalDouble() {
        ContextualMapping m = ContextualMapping.construct(empirical, MappingOptions.empirical()
                .withArithmetic(ContextualMapping.Arithmetic.DOUBLE));
        return m.checks();
    }

    /** {@code count} sequences of n distinct tokens drawn from K seeded random tokens in R^d with norms in [1, 2]. */
    static Sequences randomSequences(int d, int n, int k, int count, long seed) {
        Random rnd = new Random(seed);
        double[][] voc = new double[k][d];
        for (double[] t : voc) {
            double norm = 0;
            for (int i = 0; i < d; i++) {
                t[i] = rnd.nextGaussian();
                norm += t[i] * t[i];
            }
            double scale = (1 + rnd.nextDouble()) / Math.sqrt(norm);
            for (int i = 0; i < d; i++) {
                t[i] *= scale;
            }
        }
        double[][][] tokens = new double[count][n][];
        List<Integer> ids = new ArrayList<>();
        for (int t = 0; t < k; t++) {
            ids.add(t);
        }
        for (int s = 0; s < count; s++) {
            Collections.shuffle(ids, rnd);
            for (int j = 0; j < n; j++) {
                tokens[s][j] = voc[ids.get(j)];
            }
        }
        return Sequences.ofTokens(tokens);
    }
}
