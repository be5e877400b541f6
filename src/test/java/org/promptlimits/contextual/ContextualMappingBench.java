package org.promptlimits.contextual;

import org.promptlimits.check.CheckTable;
import org.promptlimits.check.Format;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Wall-clock times of the speed targets (not a unit test; speed is never asserted in tests).
 *
 * <p>Run after {@code mvn -q test-compile}:
 * {@code java -cp target/classes:target/test-classes:$(cat cp.txt) org.promptlimits.contextual.ContextualMappingBench}
 * with cp.txt from {@code mvn dependency:build-classpath -Dmdep.outputFile=cp.txt}. Each case is run
 * {@code REPEATS} times in a fresh construction (the first run includes JIT warm-up); the median is printed.
 * <ul>
 *   <li>THEORY, d = 2, n = 3, K = 4, all 24 arrangements, all positions read: construct + checks + any-rank (target &lt; 10 s);</li>
 *   <li>EMPIRICAL, d = 8, n = 16, K = 64, 64 seeded random sequences, all positions read: construct + checks (target &lt; 1 s).</li>
 * </ul>
 */
public final class ContextualMappingBench {

    private static final int REPEATS = 3;

    private ContextualMappingBench() {
    }

    public static void main(String[] args) {
        double[][] spread = {{1, 0}, {0, 1.855}, {-1.855, 0}, {0, -1.855}};
        Sequences theory = Sequences.allArrangements(spread, 3, 100);
        time("THEORY d=2 n=3 K=4 (24 sequences)", () -> {
            ContextualMapping m = ContextualMapping.construct(theory, ContextualMapping.Constants.THEORY);
            CheckTable t = m.checks().assertAllHold().plus(m.anyRankChecks(1, 2).assertAllHold());
            return m + "\n" + t.summary();
        });
        Sequences empirical = randomSequences(8, 16, 64, 64, 7);
        time("EMPIRICAL d=8 n=16 K=64 (64 sequences), double", () -> {
            ContextualMapping m = ContextualMapping.construct(empirical, MappingOptions.empirical()
                    .withArithmetic(ContextualMapping.Arithmetic.DOUBLE));
            CheckTable t = m.checks();
            return m + "\n" + t;
        });
        time("EMPIRICAL d=8 n=16 K=64 (64 sequences), AUTO: exact estimate", () -> {
            try {
                ContextualMapping m = ContextualMapping.construct(empirical, ContextualMapping.Constants.EMPIRICAL);
                return m.checks().assertAllHold().summary();
            } catch (IllegalArgumentException refused) {
                return "refused: " + refused.getMessage();
            }
        });
        time("EMPIRICAL d=8 n=16 K=64 (64 sequences), last position read, AUTO", () -> {
            try {
                ContextualMapping m = ContextualMapping.construct(empirical, MappingOptions.empirical().withReadPositions(15));
                return m + "\n" + m.checks().assertAllHold().summary();
            } catch (IllegalArgumentException refused) {
                return "refused: " + refused.getMessage();
            }
        });
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

    private static void time(String name, java.util.function.Supplier<String> run) {
        double[] seconds = new double[REPEATS];
        String last = "";
        for (int i = 0; i < REPEATS; i++) {
            long t0 = System.nanoTime();
            last = run.get();
            seconds[i] = (System.nanoTime() - t0) / 1e9;
        }
        double[] sorted = seconds.clone();
        java.util.Arrays.sort(sorted);
        System.out.printf("%s: median %.3f s (runs %s)%n%s%n%n", name, sorted[REPEATS / 2], java.util.Arrays.toString(seconds), last);
    }
}
