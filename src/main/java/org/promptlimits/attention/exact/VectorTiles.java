package org.promptlimits.attention.exact;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link TileKernel} with the JDK Vector API ({@code jdk.incubator.vector}). Loaded by reflection only when
 * the module is in the boot layer, so the library runs without it (then {@link ScalarTiles} is used).
 *
 * <p>Scores and the value update are register-tiled micro-kernels of 4 query rows × 2 vectors (8
 * accumulators). e^x is computed in vector registers: x = k ln 2 + r with k = round(x / ln 2),
 * e^r by its Taylor polynomial (degree 7 for float32, 13 for float64; relative error below 2^−23 and
 * 2^−52 on |r| ≤ ln2/2), and 2^k by writing k into the exponent bits. Tails (rows not a multiple of 4,
 * keys or columns not a multiple of the vector length) fall back to scalar loops.
 */
final class VectorTiles implements TileKernel {

    private static final VectorSpecies<Float> SF = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> SD = DoubleVector.SPECIES_PREFERRED;
    private static final int LF = SF.length();
    /** The 256-bit species: value rows of 8 floats or 4 doubles when the preferred species is wider. */
    private static final VectorSpecies<Float> SFH = FloatVector.SPECIES_256;
    private static final int LFH = SFH.length();
    private static final int LD = SD.length();
    private static final VectorSpecies<Double> SDH = DoubleVector.SPECIES_256;
    private static final int LDH = SDH.length();

    private static final float LOG2E_F = 1.44269504088896341f;
    private static final float LN2_HI_F = 0.693145751953125f;
    private static final float LN2_LO_F = 1.428606765330187045e-06f;
    private static final float MAGIC_F = 12582912f; // 1.5 * 2^23: adding it rounds to an integer
    private static final double LOG2E_D = 1.4426950408889634;
    private static final double LN2_HI_D = 6.93147180369123816490e-01;
    private static final double LN2_LO_D = 1.90821492927058770002e-10;
    private static final double MAGIC_D = 6755399441055744.0; // 1.5 * 2^52

    /**
     * Whether 256-bit float vectors are compiled well when the preferred species is wider. Measured on an
     * AVX-512 machine, n = 4096, d = dv = 8: JDK 17 took 210 ms in float32 against 40 ms in float64; JDK 25
     * took 23 ms. JDK 17 therefore computes that case in float64.
     */
    private static final boolean HALF_FLOAT_FAST = LFH == LF || Runtime.version().feature() >= 21;

    VectorTiles() {
    }

    @Override
    public boolean floatViaDouble(int dv) {
        return dv == LFH && !HALF_FLOAT_FAST;
    }

    @Override
    public String name() {
        return "vector(f32x" + LF + ", f64x" + LD + ")";
    }

    // ------------------------------------------------------------------------------------------ float32

    /** e^x lane-wise for x in [−87, 88] (clamped), relative error about 1e-7. */
    static FloatVector exp(FloatVector x) {
        x = x.max(-87f).min(88f);
        FloatVector t = x.mul(LOG2E_F).add(MAGIC_F);
        FloatVector k = t.sub(MAGIC_F);
        IntVector ki = t.reinterpretAsInts().sub(Float.floatToRawIntBits(MAGIC_F));
        FloatVector r = k.fma(FloatVector.broadcast(SF, -LN2_HI_F), x);
        r = k.fma(FloatVector.broadcast(SF, -LN2_LO_F), r);
        FloatVector p = r.mul(1f / 5040).add(1f / 720);
        p = p.fma(r, FloatVector.broadcast(SF, 1f / 120));
        p = p.fma(r, FloatVector.broadcast(SF, 1f / 24));
        p = p.fma(r, FloatVector.broadcast(SF, 1f / 6));
        p = p.fma(r, FloatVector.broadcast(SF, 0.5f));
        p = p.fma(r, FloatVector.broadcast(SF, 1f));
        p = p.fma(r, FloatVector.broadcast(SF, 1f));
        FloatVector twoK = ki.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return p.mul(twoK);
    }

    @Override
    public void rows(int i0, int i1, int m, int d, int dv, float[] q, float[] kt, float[] v, float[] out) {
        final int qtile = QUERY_TILE;
        final int ktile = KEY_TILE;
        float[] s = new float[qtile * ktile];
        float[] acc = new float[qtile * dv];
        float[] max = new float[qtile];
        float[] sum = new float[qtile];
        float[] rescale = new float[qtile];
        for (int qt = i0; qt < i1; qt += qtile) {
            int rows = Math.min(qtile, i1 - qt);
            java.util.Arrays.fill(max, Float.NEGATIVE_INFINITY);
            java.util.Arrays.fill(sum, 0f);
            java.util.Arrays.fill(acc, 0f);
            for (int j0 = 0; j0 < m; j0 += ktile) {
                int kl = Math.min(ktile, m - j0);
                scores(qt, rows, j0, kl, d, q, kt, s);
                for (int r = 0; r < rows; r++) {
                    rescale[r] = softmaxUpdate(s, r * ktile, kl, max, sum, r);
                }
                valueUpdate(rows, j0, kl, dv, v, s, acc, rescale);
            }
            for (int r = 0; r < rows; r++) {
                float inv = 1f / sum[r];
                int ao = r * dv;
                int oo = (qt + r) * dv;
                int c = 0;
                for (; c + LF <= dv; c += LF) {
                    FloatVector.fromArray(SF, acc, ao + c).mul(inv).intoArray(out, oo + c);
                }
                for (; c < dv; c++) {
                    out[oo + c] = acc[ao + c] * inv;
                }
            }
        }
    }

