package org.promptlimits.attention.fast;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * {@link PolyKernel} with the JDK Vector API, vectorised along the features (the inner index of a row), so that
 * no product needs a sum across lanes per block: the key product keeps a 3-vector × 3-column tile of S in
 * registers over the block's rows, the query product a 3-row × 3-column tile of lane-wise partial sums over chunks
 * of features that stay in L1. Loaded by reflection only when the module is present.
 */
final class VectorPoly implements PolyKernel {

    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Features per chunk of {@link #project}: a chunk of 3 rows and of 3 columns of S stays in L1. */
    private static final int CHUNK = 128;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    /** Float lanes: twice the double lanes (both species are the preferred shape), so a float vector is two double ones. */
    private static final int LF = F.length();
    /** Features per chunk of the float32 query product: one run of {@link PolyKernel#RUN} terms per lane. */
    private static final int CHUNK_F = RUN * LF;

    VectorPoly() {
        if (PAD % (3 * LF) != 0 || CHUNK % L != 0 || LF != 2 * L) {
            throw new IllegalStateException("vector length " + L + " does not divide the padding " + PAD);
        }
    }

    @Override
    public String name() {
        return "vector(f64x" + L + ", f32x" + LF + ")";
    }

    /**
     * Each segment is written in whole vectors: the lanes past its end hold garbage until the next segment (or the
     * next degree) overwrites them, and the garbage after the last monomial is cleared; rows need L − 1 spare
     * doubles after the rank, which {@link PolyKernel#stride} leaves.
     */
    @Override
    public void monomials(int[] segDst, int[] segSrc, int[] segLen, int[] segVar, double[] x, int xOff, int d, int b,
                          double[] dst, int stride) {
        int segments = segDst.length;
        int end = segments == 0 ? 1 : segDst[segments - 1] + segLen[segments - 1];
        for (int i = 0; i < b; i++) {
            int o = i * stride;
            int xo = xOff + i * d;
            dst[o] = 1;
            for (int seg = 0; seg < segments; seg++) {
                DoubleVector bx = DoubleVector.broadcast(S, x[xo + segVar[seg]]);
                int to = o + segDst[seg];
                int from = o + segSrc[seg];
                int len = segLen[seg];
                for (int k = 0; k < len; k += L) {
                    DoubleVector.fromArray(S, dst, from + k).mul(bx).intoArray(dst, to + k);
                }
            }
            Arrays.fill(dst, o + end, o + Math.min(stride, end + L), 0);
        }
    }

    @Override
    public void accumulate(int stride, int cols, int b, double[] f, double[] v, double[] s) {
        for (int a = 0; a < stride; a += 3 * L) {
            int c = 0;
            for (; c + 3 <= cols; c += 3) {
                accumulate3x3(stride, cols, b, f, v, s, a, c);
            }
            for (; c < cols; c++) {
                accumulate3x1(stride, cols, b, f, v, s, a, c);
            }
        }
    }

    private static void accumulate3x3(int stride, int cols, int b, double[] f, double[] v, double[] s, int a, int c) {
        DoubleVector x00 = DoubleVector.zero(S), x10 = DoubleVector.zero(S), x20 = DoubleVector.zero(S);
        DoubleVector x01 = DoubleVector.zero(S), x11 = DoubleVector.zero(S), x21 = DoubleVector.zero(S);
        DoubleVector x02 = DoubleVector.zero(S), x12 = DoubleVector.zero(S), x22 = DoubleVector.zero(S);
        for (int i = 0, fo = a, vo = c; i < b; i++, fo += stride, vo += cols) {
            DoubleVector f0 = DoubleVector.fromArray(S, f, fo);
            DoubleVector f1 = DoubleVector.fromArray(S, f, fo + L);
            DoubleVector f2 = DoubleVector.fromArray(S, f, fo + 2 * L);
            DoubleVector v0 = DoubleVector.broadcast(S, v[vo]);
            x00 = f0.fma(v0, x00);
            x10 = f1.fma(v0, x10);
            x20 = f2.fma(v0, x20);
            DoubleVector v1 = DoubleVector.broadcast(S, v[vo + 1]);
            x01 = f0.fma(v1, x01);
            x11 = f1.fma(v1, x11);
            x21 = f2.fma(v1, x21);
            DoubleVector v2 = DoubleVector.broadcast(S, v[vo + 2]);
            x02 = f0.fma(v2, x02);
            x12 = f1.fma(v2, x12);
            x22 = f2.fma(v2, x22);
        }
        int s0 = c * stride + a, s1 = s0 + stride, s2 = s1 + stride;
        DoubleVector.fromArray(S, s, s0).add(x00).intoArray(s, s0);
        DoubleVector.fromArray(S, s, s0 + L).add(x10).intoArray(s, s0 + L);
        DoubleVector.fromArray(S, s, s0 + 2 * L).add(x20).intoArray(s, s0 + 2 * L);
        DoubleVector.fromArray(S, s, s1).add(x01).intoArray(s, s1);
        DoubleVector.fromArray(S, s, s1 + L).add(x11).intoArray(s, s1 + L);
        DoubleVector.fromArray(S, s, s1 + 2 * L).add(x21).intoArray(s, s1 + 2 * L);
        DoubleVector.fromArray(S, s, s2).add(x02).intoArray(s, s2);
        DoubleVector.fromArray(S, s, s2 + L).add(x12).intoArray(s, s2 + L);
        DoubleVector.fromArray(S, s, s2 + 2 * L).add(x22).intoArray(s, s2 + 2 * L);
    }

    private static void accumulate3x1(int stride, int cols, int b, double[] f, double[] v, double[] s, int a, int c) {
        DoubleVector x0 = DoubleVector.zero(S), x1 = DoubleVector.zero(S), x2 = DoubleVector.zero(S);
        for (int i = 0, fo = a, vo = c; i < b; i++, fo += stride, vo += cols) {
            DoubleVector v0 = DoubleVector.broadcast(S, v[vo]);
            x0 = DoubleVector.fromArray(S, f, fo).fma(v0, x0);
            x1 = DoubleVector.fromArray(S, f, fo + L).fma(v0, x1);
            x2 = DoubleVector.fromArray(S, f, fo + 2 * L).fma(v0, x2);
        }
        int s0 = c * stride + a;
        DoubleVector.fromArray(S, s, s0).add(x0).intoArray(s, s0);
        DoubleVector.fromArray(S, s, s0 + L).add(x1).intoArray(s, s0 + L);
        DoubleVector.fromArray(S, s, s0 + 2 * L).add(x2).intoArray(s, s0 + 2 * L);
    }

    /**
     * The lanes of x added in lane order. {@code reduceLanes(ADD)} leaves the order unspecified, so it may differ
     * between the interpreted and the compiled code and a call's bits could change once the JIT compiler has run.
     */
    private static double sum(double[] lanes, int o) {
        double y = lanes[o];
        for (int l = 1; l < L; l++) {
            y += lanes[o + l];
        }
        return y;
    }

    @Override
    public void project(int stride, int cols, int b, double[] f, double[] s, double[] out, double[] scratch) {
        // scratch[(i·cols + c)·L + l]: lane l's partial sum of row i, column c over the chunks so far
        Arrays.fill(scratch, 0, b * cols * L, 0);
        for (int a0 = 0; a0 < stride; a0 += CHUNK) {
            int a1 = Math.min(stride, a0 + CHUNK);
            int i = 0;
            for (; i + 3 <= b; i += 3) {
                int c = 0;
                for (; c + 3 <= cols; c += 3) {
                    project3x3(stride, cols, f, s, scratch, a0, a1, i, c);
                }
                for (; c < cols; c++) {
                    for (int ii = i; ii < i + 3; ii++) {
                        project1x1(stride, cols, f, s, scratch, a0, a1, ii, c);
                    }
                }
            }
            for (; i < b; i++) {
                for (int c = 0; c < cols; c++) {
                    project1x1(stride, cols, f, s, scratch, a0, a1, i, c);
                }
            }
        }
        for (int e = 0; e < b * cols; e++) {
            out[e] = sum(scratch, e * L);
        }
    }

    private static void project3x3(int stride, int cols, double[] f, double[] s, double[] p, int a0, int a1, int i,
                                   int c) {
        int p0 = (i * cols + c) * L, p1 = p0 + cols * L, p2 = p1 + cols * L;
        DoubleVector x00 = DoubleVector.fromArray(S, p, p0), x01 = DoubleVector.fromArray(S, p, p0 + L);
        DoubleVector x02 = DoubleVector.fromArray(S, p, p0 + 2 * L);
        DoubleVector x10 = DoubleVector.fromArray(S, p, p1), x11 = DoubleVector.fromArray(S, p, p1 + L);
        DoubleVector x12 = DoubleVector.fromArray(S, p, p1 + 2 * L);
        DoubleVector x20 = DoubleVector.fromArray(S, p, p2), x21 = DoubleVector.fromArray(S, p, p2 + L);
        DoubleVector x22 = DoubleVector.fromArray(S, p, p2 + 2 * L);
        int f0 = i * stride, f1 = f0 + stride, f2 = f1 + stride;
        int s0 = c * stride, s1 = s0 + stride, s2 = s1 + stride;
        for (int a = a0; a < a1; a += L) {
            DoubleVector u0 = DoubleVector.fromArray(S, f, f0 + a);
            DoubleVector u1 = DoubleVector.fromArray(S, f, f1 + a);
            DoubleVector u2 = DoubleVector.fromArray(S, f, f2 + a);
            DoubleVector w0 = DoubleVector.fromArray(S, s, s0 + a);
            x00 = u0.fma(w0, x00);
            x10 = u1.fma(w0, x10);
            x20 = u2.fma(w0, x20);
            DoubleVector w1 = DoubleVector.fromArray(S, s, s1 + a);
            x01 = u0.fma(w1, x01);
            x11 = u1.fma(w1, x11);
            x21 = u2.fma(w1, x21);
            DoubleVector w2 = DoubleVector.fromArray(S, s, s2 + a);
            x02 = u0.fma(w2, x02);
            x12 = u1.fma(w2, x12);
            x22 = u2.fma(w2, x22);
        }
        x00.intoArray(p, p0);
        x01.intoArray(p, p0 + L);
        x02.intoArray(p, p0 + 2 * L);
        x10.intoArray(p, p1);
        x11.intoArray(p, p1 + L);
        x12.intoArray(p, p1 + 2 * L);
        x20.intoArray(p, p2);
        x21.intoArray(p, p2 + L);
        x22.intoArray(p, p2 + 2 * L);
    }

    private static void project1x1(int stride, int cols, double[] f, double[] s, double[] p, int a0, int a1, int i,
                                   int c) {
        int po = (i * cols + c) * L;
        DoubleVector x = DoubleVector.fromArray(S, p, po);
        int fo = i * stride;
        int so = c * stride;
        for (int a = a0; a < a1; a += L) {
            x = DoubleVector.fromArray(S, f, fo + a).fma(DoubleVector.fromArray(S, s, so + a), x);
        }
        x.intoArray(p, po);
    }

    // ---- float32: the same loops on FloatVector, the sums handed to double through addInto ----

    @Override
    public void monomials(int[] segDst, int[] segSrc, int[] segLen, int[] segVar, double[] x, int xOff, int d, int b,
                          float[] dst, int stride) {
        int segments = segDst.length;
        int end = segments == 0 ? 1 : segDst[segments - 1] + segLen[segments - 1];
        for (int i = 0; i < b; i++) {
            int o = i * stride;
            int xo = xOff + i * d;
            dst[o] = 1;
            for (int seg = 0; seg < segments; seg++) {
                FloatVector bx = FloatVector.broadcast(F, (float) x[xo + segVar[seg]]);
                int to = o + segDst[seg];
                int from = o + segSrc[seg];
                int len = segLen[seg];
                for (int k = 0; k < len; k += LF) {
                    FloatVector.fromArray(F, dst, from + k).mul(bx).intoArray(dst, to + k);
                }
            }
            Arrays.fill(dst, o + end, o + Math.min(stride, end + LF), 0);
        }
    }

    /** s[o .. o + LF) += x, in double. */
    private static void addInto(FloatVector x, double[] s, int o) {
        DoubleVector lo = (DoubleVector) x.convertShape(VectorOperators.F2D, S, 0);
        DoubleVector hi = (DoubleVector) x.convertShape(VectorOperators.F2D, S, 1);
        DoubleVector.fromArray(S, s, o).add(lo).intoArray(s, o);
        DoubleVector.fromArray(S, s, o + L).add(hi).intoArray(s, o + L);
    }

    @Override
    public void accumulate(int stride, int cols, int b, float[] f, float[] v, double[] s) {
        for (int a = 0; a < stride; a += 3 * LF) {
            int c = 0;
            for (; c + 3 <= cols; c += 3) {
                accumulate3x3(stride, cols, b, f, v, s, a, c);
            }
            for (; c < cols; c++) {
                accumulate3x1(stride, cols, b, f, v, s, a, c);
            }
        }
    }

    private static void accumulate3x3(int stride, int cols, int b, float[] f, float[] v, double[] s, int a, int c) {
        FloatVector x00 = FloatVector.zero(F), x10 = FloatVector.zero(F), x20 = FloatVector.zero(F);
        FloatVector x01 = FloatVector.zero(F), x11 = FloatVector.zero(F), x21 = FloatVector.zero(F);
        FloatVector x02 = FloatVector.zero(F), x12 = FloatVector.zero(F), x22 = FloatVector.zero(F);
        for (int i = 0, fo = a, vo = c; i < b; i++, fo += stride, vo += cols) {
            FloatVector f0 = FloatVector.fromArray(F, f, fo);
            FloatVector f1 = FloatVector.fromArray(F, f, fo + LF);
            FloatVector f2 = FloatVector.fromArray(F, f, fo + 2 * LF);
            FloatVector v0 = FloatVector.broadcast(F, v[vo]);
            x00 = f0.fma(v0, x00);
            x10 = f1.fma(v0, x10);
            x20 = f2.fma(v0, x20);
            FloatVector v1 = FloatVector.broadcast(F, v[vo + 1]);
            x01 = f0.fma(v1, x01);
            x11 = f1.fma(v1, x11);
            x21 = f2.fma(v1, x21);
            FloatVector v2 = FloatVector.broadcast(F, v[vo + 2]);
            x02 = f0.fma(v2, x02);
            x12 = f1.fma(v2, x12);
            x22 = f2.fma(v2, x22);
        }
        int s0 = c * stride + a, s1 = s0 + stride, s2 = s1 + stride;
        addInto(x00, s, s0);
        addInto(x10, s, s0 + LF);
        addInto(x20, s, s0 + 2 * LF);
        addInto(x01, s, s1);
        addInto(x11, s, s1 + LF);
        addInto(x21, s, s1 + 2 * LF);
        addInto(x02, s, s2);
        addInto(x12, s, s2 + LF);
        addInto(x22, s, s2 + 2 * LF);
    }

    private static void accumulate3x1(int stride, int cols, int b, float[] f, float[] v, double[] s, int a, int c) {
        FloatVector x0 = FloatVector.zero(F), x1 = FloatVector.zero(F), x2 = FloatVector.zero(F);
        for (int i = 0, fo = a, vo = c; i < b; i++, fo += stride, vo += cols) {
            FloatVector v0 = FloatVector.broadcast(F, v[vo]);
            x0 = FloatVector.fromArray(F, f, fo).fma(v0, x0);
            x1 = FloatVector.fromArray(F, f, fo + LF).fma(v0, x1);
            x2 = FloatVector.fromArray(F, f, fo + 2 * LF).fma(v0, x2);
        }
        int s0 = c * stride + a;
        addInto(x0, s, s0);
        addInto(x1, s, s0 + LF);
        addInto(x2, s, s0 + 2 * LF);
    }

    @Override
    public void project(int stride, int cols, int b, float[] f, float[] s, double[] out, double[] scratch) {
        // scratch[(i·cols + c)·LF + l]: lane l's sum of row i, column c over the runs so far, in double
        Arrays.fill(scratch, 0, b * cols * LF, 0);
        for (int a0 = 0; a0 < stride; a0 += CHUNK_F) {
            int a1 = Math.min(stride, a0 + CHUNK_F);
            int i = 0;
            for (; i + 3 <= b; i += 3) {
                int c = 0;
                for (; c + 3 <= cols; c += 3) {
                    project3x3(stride, cols, f, s, scratch, a0, a1, i, c);
                }
                for (; c < cols; c++) {
                    for (int ii = i; ii < i + 3; ii++) {
                        project1x1(stride, cols, f, s, scratch, a0, a1, ii, c);
                    }
                }
            }
            for (; i < b; i++) {
                for (int c = 0; c < cols; c++) {
                    project1x1(stride, cols, f, s, scratch, a0, a1, i, c);
                }
            }
        }
        for (int e = 0; e < b * cols; e++) {
            double y = scratch[e * LF];
            for (int l = 1; l < LF; l++) {
                y += scratch[e * LF + l];
            }
            out[e] = y;
        }
    }

    private static void project3x3(int stride, int cols, float[] f, float[] s, double[] p, int a0, int a1, int i,
                                   int c) {
        FloatVector x00 = FloatVector.zero(F), x01 = FloatVector.zero(F), x02 = FloatVector.zero(F);
        FloatVector x10 = FloatVector.zero(F), x11 = FloatVector.zero(F), x12 = FloatVector.zero(F);
        FloatVector x20 = FloatVector.zero(F), x21 = FloatVector.zero(F), x22 = FloatVector.zero(F);
        int f0 = i * stride, f1 = f0 + stride, f2 = f1 + stride;
        int s0 = c * stride, s1 = s0 + stride, s2 = s1 + stride;
        for (int a = a0; a < a1; a += LF) {
            FloatVector u0 = FloatVector.fromArray(F, f, f0 + a);
            FloatVector u1 = FloatVector.fromArray(F, f, f1 + a);
            FloatVector u2 = FloatVector.fromArray(F, f, f2 + a);
            FloatVector w0 = FloatVector.fromArray(F, s, s0 + a);
            x00 = u0.fma(w0, x00);
            x10 = u1.fma(w0, x10);
            x20 = u2.fma(w0, x20);
            FloatVector w1 = FloatVector.fromArray(F, s, s1 + a);
            x01 = u0.fma(w1, x01);
            x11 = u1.fma(w1, x11);
            x21 = u2.fma(w1, x21);
            FloatVector w2 = FloatVector.fromArray(F, s, s2 + a);
            x02 = u0.fma(w2, x02);
            x12 = u1.fma(w2, x12);
            x22 = u2.fma(w2, x22);
        }
        int p0 = (i * cols + c) * LF, p1 = p0 + cols * LF, p2 = p1 + cols * LF;
        addInto(x00, p, p0);
        addInto(x01, p, p0 + LF);
        addInto(x02, p, p0 + 2 * LF);
        addInto(x10, p, p1);
        addInto(x11, p, p1 + LF);
        addInto(x12, p, p1 + 2 * LF);
        addInto(x20, p, p2);
        addInto(x21, p, p2 + LF);
        addInto(x22, p, p2 + 2 * LF);
    }

    private static void project1x1(int stride, int cols, float[] f, float[] s, double[] p, int a0, int a1, int i,
                                   int c) {
        FloatVector x = FloatVector.zero(F);
        int fo = i * stride;
        int so = c * stride;
        for (int a = a0; a < a1; a += LF) {
            x = FloatVector.fromArray(F, f, fo + a).fma(FloatVector.fromArray(F, s, so + a), x);
        }
        addInto(x, p, (i * cols + c) * LF);
    }
}
