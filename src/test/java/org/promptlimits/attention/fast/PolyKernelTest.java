package org.promptlimits.attention.fast;

import org.junit.jupiter.api.Test;
import org.promptlimits.precision.Budget;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Vector API products of the polynomial method against the plain loops, on ragged block shapes. */
class PolyKernelTest {

    private static double[] uniform(Random rnd, int len) {
        double[] a = new double[len];
        for (int i = 0; i < len; i++) {
            a[i] = 2 * rnd.nextDouble() - 1;
        }
        return a;
    }

    @Test
    void vectorKernelMatchesScalarLoopsOnRaggedBlocks() {
        PolyKernel<double[]> fast = PolyKernel.FLOAT64;
        assertTrue(fast.name().startsWith("vector") || fast == ScalarPolyF64.INSTANCE);
        Random rnd = new Random(0xff);
        // {stride, cols, rows}: column counts off the 3-column tile, row counts off the 3-row tile, strides
        // shorter and longer than one chunk of the query product
        for (int[] shape : new int[][] {{168, 9, 9}, {48, 5, 7}, {24, 3, 5}, {24, 1, 1}, {336, 17, 10}, {3024, 9, 12}}) {
            int stride = shape[0], cols = shape[1], b = shape[2];
            double[] f = uniform(rnd, b * stride);
            double[] v = uniform(rnd, b * cols);
            double[] s1 = uniform(rnd, cols * stride);
            double[] s2 = s1.clone();
            ScalarPolyF64.INSTANCE.accumulate(stride, cols, b, f, v, s1);
            fast.accumulate(stride, cols, b, f, v, s2);
            for (int i = 0; i < s1.length; i++) {
                assertEquals(s1[i], s2[i], 1e-12, "accumulate stride=" + stride + " cols=" + cols + " b=" + b);
            }
            double[] o1 = new double[b * cols];
            double[] o2 = new double[b * cols];
            double[] scratch = new double[b * cols * 8];
            // each kernel reads S in the layout of its own products (the vector one interleaves column triples)
            ScalarPolyF64 plain = ScalarPolyF64.INSTANCE;
            plain.project(stride, cols, b, f, plain.products(s1, cols, stride), o1, scratch);
            fast.project(stride, cols, b, f, fast.products(s1, cols, stride), o2, scratch);
            for (int i = 0; i < o1.length; i++) {
                assertEquals(o1[i], o2[i], 1e-11, "project stride=" + stride + " cols=" + cols + " b=" + b);
            }
        }
    }

