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
        PolyKernel fast = PolyKernel.INSTANCE;
        assertTrue(fast.name().startsWith("vector") || fast == ScalarPoly.INSTANCE);
        Random rnd = new Random(0xff);
        int stride = 128;
        for (int[] shape : new int[][] {{165, 9, 128}, {35, 5, 77}, {7, 3, 5}, {1, 1, 1}, {330, 17, 100}}) {
            int r = shape[0], cols = shape[1], b = shape[2];
            double[] wt = uniform(rnd, r * stride);
            double[] vt = uniform(rnd, cols * stride);
            double[] s1 = uniform(rnd, cols * r);
            double[] s2 = s1.clone();
            ScalarPoly.INSTANCE.accumulate(r, cols, b, stride, wt, vt, s1);
            fast.accumulate(r, cols, b, stride, wt, vt, s2);
            for (int i = 0; i < s1.length; i++) {
                assertEquals(s1[i], s2[i], 1e-12, "accumulate r=" + r + " cols=" + cols + " b=" + b);
            }
            double[] a1 = new double[cols * stride];
            double[] a2 = new double[cols * stride];
            ScalarPoly.INSTANCE.project(r, cols, b, stride, wt, s1, a1);
            fast.project(r, cols, b, stride, wt, s1, a2);
            for (int c = 0; c < cols; c++) {
                for (int i = 0; i < b; i++) {
                    assertEquals(a1[c * stride + i], a2[c * stride + i], 1e-11, "project r=" + r + " cols=" + cols + " b=" + b);
                }
            }
        }
    }

    @Test
    void blockMonomialsOfBothKernelsMatchTheRowByRowProducts() {
        Random rnd = new Random(0xfe);
        int stride = 128;
        for (int[] shape : new int[][] {{8, 6, 128}, {3, 4, 77}, {5, 2, 5}, {1, 0, 1}, {16, 2, 100}}) {
            int d = shape[0], g = shape[1], b = shape[2];
            MonomialFeatures f = MonomialFeatures.of(d, g, 0.5, Budget.DEFAULT);
            int r = f.rank();
            double[] x = uniform(rnd, b * d);
            double[] xt = new double[d * stride];
            for (int i = 0; i < b; i++) {
                for (int t = 0; t < d; t++) {
                    xt[t * stride + i] = x[i * d + t];
                }
            }
            double[] row = new double[r];
            for (PolyKernel kernel : new PolyKernel[] {ScalarPoly.INSTANCE, PolyKernel.INSTANCE}) {
                double[] dst = new double[r * stride];
                f.monomialsTransposed(kernel, xt, b, stride, dst);
                for (int i = 0; i < b; i++) {
                    f.monomials(x, i * d, row, 0);
                    for (int a = 0; a < r; a++) {
                        assertEquals(row[a], dst[a * stride + i], 0, kernel.name() + " d=" + d + " g=" + g + " row " + i + " monomial " + a);
                    }
                }
            }
        }
    }
}