    /** s[r][jj] = Σ_t q[qt+r][t] k[j0+jj][t] for r < rows and every key group touching jj < kl. */
    private static void scores(int qt, int rows, int j0, int kl, int d, float[] q, float[] kp, float[] s) {
        final int ktile = KEY_TILE;
        final int group = 2 * LF;
        int groups = (kl + group - 1) / group;
        int first = j0 / group;
        int r = 0;
        for (; r + 4 <= rows; r += 4) {
            int q0 = (qt + r) * d;
            int q1 = q0 + d;
            int q2 = q1 + d;
            int q3 = q2 + d;
            for (int gi = 0; gi < groups; gi++) {
                FloatVector a00 = FloatVector.zero(SF), a01 = FloatVector.zero(SF);
                FloatVector a10 = FloatVector.zero(SF), a11 = FloatVector.zero(SF);
                FloatVector a20 = FloatVector.zero(SF), a21 = FloatVector.zero(SF);
                FloatVector a30 = FloatVector.zero(SF), a31 = FloatVector.zero(SF);
                int ko = (first + gi) * d * group;
                for (int t = 0; t < d; t++, ko += group) {
                    FloatVector k0 = FloatVector.fromArray(SF, kp, ko);
                    FloatVector k1 = FloatVector.fromArray(SF, kp, ko + LF);
                    FloatVector b = FloatVector.broadcast(SF, q[q0 + t]);
                    a00 = k0.fma(b, a00);
                    a01 = k1.fma(b, a01);
                    b = FloatVector.broadcast(SF, q[q1 + t]);
                    a10 = k0.fma(b, a10);
                    a11 = k1.fma(b, a11);
                    b = FloatVector.broadcast(SF, q[q2 + t]);
                    a20 = k0.fma(b, a20);
                    a21 = k1.fma(b, a21);
                    b = FloatVector.broadcast(SF, q[q3 + t]);
                    a30 = k0.fma(b, a30);
                    a31 = k1.fma(b, a31);
                }
                int so = r * ktile + gi * group;
                a00.intoArray(s, so);
                a01.intoArray(s, so + LF);
                a10.intoArray(s, so + ktile);
                a11.intoArray(s, so + ktile + LF);
                a20.intoArray(s, so + 2 * ktile);
                a21.intoArray(s, so + 2 * ktile + LF);
                a30.intoArray(s, so + 3 * ktile);
                a31.intoArray(s, so + 3 * ktile + LF);
            }
        }
        for (; r < rows; r++) {
            int qo = (qt + r) * d;
            for (int gi = 0; gi < groups; gi++) {
                FloatVector a0 = FloatVector.zero(SF), a1 = FloatVector.zero(SF);
                int ko = (first + gi) * d * group;
                for (int t = 0; t < d; t++, ko += group) {
                    FloatVector b = FloatVector.broadcast(SF, q[qo + t]);
                    a0 = FloatVector.fromArray(SF, kp, ko).fma(b, a0);
                    a1 = FloatVector.fromArray(SF, kp, ko + LF).fma(b, a1);
                }
                a0.intoArray(s, r * ktile + gi * group);
                a1.intoArray(s, r * ktile + gi * group + LF);
            }
        }
    }

    /**
     * Keys packed in groups of 2L (L = lanes): group g holds, for t = 0..d−1, the t-th coordinates of keys
     * 2L·g .. 2L·g + 2L − 1 contiguously (zero past m), so a score micro-kernel reads one contiguous block.
     */
    @Override
    public float[] packKeys(float[] k, int m, int d) {
        int group = 2 * LF;
        int groups = (m + group - 1) / group;
        float[] kp = new float[groups * group * d];
        for (int j = 0; j < m; j++) {
            int base = (j / group) * d * group + j % group;
            for (int t = 0; t < d; t++) {
                kp[base + t * group] = k[j * d + t];
            }
        }
        return kp;
    }

    /** Online-softmax step on row r: weights e^{s − m_new} in place; returns e^{m_old − m_new}. */
    private static float softmaxUpdate(float[] s, int so, int kl, float[] max, float[] sum, int r) {
        int jj = 0;
        float mb = max[r];
        if (kl >= LF) {
            FloatVector mv = FloatVector.fromArray(SF, s, so);
            for (jj = LF; jj + LF <= kl; jj += LF) {
                mv = mv.max(FloatVector.fromArray(SF, s, so + jj));
            }
            mb = Math.max(mb, mv.reduceLanes(VectorOperators.MAX));
        }
        for (; jj < kl; jj++) {
            mb = Math.max(mb, s[so + jj]);
        }
        float rescale = (float) Math.exp(max[r] - mb);
        max[r] = mb;
        FloatVector mbv = FloatVector.broadcast(SF, mb);
        FloatVector sv = FloatVector.zero(SF);
        jj = 0;
        for (; jj + LF <= kl; jj += LF) {
            FloatVector p = exp(FloatVector.fromArray(SF, s, so + jj).sub(mbv));
            p.intoArray(s, so + jj);
            sv = sv.add(p);
        }
        float ps = sv.reduceLanes(VectorOperators.ADD);
        for (; jj < kl; jj++) {
            float p = (float) Math.exp(s[so + jj] - mb);
            s[so + jj] = p;
            ps += p;
        }
        sum[r] = sum[r] * rescale + ps;
        return rescale;
    }

