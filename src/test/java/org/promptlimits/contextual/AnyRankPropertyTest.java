package org.promptlimits.contextual;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;
import org.promptlimits.core.SelfAttention;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * theory §3.4 [C]: lifting the rank-1 layer to rank r (1 ≤ r ≤ d) leaves every output bit-identical and gives
 * every weight matrix rank r, on 10,000 random vocabularies, sequences and ranks.
 */
class AnyRankPropertyTest {

    /** A random vocabulary of K distinct tokens in d dimensions, with norms in [0.5, 2]. */
    static double[][] vocabulary(Random rnd, int d, int k) {
        double[][] voc = new double[k][d];
        for (double[] t : voc) {
            double norm = 0;
            for (int i = 0; i < d; i++) {
                t[i] = rnd.nextGaussian();
                norm += t[i] * t[i];
            }
            double scale = (0.5 + 1.5 * rnd.nextDouble()) / Math.sqrt(norm);
            for (int i = 0; i < d; i++) {
                t[i] *= scale;
            }
        }
        return voc;
    }

    static ContextualMapping randomMapping(long seed) {
        Random rnd = new Random(seed);
        int d = 1 + rnd.nextInt(4);
        int n = 2 + rnd.nextInt(2);
        int k = n + rnd.nextInt(2);
        Sequences seqs = Sequences.allArrangements(vocabulary(rnd, d, k), n, 100);
        return ContextualMapping.construct(seqs, MappingOptions.empirical().withDraws(4).withSeed(seed)
                .withArithmetic(ContextualMapping.Arithmetic.DOUBLE));
    }

    @Property(tries = 10_000)
    void liftedLayerGivesBitIdenticalOutputsAndRankR(@ForAll long seed) {
        ContextualMapping m = randomMapping(seed);
        int d = m.sequences().d();
        int rank = 1 + new Random(~seed).nextInt(d);
        SelfAttention base = m.layer();
        SelfAttention lifted = m.layer(rank);
        for (int r : lifted.ranks()) {
            assertEquals(rank, r);
        }
        for (int i = 0; i < m.sequences().size(); i++) {
            double[][] z = m.sequences().matrix(i);
            double[][] a = base.applyReference(z);
            double[][] b = lifted.applyReference(z);
            for (int row = 0; row < a.length; row++) {
                assertArrayEquals(a[row], b[row], 0.0, "sequence " + i + ", rank " + rank);
            }
        }
    }

    @Test
    void liftedLayerGivesBitIdenticalOutputsWithNd4j() {
        for (long seed = 0; seed < 10; seed++) {
            ContextualMapping m = randomMapping(seed);
            int d = m.sequences().d();
            for (int rank = 1; rank <= d; rank++) {
                SelfAttention lifted = m.layer(rank);
                for (int i = 0; i < m.sequences().size(); i++) {
                    double[][] a = m.layer().apply(m.sequences().array(i)).toDoubleMatrix();
                    double[][] b = lifted.apply(Nd4j.create(m.sequences().matrix(i))).toDoubleMatrix();
                    for (int row = 0; row < a.length; row++) {
                        assertArrayEquals(a[row], b[row], 0.0, "seed " + seed + ", sequence " + i + ", rank " + rank);
                    }
                }
            }
        }
    }
}
