package org.promptlimits.attention.exact;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The float32 entry point of both backends against the float64 reference (f32 rounding ≈ 1e-7 per step). */
class BlockedFloat32Test {

    private static void assertFloat32MatchesReference(BlockedAttention a, int n, int m, int d, int dv) {
        Random rnd = new Random(0xff);
        double[] q = new double[n * d], k = new double[m * d], v = new double[m * dv];
        float[] qf = new float[n * d], kf = new float[m * d], vf = new float[m * dv];
        for (int i = 0; i < q.length; i++) {
            qf[i] = (float) (2 * rnd.nextDouble() - 1);
            q[i] = qf[i];
        }
        for (int i = 0; i < k.length; i++) {
            kf[i] = (float) (2 * rnd.nextDouble() - 1);
            k[i] = kf[i];
        }
        for (int i = 0; i < v.length; i++) {
            vf[i] = (float) (2 * rnd.nextDouble() - 1);
            v[i] = vf[i];
        }
        double beta = 1 / Math.sqrt(d);
        double[] expected = new double[n * dv];
        ReferenceAttention.create().attend(n, m, d, dv, q, k, v, beta, expected);
        float[] out = new float[n * dv];
        a.attend(n, m, d, dv, qf, kf, vf, beta, out);
        double err = 0;
        for (int i = 0; i < out.length; i++) {
            err = Math.max(err, Math.abs(out[i] - expected[i]));
        }
        assertTrue(err < 2e-6, a.name() + " float32 error " + err + " at n=" + n + " m=" + m + " d=" + d);
    }

    @Test
    void scalarFloat32AgreesWithReference() {
        BlockedAttention a = BlockedAttention.of(BlockedAttention.Backend.SCALAR, 1);
        assertFloat32MatchesReference(a, 130, 600, 64, 64);
        assertFloat32MatchesReference(a, 3, 5, 7, 9);
    }

    @Test
    void vectorFloat32AgreesWithReference() {
        assumeTrue(BlockedAttention.vectorAvailable());
        BlockedAttention a = BlockedAttention.of(BlockedAttention.Backend.VECTOR, 1);
        assertFloat32MatchesReference(a, 130, 600, 64, 64);
        assertFloat32MatchesReference(a, 3, 5, 7, 9);
        assertFloat32MatchesReference(a, 67, 263, 8, 24);
        assertFloat32MatchesReference(a, 67, 263, 8, 8);   // value rows of one 256-bit vector
        assertFloat32MatchesReference(a, 33, 101, 16, 16); // value rows of one preferred vector (AVX-512)
    }

    private static float[] uniform(int len, long seed, double scale) {
        Random rnd = new Random(seed);
        float[] a = new float[len];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (scale * (2 * rnd.nextDouble() - 1));
        }
        return a;
    }

    /** One call's output, computed on a thread of its own (whose block buffers are new). */
    private static float[] onFreshThread(BlockedAttention a, int n, int m, int d, int dv, float[] q, float[] k,
                                         float[] v) throws InterruptedException {
        float[] out = new float[n * dv];
        Thread t = new Thread(() -> a.attend(n, m, d, dv, q, k, v, 0.125, out));
        t.start();
        t.join();
        return out;
    }

    /**
     * Block buffers (per thread) and packed keys and values (per calling thread) are kept between calls: calls of other
     * shapes, of the same shapes with other entries, and a refused call before do not change a call's output.
     */
    @Test
    void aThreadsEarlierCallsDoNotChangeItsNextOutput() throws InterruptedException {
        assumeTrue(BlockedAttention.vectorAvailable());
        for (int threads = 1; threads <= 2; threads++) {
            aThreadsEarlierCallsDoNotChangeItsNextOutput(BlockedAttention.of(BlockedAttention.Backend.VECTOR, threads));
        }
    }

    private static void aThreadsEarlierCallsDoNotChangeItsNextOutput(BlockedAttention a) throws InterruptedException {
        for (int[] shape : new int[][] {{67, 263, 64, 64}, {1, 5, 64, 64}, {130, 77, 64, 64}, {67, 263, 8, 24}}) {
            int n = shape[0], m = shape[1], d = shape[2], dv = shape[3];
            float[] q = uniform(n * d, 1, 1), k = uniform(m * d, 2, 1), v = uniform(m * dv, 3, 1);
            float[] expected = onFreshThread(a, n, m, d, dv, q, k, v);
            float[] bad = uniform(m * dv, 6, 1);
            bad[bad.length - 1] = Float.NaN;
            assertThrows(IllegalArgumentException.class,
                    () -> a.attend(n, m, d, dv, q, k, bad, 0.125, new float[n * dv]));
            float[] afterRefusal = new float[n * dv];
            a.attend(n, m, d, dv, q, k, v, 0.125, afterRefusal);
            assertArrayEquals(expected, afterRefusal, a.name() + " after a refused call, n=" + n + " m=" + m);
            for (int[] before : new int[][] {{200, 300, d, dv}, {64, 64, d, dv}, {3, 400, d, 2 * dv}, {n, m, d, dv}}) {
                float[] other = new float[before[0] * before[3]];  // larger entries, other shapes, same tiles
                a.attend(before[0], before[1], before[2], before[3], uniform(before[0] * before[2], 4, 3),
                        uniform(before[1] * before[2], 5, 3), uniform(before[1] * before[3], 6, 100), 0.125, other);
                float[] out = new float[n * dv];
                a.attend(n, m, d, dv, q, k, v, 0.125, out);
                assertArrayEquals(expected, out, a.name() + " n=" + n + " m=" + m + " d=" + d + " dv=" + dv);
            }
        }
    }

    @Test
    void vectorExpIsAccurateOverTheClampedRange() {
        assumeTrue(BlockedAttention.vectorAvailable());
        // one score row of huge spread: weights from e^0 down to e^-80 must all be right
        int m = 64;
        double[] q = {1};
        double[] k = new double[m];
        double[] v = new double[m];
        for (int j = 0; j < m; j++) {
            k[j] = -80.0 * j / (m - 1);
            v[j] = j % 2;
        }
        double[] expected = new double[1];
        double[] actual = new double[1];
        ReferenceAttention.create().attend(1, m, 1, 1, q, k, v, 1, expected);
        BlockedAttention.of(BlockedAttention.Backend.VECTOR, 1).attend(1, m, 1, 1, q, k, v, 1, actual);
        assertTrue(Math.abs(expected[0] - actual[0]) < 1e-15, expected[0] + " vs " + actual[0]);
    }

    @Test
    void vectorBackendIsRefusedWithTheFlagToAddWhenAbsent() {
        assumeTrue(!BlockedAttention.vectorAvailable());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BlockedAttention.of(BlockedAttention.Backend.VECTOR, 1));
        assertTrue(e.getMessage().contains("--add-modules jdk.incubator.vector"));
    }

    @Test
    void float32OverflowIsRefusedNotReturnedAsNaN() {
        float[] q = {1e20f};
        float[] k = {1e20f, -1e20f};
        float[] v = {1, 2};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BlockedAttention.of(BlockedAttention.Backend.SCALAR, 1).attend(1, 2, 1, 1, q, k, v, 1, new float[1]));
        assertTrue(e.getMessage().contains("float64"), e.getMessage());
    }
}