    /**
     * {@link #valueUpdate} when a value row is exactly one preferred vector (dv = L): 4 rows, two keys per
     * step, 8 independent accumulators. (Species are constants in each kernel: a species passed as an
     * argument is not compiled to vector instructions.)
     */
    private static void valueUpdateNarrow(int rows, int j0, int kl, int dv, float[] v,
                                          float[] s, float[] acc, float[] rescale) {
        final int ktile = KEY_TILE;
        int r = 0;
        for (; r + 4 <= rows; r += 4) {
            int so = r * ktile;
            FloatVector x0 = FloatVector.zero(SF), x1 = FloatVector.zero(SF);
            FloatVector x2 = FloatVector.zero(SF), x3 = FloatVector.zero(SF);
            FloatVector y0 = FloatVector.zero(SF), y1 = FloatVector.zero(SF);
            FloatVector y2 = FloatVector.zero(SF), y3 = FloatVector.zero(SF);
            int jj = 0;
            int vo = j0 * dv;
            for (; jj + 2 <= kl; jj += 2, vo += 2 * dv) {
                FloatVector v0 = FloatVector.fromArray(SF, v, vo);
                FloatVector v1 = FloatVector.fromArray(SF, v, vo + dv);
                x0 = v0.fma(FloatVector.broadcast(SF, s[so + jj]), x0);
                y0 = v1.fma(FloatVector.broadcast(SF, s[so + jj + 1]), y0);
                x1 = v0.fma(FloatVector.broadcast(SF, s[so + ktile + jj]), x1);
                y1 = v1.fma(FloatVector.broadcast(SF, s[so + ktile + jj + 1]), y1);
                x2 = v0.fma(FloatVector.broadcast(SF, s[so + 2 * ktile + jj]), x2);
                y2 = v1.fma(FloatVector.broadcast(SF, s[so + 2 * ktile + jj + 1]), y2);
                x3 = v0.fma(FloatVector.broadcast(SF, s[so + 3 * ktile + jj]), x3);
                y3 = v1.fma(FloatVector.broadcast(SF, s[so + 3 * ktile + jj + 1]), y3);
            }
            if (jj < kl) {
                FloatVector v0 = FloatVector.fromArray(SF, v, vo);
                x0 = v0.fma(FloatVector.broadcast(SF, s[so + jj]), x0);
                x1 = v0.fma(FloatVector.broadcast(SF, s[so + ktile + jj]), x1);
                x2 = v0.fma(FloatVector.broadcast(SF, s[so + 2 * ktile + jj]), x2);
                x3 = v0.fma(FloatVector.broadcast(SF, s[so + 3 * ktile + jj]), x3);
            }
            int a0 = r * dv;
            FloatVector.fromArray(SF, acc, a0).mul(rescale[r]).add(x0.add(y0)).intoArray(acc, a0);
            FloatVector.fromArray(SF, acc, a0 + dv).mul(rescale[r + 1]).add(x1.add(y1)).intoArray(acc, a0 + dv);
            FloatVector.fromArray(SF, acc, a0 + 2 * dv).mul(rescale[r + 2]).add(x2.add(y2)).intoArray(acc, a0 + 2 * dv);
            FloatVector.fromArray(SF, acc, a0 + 3 * dv).mul(rescale[r + 3]).add(x3.add(y3)).intoArray(acc, a0 + 3 * dv);
        }
        for (; r < rows; r++) {
            int so = r * ktile;
            FloatVector x = FloatVector.zero(SF);
            int vo = j0 * dv;
            for (int jj = 0; jj < kl; jj++, vo += dv) {
                x = FloatVector.fromArray(SF, v, vo).fma(FloatVector.broadcast(SF, s[so + jj]), x);
            }
            int a0 = r * dv;
            FloatVector.fromArray(SF, acc, a0).mul(rescale[r]).add(x).intoArray(acc, a0);
        }
    }

