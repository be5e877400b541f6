package org.promptlimits.attention.fast;

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
    public void monomials(int[] segDst, int[] segSrc, int[] segLen, int[] segVar, double[] x, int xOff, int d, int b,
                          double[] dst, int stride) {
        for (int i = 0; i < b; i++) {
            int o = i * stride;
            int xo = xOff + i * d;
            dst[o] = 1;
            for (int seg = 0; seg < segDst.length; seg++) {
                double xv = x[xo + segVar[seg]];
                int to = o + segDst[seg];
                int from = o + segSrc[seg];
                for (int k = 0; k < segLen[seg]; k++) {
                    dst[to + k] = dst[from + k] * xv;
                }
            }
        }
    }

    @Override
    public void accumulate(int stride, int cols, int b, double[] f, double[] v, double[] s) {
        for (int c = 0; c < cols; c++) {
            for (int a = 0; a < stride; a++) {
                double x = 0;
                for (int i = 0; i < b; i++) {
                    x += f[i * stride + a] * v[i * cols + c];
                }
                s[c * stride + a] += x;
            }
        }
    }

    @Override
    public void project(int stride, int cols, int b, double[] f, double[] s, double[] out, double[] scratch) {
        for (int i = 0; i < b; i++) {
            for (int c = 0; c < cols; c++) {
                double x = 0;
                for (int a = 0; a < stride; a++) {
                    x += f[i * stride + a] * s[c * stride + a];
                }
                out[i * cols + c] = x;
            }
        }
    }

    @Override
    public void monomials(int[] segDst, int[] segSrc, int[] segLen, int[] segVar, double[] x, int xOff, int d, int b,
                          float[] dst, int stride) {
        for (int i = 0; i < b; i++) {
            int o = i * stride;
            int xo = xOff + i * d;
            dst[o] = 1;
            for (int seg = 0; seg < segDst.length; seg++) {
                float xv = (float) x[xo + segVar[seg]];
                int to = o + segDst[seg];
                int from = o + segSrc[seg];
                for (int k = 0; k < segLen[seg]; k++) {
                    dst[to + k] = dst[from + k] * xv;
                }
            }
        }
    }

    @Override
    public void accumulate(int stride, int cols, int b, float[] f, float[] v, double[] s) {
        for (int c = 0; c < cols; c++) {
            for (int a = 0; a < stride; a++) {
                float x = 0;
                for (int i = 0; i < b; i++) {
                    x += f[i * stride + a] * v[i * cols + c];
                }
                s[c * stride + a] += x;
            }
        }
    }

    @Override
    public void project(int stride, int cols, int b, float[] f, float[] s, double[] out, double[] scratch) {
        for (int i = 0; i < b; i++) {
            for (int c = 0; c < cols; c++) {
                double x = 0;
                for (int a0 = 0; a0 < stride; a0 += RUN) {
                    float run = 0;
                    for (int a = a0; a < Math.min(stride, a0 + RUN); a++) {
                        run += f[i * stride + a] * s[c * stride + a];
                    }
                    x += run;
                }
                out[i * cols + c] = x;
            }
        }
    }
}
