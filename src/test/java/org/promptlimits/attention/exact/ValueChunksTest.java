package org.promptlimits.attention.exact;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The packed chunks of V in the vector kernel ({@link VectorTilesF32#CHUNK}): chunks of 4 vectors, read by value blocks
 * of 6 rows × 4 vectors, give the same output bits as chunks of 2 vectors (each output the same sum in the same
 * order), for value widths with wide chunks only, wide and 2-vector chunks, columns past the chunks and none at all,
 * on ragged query and key tiles; and every packed number sits where the layout says.
 */
class ValueChunksTest {

    /** {n, m, dv, qtile, ktile}: query tiles of 64 (10 six-row blocks and a 4-row one), 16, 10 and 7 rows. */
    private static final int[][] TILES = {{131, 300, 0, 64, 128}, {53, 97, 0, 16, 64}, {23, 41, 0, 10, 32},
            {9, 70, 0, 7, 32}};
    /** Value widths: float64 (L = 8 with AVX-512) and float32 (L = 16) each meet every case of the layout. */
    private static final int[] WIDTHS = {64, 40, 16, 32, 48, 80, 96, 24};

    @BeforeAll
    static void vectorModulePresent() {
        assumeTrue(BlockedAttention.vectorAvailable(), "jdk.incubator.vector not in the boot layer");
    }

    @Test
    void wideChunksGiveTheBitsOfTwoVectorChunks() {
        assumeTrue(VectorTilesF64.CHUNK > 2 * VectorTilesF64.L && VectorTilesF32.CHUNK > 2 * VectorTilesF32.L,
                "value blocks of 4 vectors need 32 vector registers");
        int d = 24;
        for (int[] t : TILES) {
            for (int dv : WIDTHS) {
                String shape = "n=" + t[0] + " m=" + t[1] + " dv=" + dv + " qtile=" + t[3] + " ktile=" + t[4];
                Random rnd = new Random(t[0] * 131L + dv);
                double[] q = values(rnd, t[0] * d, 2), k = values(rnd, t[1] * d, 2), v = values(rnd, t[1] * dv, 1e3);
                double[] expected = new double[t[0] * dv];
                ReferenceAttention.create().attend(t[0], t[1], d, dv, q, k, v, 1 / Math.sqrt(d), expected);
                for (boolean f32 : new boolean[] {false, true}) {
                    int l = f32 ? VectorTilesF32.L : VectorTilesF64.L;
                    int wide = f32 ? VectorTilesF32.CHUNK : VectorTilesF64.CHUNK;
                    double[] narrow = run(f32, 2 * l, t, d, dv, q, k, v);
                    double[] wideOut = run(f32, wide, t, d, dv, q, k, v);
                    assertTrue(Arrays.equals(narrow, wideOut), (f32 ? "float32 " : "float64 ") + shape
                            + ": chunks of " + wide + " columns changed the output bits");
                    double tol = f32 ? 2e-3 : 1e-9;           // values up to 1e3
                    for (int i = 0; i < expected.length; i++) {
                        assertEquals(expected[i], wideOut[i], tol, shape + " output " + i);
                    }
                }
            }
        }
    }

    @Test
    void everyPackedNumberSitsInItsChunk() {
        int m = 37;
        for (boolean f32 : new boolean[] {false, true}) {
            int l = f32 ? VectorTilesF32.L : VectorTilesF64.L;
            int wide = f32 ? VectorTilesF32.CHUNK : VectorTilesF64.CHUNK;
            for (int dv : new int[] {2 * l, 4 * l, 6 * l, 4 * l + 3, 2 * l + 5}) {
                double[] v = new double[m * dv];
                for (int i = 0; i < v.length; i++) {
                    v[i] = i + 1;                          // exact in float32 too
                }
                double[] vp = pack(f32, v, m, dv, wide);
                int packed = dv / (2 * l) * 2 * l;
                assertEquals((long) packed * m, vp.length, "room for dv=" + dv);
                // the chunk of width w from column c holds row j's columns c .. c + w - 1 at vp[c·m + j·w]
                for (int c = 0, w; c < packed; c += w) {
                    w = c + wide <= dv ? wide : 2 * l;
                    for (int j = 0; j < m; j++) {
                        for (int e = 0; e < w; e++) {
                            assertEquals(v[j * dv + c + e], vp[c * m + j * w + e],
                                    "dv=" + dv + " chunk at column " + c + " of width " + w + ", row " + j + ", column " + e);
                        }
                    }
                }
            }
        }
    }

    @Test
    void aChunkWidthTheKernelDoesNotReadIsRefused() {
        int l = VectorTilesF64.L;
        double[] q = new double[8], k = new double[8], v = new double[8 * 2 * l], out = new double[8 * 2 * l];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VectorTilesF64.rows(0, 1, 1,
                8, 2 * l, q, 1, VectorTilesF64.keyBuffer(1, 8), v, VectorTilesF64.valueBuffer(1, 2 * l), out, 64, 64,
                2 * l, 3 * l));
        assertTrue(e.getMessage().contains("wide (" + 3 * l + ")"), e.getMessage());
    }

    private static double[] values(Random rnd, int count, double scale) {
        double[] a = new double[count];
        for (int i = 0; i < count; i++) {
            a[i] = (float) (scale * (2 * rnd.nextDouble() - 1));     // float32 values: the same inputs for both types
        }
        return a;
    }

    private static double[] pack(boolean f32, double[] v, int m, int dv, int wide) {
        if (f32) {
            float[] vf = toFloat(v);
            float[] vp = VectorTilesF32.valueBuffer(m, dv);
            VectorTilesF32.packValues(vf, m, dv, 0, m, vp, wide);
            return toDouble(vp);
        }
        double[] vp = VectorTilesF64.valueBuffer(m, dv);
        VectorTilesF64.packValues(v, m, dv, 0, m, vp, wide);
        return vp;
    }

    /** The kernel's output rows for all n queries with value chunks of at most wide columns. */
    private static double[] run(boolean f32, int wide, int[] t, int d, int dv, double[] q, double[] k, double[] v) {
        int n = t[0], m = t[1], qtile = t[3], ktile = t[4];
        double beta = 1 / Math.sqrt(d);
        if (f32) {
            float[] kp = VectorTilesF32.keyBuffer(m, d), vf = toFloat(v), vp = VectorTilesF32.valueBuffer(m, dv);
            VectorTilesF32.packKeys(toFloat(k), d, 0, m, kp);
            VectorTilesF32.packValues(vf, m, dv, 0, m, vp, wide);
            float[] out = new float[n * dv];
            VectorTilesF32.rows(0, n, m, d, dv, toFloat(q), beta, kp, vf, vp, out, qtile, 2 * qtile, ktile, wide);
            return toDouble(out);
        }
        double[] kp = VectorTilesF64.keyBuffer(m, d), vp = VectorTilesF64.valueBuffer(m, dv);
        VectorTilesF64.packKeys(k, d, 0, m, kp);
        VectorTilesF64.packValues(v, m, dv, 0, m, vp, wide);
        double[] out = new double[n * dv];
        VectorTilesF64.rows(0, n, m, d, dv, q, beta, kp, v, vp, out, qtile, 2 * qtile, ktile, wide);
        return out;
    }

    private static float[] toFloat(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = (float) a[i];
        }
        return f;
    }

    private static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }
}