    /**
     * {@link #valueUpdateNarrow} for value rows of exactly one 256-bit vector (dv = 8 floats or 4 doubles)
     * when the preferred species is wider.
     */
    private static void valueUpdateHalf(int rows, int j0, int kl, int dv, float[] v,
                                          float[] s, float[] acc, float[] rescale) {
        final int ktile = KEY_TILE;
        int r = 0;
        for (; r + 4 <= rows; r += 4) {
            int so = r * ktile;
            FloatVector x0 = FloatVector.zero(SFH), x1 = FloatVector.zero(SFH);
            FloatVector x2 = FloatVector.zero(SFH), x3 = FloatVector.zero(SFH);
            FloatVector y0 = FloatVector.zero(SFH), y1 = FloatVector.zero(SFH);
            FloatVector y2 = FloatVector.zero(SFH), y3 = FloatVector.zero(SFH);
            int jj = 0;
            int vo = j0 * dv;
            for (; jj + 2 <= kl; jj += 2, vo += 2 * dv) {
                FloatVector v0 = FloatVector.fromArray(SFH, v, vo);
                FloatVector v1 = FloatVector.fromArray(SFH, v, vo + dv);
                x0 = v0.fma(FloatVector.broadcast(SFH, s[so + jj]), x0);
                y0 = v1.fma(FloatVector.broadcast(SFH, s[so + jj + 1]), y0);
                x1 = v0.fma(FloatVector.broadcast(SFH, s[so + ktile + jj]), x1);
                y1 = v1.fma(FloatVector.broadcast(SFH, s[so + ktile + jj + 1]), y1);
                x2 = v0.fma(FloatVector.broadcast(SFH, s[so + 2 * ktile + jj]), x2);
                y2 = v1.fma(FloatVector.broadcast(SFH, s[so + 2 * ktile + jj + 1]), y2);
                x3 = v0.fma(FloatVector.broadcast(SFH, s[so + 3 * ktile + jj]), x3);
                y3 = v1.fma(FloatVector.broadcast(SFH, s[so + 3 * ktile + jj + 1]), y3);
            }
            if (jj < kl) {
                FloatVector v0 = FloatVector.fromArray(SFH, v, vo);
                x0 = v0.fma(FloatVector.broadcast(SFH, s[so + jj]), x0);
                x1 = v0.fma(FloatVector.broadcast(SFH, s[so + ktile + jj]), x1);
                x2 = v0.fma(FloatVector.broadcast(SFH, s[so + 2 * ktile + jj]), x2);
                x3 = v0.fma(FloatVector.broadcast(SFH, s[so + 3 * ktile + jj]), x3);
            }
            int a0 = r * dv;
            FloatVector.fromArray(SFH, acc, a0).mul(rescale[r]).add(x0.add(y0)).intoArray(acc, a0);
            FloatVector.fromArray(SFH, acc, a0 + dv).mul(rescale[r + 1]).add(x1.add(y1)).intoArray(acc, a0 + dv);
            FloatVector.fromArray(SFH, acc, a0 + 2 * dv).mul(rescale[r + 2]).add(x2.add(y2)).intoArray(acc, a0 + 2 * dv);
            FloatVector.fromArray(SFH, acc, a0 + 3 * dv).mul(rescale[r + 3]).add(x3.add(y3)).intoArray(acc, a0 + 3 * dv);
        }
        for (; r < rows; r++) {
            int so = r * ktile;
            FloatVector x = FloatVector.zero(SFH);
            int vo = j0 * dv;
            for (int jj = 0; jj < kl; jj++, vo += dv) {
                x = FloatVector.fromArray(SFH, v, vo).fma(FloatVector.broadcast(SFH, s[so + jj]), x);
            }
            int a0 = r * dv;
            FloatVector.fromArray(SFH, acc, a0).mul(rescale[r]).add(x).intoArray(acc, a0);
        }
    }

    /** acc[r] ← acc[r]·rescale[r] + Σ_jj s[r][jj] v[j0+jj] for r < rows. */
    private static void valueUpdate(int rows, int j0, int kl, int dv, float[] v, float[] s, float[] acc,
                                    float[] rescale) {
        if (dv == LF) {
            valueUpdateNarrow(rows, j0, kl, dv, v, s, acc, rescale);
            return;
        }
        if (dv == LFH) {
            valueUpdateHalf(rows, j0, kl, dv, v, s, acc, rescale);
            return;
        }
        final int ktile = KEY_TILE;
        int r = 0;
        for (; r + 4 <= rows; r += 4) {
            int c = 0;
            for (; c + 2 * LF <= dv; c += 2 * LF) {
                int a0 = r * dv + c;
                int a1 = a0 + dv;
                int a2 = a1 + dv;
                int a3 = a2 + dv;
                FloatVector x00 = FloatVector.fromArray(SF, acc, a0).mul(rescale[r]);
                FloatVector x01 = FloatVector.fromArray(SF, acc, a0 + LF).mul(rescale[r]);
                FloatVector x10 = FloatVector.fromArray(SF, acc, a1).mul(rescale[r + 1]);
                FloatVector x11 = FloatVector.fromArray(SF, acc, a1 + LF).mul(rescale[r + 1]);
                FloatVector x20 = FloatVector.fromArray(SF, acc, a2).mul(rescale[r + 2]);
                FloatVector x21 = FloatVector.fromArray(SF, acc, a2 + LF).mul(rescale[r + 2]);
                FloatVector x30 = FloatVector.fromArray(SF, acc, a3).mul(rescale[r + 3]);
                FloatVector x31 = FloatVector.fromArray(SF, acc, a3 + LF).mul(rescale[r + 3]);
                int so = r * ktile;
                int vo = j0 * dv + c;
                for (int jj = 0; jj < kl; jj++, vo += dv) {
                    FloatVector v0 = FloatVector.fromArray(SF, v, vo);
                    FloatVector v1 = FloatVector.fromArray(SF, v, vo + LF);
                    FloatVector p = FloatVector.broadcast(SF, s[so + jj]);
                    x00 = v0.fma(p, x00);
                    x01 = v1.fma(p, x01);
                    p = FloatVector.broadcast(SF, s[so + ktile + jj]);
                    x10 = v0.fma(p, x10);
                    x11 = v1.fma(p, x11);
                    p = FloatVector.broadcast(SF, s[so + 2 * ktile + jj]);
                    x20 = v0.fma(p, x20);
                    x21 = v1.fma(p, x21);
                    p = FloatVector.broadcast(SF, s[so + 3 * ktile + jj]);
                    x30 = v0.fma(p, x30);
                    x31 = v1.fma(p, x31);
                }
                x00.intoArray(acc, a0);
                x01.intoArray(acc, a0 + LF);
                x10.intoArray(acc, a1);
                x11.intoArray(acc, a1 + LF);
                x20.intoArray(acc, a2);
                x21.intoArray(acc, a2 + LF);
                x30.intoArray(acc, a3);
                x31.intoArray(acc, a3 + LF);
            }
            for (int rr = r; rr < r + 4; rr++) {
                valueRow(rr, c, j0, kl, dv, v, s, acc, rescale[rr]);
            }
        }
        for (; r < rows; r++) {
            valueRow(r, 0, j0, kl, dv, v, s, acc, rescale[r]);
        }
    }

