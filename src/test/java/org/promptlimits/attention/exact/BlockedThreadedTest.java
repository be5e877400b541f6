package org.promptlimits.attention.exact;

import org.junit.jupiter.api.Test;
import org.promptlimits.attention.Attention;
import org.promptlimits.attention.AttentionContract;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two worker threads over query blocks, automatic backend. */
class BlockedThreadedTest extends AttentionContract {
    @Override
    protected Attention implementation(int d, double beta) {
        return BlockedAttention.of(BlockedAttention.Backend.AUTO, 2);
    }

    /** Blocks shrink with the thread count, tiles do not: 1, 2 and 3 threads give the same bits. */
    @Test
    void outputBitsDoNotDependOnTheThreadCount() {
        int n = 1000, m = 600, d = 16, dv = 24;
        Random rnd = new Random(7);
        double[] q = new double[n * d], k = new double[m * d], v = new double[m * dv];
        float[] qf = new float[n * d], kf = new float[m * d], vf = new float[m * dv];
        for (double[] a : new double[][] {q, k, v}) {
            for (int i = 0; i < a.length; i++) {
                a[i] = 2 * rnd.nextDouble() - 1;
            }
        }
        for (int i = 0; i < q.length; i++) {
            qf[i] = (float) q[i];
        }
        for (int i = 0; i < k.length; i++) {
            kf[i] = (float) k[i];
        }
        for (int i = 0; i < v.length; i++) {
            vf[i] = (float) v[i];
        }
        double[] one = new double[n * dv];
        float[] oneF = new float[n * dv];
        BlockedAttention.of(BlockedAttention.Backend.AUTO, 1).attend(n, m, d, dv, q, k, v, 0.25, one);
        BlockedAttention.of(BlockedAttention.Backend.AUTO, 1).attend(n, m, d, dv, qf, kf, vf, 0.25, oneF);
        for (int threads = 2; threads <= 3; threads++) {
            double[] out = new double[n * dv];
            float[] outF = new float[n * dv];
            BlockedAttention.of(BlockedAttention.Backend.AUTO, threads).attend(n, m, d, dv, q, k, v, 0.25, out);
            BlockedAttention.of(BlockedAttention.Backend.AUTO, threads).attend(n, m, d, dv, qf, kf, vf, 0.25, outF);
            assertArrayEquals(one, out, threads + " threads, float64");
            assertArrayEquals(oneF, outF, threads + " threads, float32");
        }
    }

