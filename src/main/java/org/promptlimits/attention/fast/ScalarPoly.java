package org.promptlimits.attention.fast;

import java.util.Arrays;

/** {@link PolyKernel} in plain Java loops: the fallback without the Vector API, and the statement of what it computes. */
final class ScalarPoly implements PolyKernel {

    static final ScalarPoly INSTANCE = new ScalarPoly();

    private ScalarPoly() {
    }

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public void monomials(int r, int[] parent, int[] variable, int b, int stride, double[] xt, double[] dst) {
        Arrays.fill(dst, 0, b, 1.0);
        for (int a = 1; a < r; a++) {
            int po = parent[a] * stride;
            int xo = variable[a] * stride;
            int o = a * stride;
            for (int i = 0; i < b; i++) {
                dst[o + i] = dst[po + i] * xt[xo + i];
            }
        }
    }

    @Override
    public void accumulate(int r, int cols, int b, int stride, double[] wt, double[] vt, double[] s) {
        for (int a = 0; a < r; a++) {
            int wo = a * stride;
            for (int c = 0; c < cols; c++) {
                int vo = c * stride;
                double x0 = 0, x1 = 0, x2 = 0, x3 = 0;
                int i = 0;
                for (; i + 4 <= b; i += 4) {
                    x0 += wt[wo + i] * vt[vo + i];
                    x1 += wt[wo + i + 1] * vt[vo + i + 1];
                    x2 += wt[wo + i + 2] * vt[vo + i + 2];
                    x3 += wt[wo + i + 3] * vt[vo + i + 3];
                }
                for (; i < b; i++) {
                    x0 += wt[wo + i] * vt[vo + i];
                }
                s[c * r + a] += (x0 + x1) + (x2 + x3);
            }
        }
    }

    @Override
    public void project(int r, int cols, int b, int stride, double[] ut, double[] s, double[] acc) {
        Arrays.fill(acc, 0, cols * stride, 0);
        for (int a = 0; a < r; a++) {
            int uo = a * stride;
            for (int c = 0; c < cols; c++) {
                double x = s[c * r + a];
                int ao = c * stride;
                for (int i = 0; i < b; i++) {
                    acc[ao + i] += x * ut[uo + i];
                }
            }
        }
    }
}