    /** One row of {@link #valueUpdate} for columns [from, dv): one vector at a time, then scalars. */
    private static void valueRow(int r, int from, int j0, int kl, int dv, float[] v, float[] s, float[] acc,
                                 float rescale) {
        int ao = r * dv;
        int so = r * KEY_TILE;
        int c = from;
        for (; c + LF <= dv; c += LF) {
            FloatVector x = FloatVector.fromArray(SF, acc, ao + c).mul(rescale);
            int vo = j0 * dv + c;
            for (int jj = 0; jj < kl; jj++, vo += dv) {
                x = FloatVector.fromArray(SF, v, vo).fma(FloatVector.broadcast(SF, s[so + jj]), x);
            }
            x.intoArray(acc, ao + c);
        }
        for (; c < dv; c++) {
            float x = acc[ao + c] * rescale;
            for (int jj = 0; jj < kl; jj++) {
                x += s[so + jj] * v[(j0 + jj) * dv + c];
            }
            acc[ao + c] = x;
        }
    }

    /** e^x lane-wise for x in [−708, 709] (clamped), relative error about 2e-16. */
    static DoubleVector exp(DoubleVector x) {
        x = x.max(-708.0).min(709.0);
        DoubleVector t = x.mul(LOG2E_D).add(MAGIC_D);
        DoubleVector k = t.sub(MAGIC_D);
        LongVector ki = t.reinterpretAsLongs().sub(Double.doubleToRawLongBits(MAGIC_D));
        DoubleVector r = k.fma(DoubleVector.broadcast(SD, -LN2_HI_D), x);
        r = k.fma(DoubleVector.broadcast(SD, -LN2_LO_D), r);
        // Taylor polynomial of degree 13, Horner form
        DoubleVector p = DoubleVector.broadcast(SD, INV_FACT[13]);
        for (int i = 12; i >= 0; i--) {
            p = p.fma(r, DoubleVector.broadcast(SD, INV_FACT[i]));
        }
        DoubleVector twoK = ki.add(1023L).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
        return p.mul(twoK);
    }

    private static final double[] INV_FACT = invFactorials(13);

    private static double[] invFactorials(int g) {
        double[] f = new double[g + 1];
        f[0] = 1;
        for (int i = 1; i <= g; i++) {
            f[i] = f[i - 1] / i;
        }
        return f;
    }

    // ------------------------------------------------------------------------------------------ float64

    @Override
    public void rows(int i0, int i1, int m, int d, int dv, double[] q, double[] kt, double[] v, double[] out) {
        final int qtile = QUERY_TILE;
        final int ktile = KEY_TILE;
        double[] s = new double[qtile * ktile];
        double[] acc = new double[qtile * dv];
        double[] max = new double[qtile];
        double[] sum = new double[qtile];
        double[] rescale = new double[qtile];
        for (int qt = i0; qt < i1; qt += qtile) {
            int rows = Math.min(qtile, i1 - qt);
            java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
            java.util.Arrays.fill(sum, 0.0);
            java.util.Arrays.fill(acc, 0.0);
            for (int j0 = 0; j0 < m; j0 += ktile) {
                int kl = Math.min(ktile, m - j0);
                scores(qt, rows, j0, kl, d, q, kt, s);
                for (int r = 0; r < rows; r++) {
                    rescale[r] = softmaxUpdate(s, r * ktile, kl, max, sum, r);
                }
                valueUpdate(rows, j0, kl, dv, v, s, acc, rescale);
            }
            for (int r = 0; r < rows; r++) {
                double inv = 1.0 / sum[r];
                int ao = r * dv;
                int oo = (qt + r) * dv;
                int c = 0;
                for (; c + LD <= dv; c += LD) {
                    DoubleVector.fromArray(SD, acc, ao + c).mul(inv).intoArray(out, oo + c);
                }
                for (; c < dv; c++) {
                    out[oo + c] = acc[ao + c] * inv;
                }
            }
        }
    }