    private static float[] toFloat(double[] x) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = (float) x[i];
        }
        return y;
    }

    @Test
    void float32KernelsMatchTheScalarLoopsAndTheDoubleOnes() {
        PolyKernel<float[]> fast = PolyKernel.FLOAT32;
        Random rnd = new Random(0xfd);
        for (int[] shape : new int[][] {{192, 9, 42}, {48, 5, 7}, {48, 3, 5}, {48, 1, 1}, {336, 17, 10}, {3024, 9, 12}}) {
            int stride = shape[0], cols = shape[1], b = shape[2];
            float[] f = toFloat(uniform(rnd, b * stride));
            float[] v = toFloat(uniform(rnd, b * cols));
            double[] s0 = uniform(rnd, cols * stride);
            double[] s1 = s0.clone();
            double[] s2 = s0.clone();
            double[] s3 = s0.clone();
            ScalarPolyF32.INSTANCE.accumulate(stride, cols, b, f, v, s1);
            fast.accumulate(stride, cols, b, f, v, s2);
            double[] fd = new double[f.length];
            double[] vd = new double[v.length];
            for (int i = 0; i < f.length; i++) {
                fd[i] = f[i];
            }
            for (int i = 0; i < v.length; i++) {
                vd[i] = v[i];
            }
            ScalarPolyF64.INSTANCE.accumulate(stride, cols, b, fd, vd, s3);
            double tol = (double) b * b * 0x1p-24;   // γ_b times the sum of b products below 1 in magnitude
            for (int i = 0; i < s1.length; i++) {
                assertEquals(s3[i], s1[i], tol, "scalar float32 accumulate");
                assertEquals(s3[i], s2[i], tol, "vector float32 accumulate stride=" + stride + " cols=" + cols + " b=" + b);
            }
            float[] s32 = ScalarPolyF32.INSTANCE.products(s1, cols, stride);
            double[] sd = new double[s32.length];
            for (int i = 0; i < s32.length; i++) {
                sd[i] = s32[i];
            }
            double[] o1 = new double[b * cols];
            double[] o2 = new double[b * cols];
            double[] o3 = new double[b * cols];
            double[] scratch = new double[b * cols * 16];
            ScalarPolyF32.INSTANCE.project(stride, cols, b, f, s32, o1, scratch);
            fast.project(stride, cols, b, f, fast.products(s1, cols, stride), o2, scratch);
            ScalarPolyF64.INSTANCE.project(stride, cols, b, fd, sd, o3, scratch);
            double ptol = 2 * PolyKernel.RUN * 0x1p-24 * stride * (1 + b);   // runs in float over terms up to b + 1
            for (int i = 0; i < o1.length; i++) {
                assertEquals(o3[i], o1[i], ptol, "scalar float32 project");
                assertEquals(o3[i], o2[i], ptol, "vector float32 project stride=" + stride + " cols=" + cols + " b=" + b);
            }
        }
    }

    @Test
    void blockMonomialsOfBothKernelsMatchTheRowByRowProducts() {
        Random rnd = new Random(0xfe);
        for (int[] shape : new int[][] {{8, 6, 9}, {3, 4, 7}, {5, 2, 5}, {1, 0, 1}, {16, 2, 10}, {1, 9, 3}}) {
            int d = shape[0], g = shape[1], b = shape[2];
            MonomialFeatures f = MonomialFeatures.of(d, g, 0.5, Budget.DEFAULT);
            int r = f.rank();
            int stride = PolyKernel.stride(r);
            int i0 = 2;
            double[] x = uniform(rnd, (i0 + b) * d);
            double[] row = new double[r];
            for (int k = 0; k < 2; k++) {
                PolyKernel<float[]> kernel32 = k == 0 ? ScalarPolyF32.INSTANCE : PolyKernel.FLOAT32;
                PolyKernel<double[]> kernel = k == 0 ? ScalarPolyF64.INSTANCE : PolyKernel.FLOAT64;
                float[] dst32 = new float[b * stride];
                f.monomialsOfRows(kernel32, x, i0, b, dst32, stride);
                float[] row32 = new float[r];
                for (int i = 0; i < b; i++) {
                    row32[0] = 1;
                    for (int a = 1; a < r; a++) {
                        int[] alpha = f.multiIndex(a);
                        float m = 1;
                        for (int t = 0; t < d; t++) {
                            for (int e = 0; e < alpha[t]; e++) {
                                m *= (float) x[(i0 + i) * d + t];
                            }
                        }
                        row32[a] = m;
                    }
                    for (int a = 0; a < r; a++) {
                        assertEquals(row32[a], dst32[i * stride + a], Math.abs(row32[a]) * 2 * g * 0x1p-24,
                                kernel32.name() + " float32 d=" + d + " g=" + g + " row " + i + " monomial " + a);
                    }
                    for (int a = r; a < stride; a++) {
                        assertEquals(0, dst32[i * stride + a], 0, "float32 padding stays zero");
                    }
                }
                double[] dst = new double[b * stride];
                f.monomialsOfRows(kernel, x, i0, b, dst, stride);
                for (int i = 0; i < b; i++) {
                    f.monomials(x, (i0 + i) * d, row, 0);
                    for (int a = 0; a < r; a++) {
                        assertEquals(row[a], dst[i * stride + a], 0, kernel.name() + " d=" + d + " g=" + g + " row " + i + " monomial " + a);
                    }
                    for (int a = r; a < stride; a++) {
                        assertEquals(0, dst[i * stride + a], 0, "padding stays zero");
                    }
                }
            }
        }
    }
}
