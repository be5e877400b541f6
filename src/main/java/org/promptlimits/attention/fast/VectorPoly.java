package org.promptlimits.attention.fast;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * {@link PolyKernel} with the JDK Vector API, vectorized along the rows of the block and register-tiled
 * over four output columns (4 accumulators, one load of the features per four multiply-adds). Loaded by
 * reflection only when the module is present.
 */
final class VectorPoly implements PolyKernel {

    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    VectorPoly() {
    }

    @Override
    public String name() {
        return "vector(f64x" + L + ")";
    }

    @Override
    public void monomials(int r, int[] parent, int[] variable, int b, int stride, double[] xt, double[] dst) {
        int bv = b - b % L;
        Arrays.fill(dst, 0, b, 1.0);
        for (int a = 1; a < r; a++) {
            int po = parent[a] * stride;
            int xo = variable[a] * stride;
            int o = a * stride;
            int i = 0;
            for (; i < bv; i += L) {
                DoubleVector.fromArray(S, dst, po + i).mul(DoubleVector.fromArray(S, xt, xo + i)).intoArray(dst, o + i);
            }
            for (; i < b; i++) {
                dst[o + i] = dst[po + i] * xt[xo + i];
            }
        }
    }

    /**
     * The lanes of x added in lane order. {@code reduceLanes(ADD)} leaves the order unspecified, so it may differ
     * between the interpreted and the compiled code and a call's bits could change once the JIT compiler has run.
     */
    private static double sum(DoubleVector x) {
        double y = x.lane(0);
        for (int l = 1; l < L; l++) {
            y += x.lane(l);
        }
        return y;
    }

    @Override
    public void accumulate(int r, int cols, int b, int stride, double[] wt, double[] vt, double[] s) {
        int bv = b - b % L;
        for (int a = 0; a < r; a++) {
            int wo = a * stride;
            int c = 0;
            for (; c + 4 <= cols; c += 4) {
                int v0 = c * stride, v1 = v0 + stride, v2 = v1 + stride, v3 = v2 + stride;
                DoubleVector x0 = DoubleVector.zero(S), x1 = DoubleVector.zero(S);
                DoubleVector x2 = DoubleVector.zero(S), x3 = DoubleVector.zero(S);
                for (int i = 0; i < bv; i += L) {
                    DoubleVector w = DoubleVector.fromArray(S, wt, wo + i);
                    x0 = w.fma(DoubleVector.fromArray(S, vt, v0 + i), x0);
                    x1 = w.fma(DoubleVector.fromArray(S, vt, v1 + i), x1);
                    x2 = w.fma(DoubleVector.fromArray(S, vt, v2 + i), x2);
                    x3 = w.fma(DoubleVector.fromArray(S, vt, v3 + i), x3);
                }
                double y0 = sum(x0), y1 = sum(x1);
                double y2 = sum(x2), y3 = sum(x3);
                for (int i = bv; i < b; i++) {
                    double w = wt[wo + i];
                    y0 += w * vt[v0 + i];
                    y1 += w * vt[v1 + i];
                    y2 += w * vt[v2 + i];
                    y3 += w * vt[v3 + i];
                }
                s[c * r + a] += y0;
                s[(c + 1) * r + a] += y1;
                s[(c + 2) * r + a] += y2;
                s[(c + 3) * r + a] += y3;
            }
            for (; c < cols; c++) {
                int vo = c * stride;
                DoubleVector x = DoubleVector.zero(S);
                for (int i = 0; i < bv; i += L) {
                    x = DoubleVector.fromArray(S, wt, wo + i).fma(DoubleVector.fromArray(S, vt, vo + i), x);
                }
                double y = sum(x);
                for (int i = bv; i < b; i++) {
                    y += wt[wo + i] * vt[vo + i];
                }
                s[c * r + a] += y;
            }
        }
    }

    /** Features per chunk of {@link #project}: CHUNK rows of ut (CHUNK·stride doubles) stay in L1 across the columns. */
    private static final int CHUNK = 16;

    @Override
    public void project(int r, int cols, int b, int stride, double[] ut, double[] s, double[] acc) {
        int bv = b - b % L;
        Arrays.fill(acc, 0, cols * stride, 0);
        // features in chunks of CHUNK, so that the chunk of ut is read from L1 by every column group (one pass
        // over ut per block, not one per column group: ut is r·stride doubles, far beyond L2 for large r)
        for (int a0 = 0; a0 < r; a0 += CHUNK) {
            int a1 = Math.min(r, a0 + CHUNK);
            int c = 0;
            for (; c + 4 <= cols; c += 4) {
                int s0 = c * r, s1 = s0 + r, s2 = s1 + r, s3 = s2 + r;
                int o0 = c * stride, o1 = o0 + stride, o2 = o1 + stride, o3 = o2 + stride;
                for (int i = 0; i < bv; i += L) {
                    DoubleVector x0 = DoubleVector.fromArray(S, acc, o0 + i), x1 = DoubleVector.fromArray(S, acc, o1 + i);
                    DoubleVector x2 = DoubleVector.fromArray(S, acc, o2 + i), x3 = DoubleVector.fromArray(S, acc, o3 + i);
                    for (int a = a0, uo = a0 * stride + i; a < a1; a++, uo += stride) {
                        DoubleVector u = DoubleVector.fromArray(S, ut, uo);
                        x0 = u.fma(DoubleVector.broadcast(S, s[s0 + a]), x0);
                        x1 = u.fma(DoubleVector.broadcast(S, s[s1 + a]), x1);
                        x2 = u.fma(DoubleVector.broadcast(S, s[s2 + a]), x2);
                        x3 = u.fma(DoubleVector.broadcast(S, s[s3 + a]), x3);
                    }
                    x0.intoArray(acc, o0 + i);
                    x1.intoArray(acc, o1 + i);
                    x2.intoArray(acc, o2 + i);
                    x3.intoArray(acc, o3 + i);
                }
            }
            for (; c < cols; c++) {
                int so = c * r;
                int oo = c * stride;
                for (int i = 0; i < bv; i += L) {
                    DoubleVector x = DoubleVector.fromArray(S, acc, oo + i);
                    for (int a = a0, uo = a0 * stride + i; a < a1; a++, uo += stride) {
                        x = DoubleVector.fromArray(S, ut, uo).fma(DoubleVector.broadcast(S, s[so + a]), x);
                    }
                    x.intoArray(acc, oo + i);
                }
            }
        }
        for (int i = bv; i < b; i++) {
            for (int c = 0; c < cols; c++) {
                double x = 0;
                for (int a = 0; a < r; a++) {
                    x += ut[a * stride + i] * s[c * r + a];
                }
                acc[c * stride + i] = x;
            }
        }
    }
}