    /** s[r][jj] = Σ_t q[qt+r][t] k[j0+jj][t] for r < rows and every key group touching jj < kl. */
    private static void scores(int qt, int rows, int j0, int kl, int d, double[] q, double[] kp, double[] s) {
        final int ktile = KEY_TILE;
        final int group = 2 * LD;
        int groups = (kl + group - 1) / group;
        int first = j0 / group;
        int r = 0;
        for (; r + 4 <= rows; r += 4) {
            int q0 = (qt + r) * d;
            int q1 = q0 + d;
            int q2 = q1 + d;
            int q3 = q2 + d;
            for (int gi = 0; gi < groups; gi++) {
                DoubleVector a00 = DoubleVector.zero(SD), a01 = DoubleVector.zero(SD);
                DoubleVector a10 = DoubleVector.zero(SD), a11 = DoubleVector.zero(SD);
                DoubleVector a20 = DoubleVector.zero(SD), a21 = DoubleVector.zero(SD);
                DoubleVector a30 = DoubleVector.zero(SD), a31 = DoubleVector.zero(SD);
                int ko = (first + gi) * d * group;
                for (int t = 0; t < d; t++, ko += group) {
                    DoubleVector k0 = DoubleVector.fromArray(SD, kp, ko);
                    DoubleVector k1 = DoubleVector.fromArray(SD, kp, ko + LD);
                    DoubleVector b = DoubleVector.broadcast(SD, q[q0 + t]);
                    a00 = k0.fma(b, a00);
                    a01 = k1.fma(b, a01);
                    b = DoubleVector.broadcast(SD, q[q1 + t]);
                    a10 = k0.fma(b, a10);
                    a11 = k1.fma(b, a11);
                    b = DoubleVector.broadcast(SD, q[q2 + t]);
                    a20 = k0.fma(b, a20);
                    a21 = k1.fma(b, a21);
                    b = DoubleVector.broadcast(SD, q[q3 + t]);
                    a30 = k0.fma(b, a30);
                    a31 = k1.fma(b, a31);
                }
                int so = r * ktile + gi * group;
                a00.intoArray(s, so);
                a01.intoArray(s, so + LD);
                a10.intoArray(s, so + ktile);
                a11.intoArray(s, so + ktile + LD);
                a20.intoArray(s, so + 2 * ktile);
                a21.intoArray(s, so + 2 * ktile + LD);
                a30.intoArray(s, so + 3 * ktile);
                a31.intoArray(s, so + 3 * ktile + LD);
            }
        }
        for (; r < rows; r++) {
            int qo = (qt + r) * d;
            for (int gi = 0; gi < groups; gi++) {
                DoubleVector a0 = DoubleVector.zero(SD), a1 = DoubleVector.zero(SD);
                int ko = (first + gi) * d * group;
                for (int t = 0; t < d; t++, ko += group) {
                    DoubleVector b = DoubleVector.broadcast(SD, q[qo + t]);
                    a0 = DoubleVector.fromArray(SD, kp, ko).fma(b, a0);
                    a1 = DoubleVector.fromArray(SD, kp, ko + LD).fma(b, a1);
                }
                a0.intoArray(s, r * ktile + gi * group);
                a1.intoArray(s, r * ktile + gi * group + LD);
            }
        }
    }

    /**
     * Keys packed in groups of 2L (L = lanes): group g holds, for t = 0..d−1, the t-th coordinates of keys
     * 2L·g .. 2L·g + 2L − 1 contiguously (zero past m), so a score micro-kernel reads one contiguous block.
     */
    @Override
    public double[] packKeys(double[] k, int m, int d) {
        int group = 2 * LD;
        int groups = (m + group - 1) / group;
        double[] kp = new double[groups * group * d];
        for (int j = 0; j < m; j++) {
            int base = (j / group) * d * group + j % group;
            for (int t = 0; t < d; t++) {
                kp[base + t * group] = k[j * d + t];
            }
        }
        return kp;
    }

    /** Online-softmax step on row r: weights e^{s − m_new} in place; returns e^{m_old − m_new}. */
    private static double softmaxUpdate(double[] s, int so, int kl, double[] max, double[] sum, int r) {
        int jj = 0;
        double mb = max[r];
        if (kl >= LD) {
            DoubleVector mv = DoubleVector.fromArray(SD, s, so);
            for (jj = LD; jj + LD <= kl; jj += LD) {
                mv = mv.max(DoubleVector.fromArray(SD, s, so + jj));
            }
            mb = Math.max(mb, mv.reduceLanes(VectorOperators.MAX));
        }
        for (; jj < kl; jj++) {
            mb = Math.max(mb, s[so + jj]);
        }
        double rescale = (double) Math.exp(max[r] - mb);
        max[r] = mb;
        DoubleVector mbv = DoubleVector.broadcast(SD, mb);
        DoubleVector sv = DoubleVector.zero(SD);
        jj = 0;
        for (; jj + LD <= kl; jj += LD) {
            DoubleVector p = exp(DoubleVector.fromArray(SD, s, so + jj).sub(mbv));
            p.intoArray(s, so + jj);
            sv = sv.add(p);
        }
        double ps = sv.reduceLanes(VectorOperators.ADD);
        for (; jj < kl; jj++) {
            double p = (double) Math.exp(s[so + jj] - mb);
            s[so + jj] = p;
            ps += p;
        }
        sum[r] = sum[r] * rescale + ps;
        return rescale;
    }