    /**
     * Entries are checked while the keys are packed, in parts shared by the threads; a refusal still names the first
     * non-finite entry in the order q, k, v (here k's last row, although v's first row is bad too and may be met
     * first) and writes no output.
     */
    @Test
    void refusalNamesTheFirstNonFiniteEntryAndWritesNoOutput() {
        int n = 300, m = 300, d = 16, dv = 16;
        for (int threads = 1; threads <= 3; threads++) {
            BlockedAttention a = BlockedAttention.of(BlockedAttention.Backend.AUTO, threads);
            double[] q = new double[n * d], k = new double[m * d], v = new double[m * dv], out = new double[n * dv];
            k[m * d - 2] = Double.POSITIVE_INFINITY;
            v[0] = Double.NaN;
            java.util.Arrays.fill(out, 7);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> a.attend(n, m, d, dv, q, k, v, 0.5, out));
            assertTrue(e.getMessage().startsWith("k[299][14] (Infinity)"), e.getMessage());
            for (double o : out) {
                assertEquals(7, o);
            }
            float[] qf = new float[n * d], kf = new float[m * d], vf = new float[m * dv], outF = new float[n * dv];
            qf[n * d - 1] = Float.NaN;
            vf[5] = Float.NEGATIVE_INFINITY;
            IllegalArgumentException f = assertThrows(IllegalArgumentException.class,
                    () -> a.attend(n, m, d, dv, qf, kf, vf, 0.5, outF));
            assertTrue(f.getMessage().startsWith("q[299][15] (NaN)"), f.getMessage());
            for (float o : outF) {
                assertEquals(0, o);
            }
        }
    }

    /**
     * An output entry that overflows is refused by its index, whichever block and worker computed it: each worker checks
     * its own blocks' rows. Value column 3 holds numbers near the largest finite one; a query row that weighs one key
     * (score 100 against 0) gets that number back, a row of zeros weighs all 200 keys alike and its sum overflows.
     * With only row 997 of 1000 bad (the last block on every thread count) the refusal names entry 997·16 + 3; with
     * row 5 bad too, entry 5·16 + 3.
     */
    @Test
    void anOverflowingOutputEntryIsNamedWhicheverBlockHoldsIt() {
        int n = 1000, m = 200, d = 16, dv = 16;
        for (int[] badRows : new int[][] {{997}, {5, 997}}) {
            double[] q = new double[n * d], k = new double[m * d], v = new double[m * dv];
            float[] qf = new float[n * d], kf = new float[m * d], vf = new float[m * dv];
            k[0] = kf[0] = 1;
            for (int i = 0; i < n; i++) {
                q[i * d] = qf[i * d] = 100;
            }
            for (int i : badRows) {
                q[i * d] = qf[i * d] = 0;
            }
            for (int j = 0; j < m; j++) {
                v[j * dv + 3] = 1e308;
                vf[j * dv + 3] = 3e38f;
            }
            String expected = "output entry " + (badRows[0] * dv + 3) + " is ";
            for (BlockedAttention.Backend backend : new BlockedAttention.Backend[] {
                    BlockedAttention.Backend.SCALAR, BlockedAttention.Backend.AUTO}) {
                for (int threads = 1; threads <= 3; threads++) {
                    BlockedAttention a = BlockedAttention.of(backend, threads);
                    String where = a.name() + ", bad rows " + java.util.Arrays.toString(badRows);
                    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                            () -> a.attend(n, m, d, dv, q, k, v, 1, new double[n * dv]), where);
                    assertTrue(e.getMessage().contains(expected), where + ": " + e.getMessage());
                    IllegalArgumentException f = assertThrows(IllegalArgumentException.class,
                            () -> a.attend(n, m, d, dv, qf, kf, vf, 1, new float[n * dv]), where);
                    assertTrue(f.getMessage().contains(expected), where + ": " + f.getMessage());
                }
            }
        }
    }

    /**
     * An interrupted caller on several threads: the call ends with Interrupts.Interrupted (however the blocks were
     * shared out), the interrupt status is kept, and the next call gives the uninterrupted output.
     */
    @Test
    void anInterruptedCallerEndsTheCallOnEveryThreadCount() {
        int n = 300, m = 200, d = 16, dv = 16;
        Random rnd = new Random(11);
        double[] q = new double[n * d], k = new double[m * d], v = new double[m * dv];
        for (double[] a : new double[][] {q, k, v}) {
            for (int i = 0; i < a.length; i++) {
                a[i] = 2 * rnd.nextDouble() - 1;
            }
        }
        double[] expected = new double[n * dv];
        BlockedAttention.of(BlockedAttention.Backend.AUTO, 1).attend(n, m, d, dv, q, k, v, 0.25, expected);
        for (int threads = 1; threads <= 3; threads++) {
            BlockedAttention a = BlockedAttention.of(BlockedAttention.Backend.AUTO, threads);
            for (int call = 0; call < 20; call++) {
                Thread.currentThread().interrupt();
                assertThrows(org.promptlimits.check.Interrupts.Interrupted.class,
                        () -> a.attend(n, m, d, dv, q, k, v, 0.25, new double[n * dv]), "threads " + threads);
                assertTrue(Thread.interrupted(), "the interrupt status is kept");
            }
            double[] out = new double[n * dv];
            a.attend(n, m, d, dv, q, k, v, 0.25, out);
            assertArrayEquals(expected, out, "threads " + threads);
        }
    }
}
