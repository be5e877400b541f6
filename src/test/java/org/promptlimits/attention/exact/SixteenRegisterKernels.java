package org.promptlimits.attention.exact;

import java.util.Arrays;
import java.util.Random;

/**
 * Checks the vector kernel's 16-register code paths (4-row score blocks, a score tile of one array per row, 6-row
 * value blocks over those arrays: {@link VectorTilesF32#ROW_ARRAYS}) and prints "ok ..."; started by
 * {@link SixteenRegisterKernelsTest} in a JVM limited to AVX2 ({@code -XX:UseAVX=2}), so they also run on
 * machines with AVX-512, whose own JVMs never take them. Each case: float32 and float64 against the float64
 * reference, and the same bits on 1, 2 and 3 threads. Exits with an exception naming the case on failure.
 */
public final class SixteenRegisterKernels {

    private SixteenRegisterKernels() {
    }

    public static void main(String[] args) {
        if (VectorTilesF32.S.vectorBitSize() != 256 || !VectorTilesF32.ROW_ARRAYS || !VectorTilesF64.ROW_ARRAYS) {
            throw new IllegalStateException("expected 256-bit species with 16-register blocks, got f32x"
                    + VectorTilesF32.L + " (row arrays " + VectorTilesF32.ROW_ARRAYS + "), f64x" + VectorTilesF64.L);
        }
        int[][] shapes = {{130, 600, 64, 64}, {67, 263, 8, 24}, {3, 5, 7, 9}, {201, 77, 13, 40}, {64, 1100, 64, 16}};
        for (int[] s : shapes) {
            check(s[0], s[1], s[2], s[3]);
        }
        System.out.println("ok " + shapes.length + " shapes, " + BlockedAttention.of(BlockedAttention.Backend.VECTOR, 1)
                .backend());
    }

    private static void check(int n, int m, int d, int dv) {
        String shape = "n=" + n + " m=" + m + " d=" + d + " dv=" + dv;
        Random rnd = new Random(n * 31L + m);
        double[] q = new double[n * d], k = new double[m * d], v = new double[m * dv];
        float[] qf = new float[q.length], kf = new float[k.length], vf = new float[v.length];
        fill(rnd, q, qf);
        fill(rnd, k, kf);
        fill(rnd, v, vf);
        double beta = 1 / Math.sqrt(d);
        double[] expected = new double[n * dv];     // the inputs are float32 values, so one reference serves both
        ReferenceAttention.create().attend(n, m, d, dv, q, k, v, beta, expected);
        double[] first = null;
        float[] firstF = null;
        for (int threads = 1; threads <= 3; threads++) {
            BlockedAttention a = BlockedAttention.of(BlockedAttention.Backend.VECTOR, threads);
            double[] out = new double[n * dv];
            float[] outF = new float[n * dv];
            a.attend(n, m, d, dv, q, k, v, beta, out);
            a.attend(n, m, d, dv, qf, kf, vf, beta, outF);
            double err = 0;
            double errF = 0;
            for (int i = 0; i < out.length; i++) {
                err = Math.max(err, Math.abs(out[i] - expected[i]));
                errF = Math.max(errF, Math.abs(outF[i] - expected[i]));
            }
            if (!(err <= 1e-13) || !(errF <= 2e-6)) {
                throw new AssertionError(shape + ", threads = " + threads + ": float64 error " + err
                        + " (at most 1e-13), float32 error " + errF + " (at most 2e-6)");
            }
            if (first == null) {
                first = out;
                firstF = outF;
            } else if (!Arrays.equals(first, out) || !Arrays.equals(firstF, outF)) {
                throw new AssertionError(shape + ": threads = " + threads + " changed the output bits");
            }
        }
    }

    private static void fill(Random rnd, double[] a, float[] af) {
        for (int i = 0; i < a.length; i++) {
            af[i] = (float) (2 * rnd.nextDouble() - 1);
            a[i] = af[i];
        }
    }
}