    /**
     * {@link #valueUpdate} when a value row is exactly one preferred vector (dv = L): 4 rows, two keys per
     * step, 8 independent accumulators. (Species are constants in each kernel: a species passed as an
     * argument is not compiled to vector instructions.)
     */
    private static void valueUpdateNarrow(int rows, int j0, int kl, int dv, double[] v,
                                          double[] s, double[] acc, double[] rescale) {
        final int ktile = KEY_TILE;
        int r = 0;
        for (; r + 4 <= rows; r += 4) {
            int so = r * ktile;
            DoubleVector x0 = DoubleVector.zero(SD), x1 = DoubleVector.zero(SD);
            DoubleVector x2 = DoubleVector.zero(SD), x3 = DoubleVector.zero(SD);
            DoubleVector y0 = DoubleVector.zero(SD), y1 = DoubleVector.zero(SD);
            DoubleVector y2 = DoubleVector.zero(SD), y3 = DoubleVector.zero(SD);
            int jj = 0;
            int vo = j0 * dv;
            for (; jj + 2 <= kl; jj += 2, vo += 2 * dv) {
                DoubleVector v0 = DoubleVector.fromArray(SD, v, vo);
                DoubleVector v1 = DoubleVector.fromArray(SD, v, vo + dv);
                x0 = v0.fma(DoubleVector.broadcast(SD, s[so + jj]), x0);
                y0 = v1.fma(DoubleVector.broadcast(SD, s[so + jj + 1]), y0);
                x1 = v0.fma(DoubleVector.broadcast(SD, s[so + ktile + jj]), x1);
                y1 = v1.fma(DoubleVector.broadcast(SD, s[so + ktile + jj + 1]), y1);
                x2 = v0.fma(DoubleVector.broadcast(SD, s[so + 2 * ktile + jj]), x2);
                y2 = v1.fma(DoubleVector.broadcast(SD, s[so + 2 * ktile + jj + 1]), y2);
                x3 = v0.fma(DoubleVector.broadcast(SD, s[so + 3 * ktile + jj]), x3);
                y3 = v1.fma(DoubleVector.broadcast(SD, s[so + 3 * ktile + jj + 1]), y3);
            }
            if (jj < kl) {
                DoubleVector v0 = DoubleVector.fromArray(SD, v, vo);
                x0 = v0.fma(DoubleVector.broadcast(SD, s[so + jj]), x0);
                x1 = v0.fma(DoubleVector.broadcast(SD, s[so + ktile + jj]), x1);
                x2 = v0.fma(DoubleVector.broadcast(SD, s[so + 2 * ktile + jj]), x2);
                x3 = v0.fma(DoubleVector.broadcast(SD, s[so + 3 * ktile + jj]), x3);
            }
            int a0 = r * dv;
            DoubleVector.fromArray(SD, acc, a0).mul(rescale[r]).add(x0.add(y0)).intoArray(acc, a0);
            DoubleVector.fromArray(SD, acc, a0 + dv).mul(rescale[r + 1]).add(x1.add(y1)).intoArray(acc, a0 + dv);
            DoubleVector.fromArray(SD, acc, a0 + 2 * dv).mul(rescale[r + 2]).add(x2.add(y2)).intoArray(acc, a0 + 2 * dv);
            DoubleVector.fromArray(SD, acc, a0 + 3 * dv).mul(rescale[r + 3]).add(x3.add(y3)).intoArray(acc, a0 + 3 * dv);
        }
        for (; r < rows; r++) {
            int so = r * ktile;
            DoubleVector x = DoubleVector.zero(SD);
            int vo = j0 * dv;
            for (int jj = 0; jj < kl; jj++, vo += dv) {
                x = DoubleVector.fromArray(SD, v, vo).fma(DoubleVector.broadcast(SD, s[so + jj]), x);
            }
            int a0 = r * dv;
            DoubleVector.fromArray(SD, acc, a0).mul(rescale[r]).add(x).intoArray(acc, a0);
        }
    }

    /**
     * {@link #valueUpdateNarrow} for value rows of exactly one 256-bit vector (dv = 4 doubles)
     * when the preferred species is wider.
     */
    private static void valueUpdateHalf(int rows, int j0, int kl, int dv, double[] v,
                                          double[] s, double[] acc, double[] rescale) {
        final int ktile = KEY_TILE;
        int r = 0;
        for (; r + 4 <= rows; r += 4) {
            int so = r * ktile;
            DoubleVector x0 = DoubleVector.zero(SDH), x1 = DoubleVector.zero(SDH);
            DoubleVector x2 = DoubleVector.zero(SDH), x3 = DoubleVector.zero(SDH);
            DoubleVector y0 = DoubleVector.zero(SDH), y1 = DoubleVector.zero(SDH);
            DoubleVector y2 = DoubleVector.zero(SDH), y3 = DoubleVector.zero(SDH);
            int jj = 0;
            int vo = j0 * dv;
            for (; jj + 2 <= kl; jj += 2, vo += 2 * dv) {
                DoubleVector v0 = DoubleVector.fromArray(SDH, v, vo);
                DoubleVector v1 = DoubleVector.fromArray(SDH, v, vo + dv);
                x0 = v0.fma(DoubleVector.broadcast(SDH, s[so + jj]), x0);
                y0 = v1.fma(DoubleVector.broadcast(SDH, s[so + jj + 1]), y0);
                x1 = v0.fma(DoubleVector.broadcast(SDH, s[so + ktile + jj]), x1);
                y1 = v1.fma(DoubleVector.broadcast(SDH, s[so + ktile + jj + 1]), y1);
                x2 = v0.fma(DoubleVector.broadcast(SDH, s[so + 2 * ktile + jj]), x2);
                y2 = v1.fma(DoubleVector.broadcast(SDH, s[so + 2 * ktile + jj + 1]), y2);
                x3 = v0.fma(DoubleVector.broadcast(SDH, s[so + 3 * ktile + jj]), x3);
                y3 = v1.fma(DoubleVector.broadcast(SDH, s[so + 3 * ktile + jj + 1]), y3);
            }
            if (jj < kl) {
                DoubleVector v0 = DoubleVector.fromArray(SDH, v, vo);
                x0 = v0.fma(DoubleVector.broadcast(SDH, s[so + jj]), x0);
                x1 = v0.fma(DoubleVector.broadcast(SDH, s[so + ktile + jj]), x1);
                x2 = v0.fma(DoubleVector.broadcast(SDH, s[so + 2 * ktile + jj]), x2);
                x3 = v0.fma(DoubleVector.broadcast(SDH, s[so + 3 * ktile + jj]), x3);
            }
            int a0 = r * dv;
            DoubleVector.fromArray(SDH, acc, a0).mul(rescale[r]).add(x0.add(y0)).intoArray(acc, a0);
            DoubleVector.fromArray(SDH, acc, a0 + dv).mul(rescale[r + 1]).add(x1.add(y1)).intoArray(acc, a0 + dv);
            DoubleVector.fromArray(SDH, acc, a0 + 2 * dv).mul(rescale[r + 2]).add(x2.add(y2)).intoArray(acc, a0 + 2 * dv);
            DoubleVector.fromArray(SDH, acc, a0 + 3 * dv).mul(rescale[r + 3]).add(x3.add(y3)).intoArray(acc, a0 + 3 * dv);
        }
        for (; r < rows; r++) {
            int so = r * ktile;
            DoubleVector x = DoubleVector.zero(SDH);
            int vo = j0 * dv;
            for (int jj = 0; jj < kl; jj++, vo += dv) {
                x = DoubleVector.fromArray(SDH, v, vo).fma(DoubleVector.broadcast(SDH, s[so + jj]), x);
            }
            int a0 = r * dv;
            DoubleVector.fromArray(SDH, acc, a0).mul(rescale[r]).add(x).intoArray(acc, a0);
        }
    }

    /** acc[r] ← acc[r]·rescale[r] + Σ_jj s[r][jj] v[j0+jj] for r < rows. */
    private static void valueUpdate(int rows, int j0, int kl, int dv, double[] v, double[] s, double[] acc,
                                    double[] rescale) {
        if (dv == LD) {
            valueUpdateNarrow(rows, j0, kl, dv, v, s, acc, rescale);
            return;
        }
        if (dv == LDH) {
            valueUpdateHalf(rows, j0, kl, dv, v, s, acc, rescale);
            return;
        }
        final int ktile = KEY_TILE;
        int r = 0;
        for (; r + 4 <= rows; r += 4) {
            int c = 0;
            for (; c + 2 * LD <= dv; c += 2 * LD) {
                int a0 = r * dv + c;
                int a1 = a0 + dv;
                int a2 = a1 + dv;
                int a3 = a2 + dv;
                DoubleVector x00 = DoubleVector.fromArray(SD, acc, a0).mul(rescale[r]);
                DoubleVector x01 = DoubleVector.fromArray(SD, acc, a0 + LD).mul(rescale[r]);
                DoubleVector x10 = DoubleVector.fromArray(SD, acc, a1).mul(rescale[r + 1]);
                DoubleVector x11 = DoubleVector.fromArray(SD, acc, a1 + LD).mul(rescale[r + 1]);
                DoubleVector x20 = DoubleVector.fromArray(SD, acc, a2).mul(rescale[r + 2]);
                DoubleVector x21 = DoubleVector.fromArray(SD, acc, a2 + LD).mul(rescale[r + 2]);
                DoubleVector x30 = DoubleVector.fromArray(SD, acc, a3).mul(rescale[r + 3]);
                DoubleVector x31 = DoubleVector.fromArray(SD, acc, a3 + LD).mul(rescale[r + 3]);
                int so = r * ktile;
                int vo = j0 * dv + c;
                for (int jj = 0; jj < kl; jj++, vo += dv) {
                    DoubleVector v0 = DoubleVector.fromArray(SD, v, vo);
                    DoubleVector v1 = DoubleVector.fromArray(SD, v, vo + LD);
                    DoubleVector p = DoubleVector.broadcast(SD, s[so + jj]);
                    x00 = v0.fma(p, x00);
                    x01 = v1.fma(p, x01);
                    p = DoubleVector.broadcast(SD, s[so + ktile + jj]);
                    x10 = v0.fma(p, x10);
                    x11 = v1.fma(p, x11);
                    p = DoubleVector.broadcast(SD, s[so + 2 * ktile + jj]);
                    x20 = v0.fma(p, x20);
                    x21 = v1.fma(p, x21);
                    p = DoubleVector.broadcast(SD, s[so + 3 * ktile + jj]);
                    x30 = v0.fma(p, x30);
                    x31 = v1.fma(p, x31);
                }
                x00.intoArray(acc, a0);
                x01.intoArray(acc, a0 + LD);
                x10.intoArray(acc, a1);
                x11.intoArray(acc, a1 + LD);
                x20.intoArray(acc, a2);
                x21.intoArray(acc, a2 + LD);
                x30.intoArray(acc, a3);
                x31.intoArray(acc, a3 + LD);
            }
            for (int rr = r; rr < r + 4; rr++) {
                valueRow(rr, c, j0, kl, dv, v, s, acc, rescale[rr]);
            }
        }
        for (; r < rows; r++) {
            valueRow(r, 0, j0, kl, dv, v, s, acc, rescale[r]);
        }
    }

    /** One row of {@link #valueUpdate} for columns [from, dv): one vector at a time, then scalars. */
    private static void valueRow(int r, int from, int j0, int kl, int dv, double[] v, double[] s, double[] acc,
                                 double rescale) {
        int ao = r * dv;
        int so = r * KEY_TILE;
        int c = from;
        for (; c + LD <= dv; c += LD) {
            DoubleVector x = DoubleVector.fromArray(SD, acc, ao + c).mul(rescale);
            int vo = j0 * dv + c;
            for (int jj = 0; jj < kl; jj++, vo += dv) {
                x = DoubleVector.fromArray(SD, v, vo).fma(DoubleVector.broadcast(SD, s[so + jj]), x);
            }
            x.intoArray(acc, ao + c);
        }
        for (; c < dv; c++) {
            double x = acc[ao + c] * rescale;
            for (int jj = 0; jj < kl; jj++) {
                x += s[so + jj] * v[(j0 + jj) * dv + c];
            }
            acc[ao + c] = x;
        }
    }
}
