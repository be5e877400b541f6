package org.promptlimits.attention.exact;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * The float Vector API tile kernel of {@link VectorTiles}. GENERATED from
 * src/main/templates/VectorTiles.java.template by VectorTilesTemplateTest (run it with
 * -Dpromptlimits.regenerate=true after editing the template); the float and double kernels are the same
 * skeleton, so edit the template, not this file.
 *
 * <p>Scores and the value update are register-tiled micro-kernels of 4 query rows × 2 vectors (8
 * accumulators). e^x is computed in vector registers: x = k ln 2 + r with k = round(x / ln 2), e^r by its
 * Taylor polynomial of degree 7 (relative error below one unit in the last place on |r| ≤ ln2/2), and 2^k
 * by writing k into the exponent bits; the row maximum is subtracted inside the same pass. Tails (rows not
 * a multiple of 4, columns not a multiple of the vector length) fall back to narrower loops.
 */
final class VectorTilesF32 {

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    /** The 256-bit species: value rows of exactly 256 bits when the preferred species is wider. */
    static final VectorSpecies<Float> SH = FloatVector.SPECIES_256;
    static final int LH = SH.length();

    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693145751953125f;
    private static final float LN2_LO = 1.428606765330187045e-06f;
    /** 1.5·2^mantissa bits: adding it rounds to an integer. */
    private static final float MAGIC = 12582912f;
    private static final float[] INV_FACT = invFactorials(7);

    private VectorTilesF32() {
    }

    private static float[] invFactorials(int g) {
        float[] f = new float[g + 1];
        double x = 1;
        for (int i = 0; i <= g; i++) {
            x = i == 0 ? 1 : x / i;
            f[i] = (float) x;
        }
        return f;
    }

    /** e^x lane-wise, x clamped to [-87f, 88f]. */
    static FloatVector exp(FloatVector x) {
        x = x.max(-87f).min(88f);
        FloatVector t = x.mul(LOG2E).add(MAGIC);
        FloatVector k = t.sub(MAGIC);
        IntVector ki = t.reinterpretAsInts().sub(Float.floatToRawIntBits(MAGIC));
        FloatVector r = k.fma(FloatVector.broadcast(S, -LN2_HI), x);
        r = k.fma(FloatVector.broadcast(S, -LN2_LO), r);
        FloatVector p = FloatVector.broadcast(S, INV_FACT[7]);
        for (int i = 7 - 1; i >= 0; i--) {
            p = p.fma(r, FloatVector.broadcast(S, INV_FACT[i]));
        }
        FloatVector twoK = ki.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return p.mul(twoK);
    }

    /**
     * Keys packed in groups of 2L: group g holds, for t = 0..d−1, the t-th coordinates of keys 2L·g .. 2L·g + 2L − 1
     * contiguously (zero past m), so a score micro-kernel reads one contiguous block.
     */
    static float[] packKeys(float[] k, int m, int d) {
        int group = 2 * L;
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

    /** Output rows [i0, i1) with query tiles of qtile rows and key tiles of ktile keys (a multiple of 2L). */
    static void rows(int i0, int i1, int m, int d, int dv, float[] q, float[] kp, float[] v, float[] out,
                     int qtile, int ktile) {
        float[] s = new float[qtile * ktile];
        float[] acc = new float[qtile * dv];
        float[] max = new float[qtile];
        float[] sum = new float[qtile];
        float[] rescale = new float[qtile];
        for (int qt = i0; qt < i1; qt += qtile) {
            int rows = Math.min(qtile, i1 - qt);
            Arrays.fill(max, Float.NEGATIVE_INFINITY);
            Arrays.fill(sum, 0);
            Arrays.fill(acc, 0);
            for (int j0 = 0; j0 < m; j0 += ktile) {
                int kl = Math.min(ktile, m - j0);
                scores(qt, rows, j0, kl, d, q, kp, s, ktile);
                for (int r = 0; r < rows; r++) {
                    rescale[r] = softmaxUpdate(s, r * ktile, kl, max, sum, r);
                }
                valueUpdate(rows, j0, kl, dv, v, s, acc, rescale, ktile);
            }
            for (int r = 0; r < rows; r++) {
                FloatVector inv = FloatVector.broadcast(S, 1 / sum[r]);
                int ao = r * dv;
                int oo = (qt + r) * dv;
                int c = 0;
                for (; c + L <= dv; c += L) {
                    FloatVector.fromArray(S, acc, ao + c).mul(inv).intoArray(out, oo + c);
                }
                for (; c < dv; c++) {
                    out[oo + c] = acc[ao + c] / sum[r];
                }
            }
        }
    }

    /** s[r][jj] = Σ_t q[qt+r][t] k[j0+jj][t] for r &lt; rows and every key group touching jj &lt; kl. */
    private static void scores(int qt, int rows, int j0, int kl, int d, float[] q, float[] kp, float[] s,
                               int ktile) {
        final int group = 2 * L;
        int groups = (kl + group - 1) / group;
        int first = j0 / group;
        int r = 0;
        for (; r + 4 <= rows; r += 4) {
            int q0 = (qt + r) * d;
            int q1 = q0 + d;
            int q2 = q1 + d;
            int q3 = q2 + d;
            for (int gi = 0; gi < groups; gi++) {
                FloatVector a00 = FloatVector.zero(S), a01 = FloatVector.zero(S);
                FloatVector a10 = FloatVector.zero(S), a11 = FloatVector.zero(S);
                FloatVector a20 = FloatVector.zero(S), a21 = FloatVector.zero(S);
                FloatVector a30 = FloatVector.zero(S), a31 = FloatVector.zero(S);
                int ko = (first + gi) * d * group;
                for (int t = 0; t < d; t++, ko += group) {
                    FloatVector k0 = FloatVector.fromArray(S, kp, ko);
                    FloatVector k1 = FloatVector.fromArray(S, kp, ko + L);
                    FloatVector b = FloatVector.broadcast(S, q[q0 + t]);
                    a00 = k0.fma(b, a00);
                    a01 = k1.fma(b, a01);
                    b = FloatVector.broadcast(S, q[q1 + t]);
                    a10 = k0.fma(b, a10);
                    a11 = k1.fma(b, a11);
                    b = FloatVector.broadcast(S, q[q2 + t]);
                    a20 = k0.fma(b, a20);
                    a21 = k1.fma(b, a21);
                    b = FloatVector.broadcast(S, q[q3 + t]);
                    a30 = k0.fma(b, a30);
                    a31 = k1.fma(b, a31);
                }
                int so = r * ktile + gi * group;
                a00.intoArray(s, so);
                a01.intoArray(s, so + L);
                a10.intoArray(s, so + ktile);
                a11.intoArray(s, so + ktile + L);
                a20.intoArray(s, so + 2 * ktile);
                a21.intoArray(s, so + 2 * ktile + L);
                a30.intoArray(s, so + 3 * ktile);
                a31.intoArray(s, so + 3 * ktile + L);
            }
        }
        for (; r < rows; r++) {
            int qo = (qt + r) * d;
            for (int gi = 0; gi < groups; gi++) {
                FloatVector a0 = FloatVector.zero(S), a1 = FloatVector.zero(S);
                int ko = (first + gi) * d * group;
                for (int t = 0; t < d; t++, ko += group) {
                    FloatVector b = FloatVector.broadcast(S, q[qo + t]);
                    a0 = FloatVector.fromArray(S, kp, ko).fma(b, a0);
                    a1 = FloatVector.fromArray(S, kp, ko + L).fma(b, a1);
                }
                a0.intoArray(s, r * ktile + gi * group);
                a1.intoArray(s, r * ktile + gi * group + L);
            }
        }
    }

    /** Online-softmax step on row r: weights e^{s − m_new} in place; returns e^{m_old − m_new}. */
    private static float softmaxUpdate(float[] s, int so, int kl, float[] max, float[] sum, int r) {
        int jj = 0;
        float mb = max[r];
        if (kl >= L) {
            FloatVector mv = FloatVector.fromArray(S, s, so);
            for (jj = L; jj + L <= kl; jj += L) {
                mv = mv.max(FloatVector.fromArray(S, s, so + jj));
            }
            mb = Math.max(mb, mv.reduceLanes(VectorOperators.MAX));
        }
        for (; jj < kl; jj++) {
            mb = Math.max(mb, s[so + jj]);
        }
        float rescale = (float) Math.exp(max[r] - mb);
        max[r] = mb;
        FloatVector mbv = FloatVector.broadcast(S, mb);
        FloatVector sv = FloatVector.zero(S);
        jj = 0;
        for (; jj + L <= kl; jj += L) {
            FloatVector p = exp(FloatVector.fromArray(S, s, so + jj).sub(mbv));
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

    /** acc[r] ← acc[r]·rescale[r] + Σ_jj s[r][jj] v[j0+jj] for r &lt; rows. */
    private static void valueUpdate(int rows, int j0, int kl, int dv, float[] v, float[] s, float[] acc,
                                    float[] rescale, int ktile) {
        if (dv == L) {
            valueUpdateOneVector(rows, j0, kl, dv, v, s, acc, rescale, ktile);
            return;
        }
        if (dv == LH) {
            valueUpdateOneHalfVector(rows, j0, kl, dv, v, s, acc, rescale, ktile);
            return;
        }
        int r = 0;
        for (; r + 4 <= rows; r += 4) {
            int c = 0;
            for (; c + 2 * L <= dv; c += 2 * L) {
                int a0 = r * dv + c;
                int a1 = a0 + dv;
                int a2 = a1 + dv;
                int a3 = a2 + dv;
                FloatVector x00 = FloatVector.fromArray(S, acc, a0).mul(rescale[r]);
                FloatVector x01 = FloatVector.fromArray(S, acc, a0 + L).mul(rescale[r]);
                FloatVector x10 = FloatVector.fromArray(S, acc, a1).mul(rescale[r + 1]);
                FloatVector x11 = FloatVector.fromArray(S, acc, a1 + L).mul(rescale[r + 1]);
                FloatVector x20 = FloatVector.fromArray(S, acc, a2).mul(rescale[r + 2]);
                FloatVector x21 = FloatVector.fromArray(S, acc, a2 + L).mul(rescale[r + 2]);
                FloatVector x30 = FloatVector.fromArray(S, acc, a3).mul(rescale[r + 3]);
                FloatVector x31 = FloatVector.fromArray(S, acc, a3 + L).mul(rescale[r + 3]);
                int so = r * ktile;
                int vo = j0 * dv + c;
                for (int jj = 0; jj < kl; jj++, vo += dv) {
                    FloatVector v0 = FloatVector.fromArray(S, v, vo);
                    FloatVector v1 = FloatVector.fromArray(S, v, vo + L);
                    FloatVector p = FloatVector.broadcast(S, s[so + jj]);
                    x00 = v0.fma(p, x00);
                    x01 = v1.fma(p, x01);
                    p = FloatVector.broadcast(S, s[so + ktile + jj]);
                    x10 = v0.fma(p, x10);
                    x11 = v1.fma(p, x11);
                    p = FloatVector.broadcast(S, s[so + 2 * ktile + jj]);
                    x20 = v0.fma(p, x20);
                    x21 = v1.fma(p, x21);
                    p = FloatVector.broadcast(S, s[so + 3 * ktile + jj]);
                    x30 = v0.fma(p, x30);
                    x31 = v1.fma(p, x31);
                }
                x00.intoArray(acc, a0);
                x01.intoArray(acc, a0 + L);
                x10.intoArray(acc, a1);
                x11.intoArray(acc, a1 + L);
                x20.intoArray(acc, a2);
                x21.intoArray(acc, a2 + L);
                x30.intoArray(acc, a3);
                x31.intoArray(acc, a3 + L);
            }
            for (int rr = r; rr < r + 4; rr++) {
                valueRow(rr, c, j0, kl, dv, v, s, acc, rescale[rr], ktile);
            }
        }
        for (; r < rows; r++) {
            valueRow(r, 0, j0, kl, dv, v, s, acc, rescale[r], ktile);
        }
    }

    /**
     * {@link #valueUpdate} when a value row is exactly one preferred vector (dv = L): 4 rows, two keys per
     * step, 8 independent accumulators. (The species is a constant in each kernel: a species passed as an
     * argument is not compiled to vector instructions, hence the 256-bit twin below.)
     */
    private static void valueUpdateOneVector(int rows, int j0, int kl, int dv, float[] v, float[] s,
                                             float[] acc, float[] rescale, int ktile) {
        int r = 0;
        for (; r + 4 <= rows; r += 4) {
            int so = r * ktile;
            FloatVector x0 = FloatVector.zero(S), x1 = FloatVector.zero(S);
            FloatVector x2 = FloatVector.zero(S), x3 = FloatVector.zero(S);
            FloatVector y0 = FloatVector.zero(S), y1 = FloatVector.zero(S);
            FloatVector y2 = FloatVector.zero(S), y3 = FloatVector.zero(S);
            int jj = 0;
            int vo = j0 * dv;
            for (; jj + 2 <= kl; jj += 2, vo += 2 * dv) {
                FloatVector v0 = FloatVector.fromArray(S, v, vo);
                FloatVector v1 = FloatVector.fromArray(S, v, vo + dv);
                x0 = v0.fma(FloatVector.broadcast(S, s[so + jj]), x0);
                y0 = v1.fma(FloatVector.broadcast(S, s[so + jj + 1]), y0);
                x1 = v0.fma(FloatVector.broadcast(S, s[so + ktile + jj]), x1);
                y1 = v1.fma(FloatVector.broadcast(S, s[so + ktile + jj + 1]), y1);
                x2 = v0.fma(FloatVector.broadcast(S, s[so + 2 * ktile + jj]), x2);
                y2 = v1.fma(FloatVector.broadcast(S, s[so + 2 * ktile + jj + 1]), y2);
                x3 = v0.fma(FloatVector.broadcast(S, s[so + 3 * ktile + jj]), x3);
                y3 = v1.fma(FloatVector.broadcast(S, s[so + 3 * ktile + jj + 1]), y3);
            }
            if (jj < kl) {
                FloatVector v0 = FloatVector.fromArray(S, v, vo);
                x0 = v0.fma(FloatVector.broadcast(S, s[so + jj]), x0);
                x1 = v0.fma(FloatVector.broadcast(S, s[so + ktile + jj]), x1);
                x2 = v0.fma(FloatVector.broadcast(S, s[so + 2 * ktile + jj]), x2);
                x3 = v0.fma(FloatVector.broadcast(S, s[so + 3 * ktile + jj]), x3);
            }
            int a0 = r * dv;
            FloatVector.fromArray(S, acc, a0).mul(rescale[r]).add(x0.add(y0)).intoArray(acc, a0);
            FloatVector.fromArray(S, acc, a0 + dv).mul(rescale[r + 1]).add(x1.add(y1)).intoArray(acc, a0 + dv);
            FloatVector.fromArray(S, acc, a0 + 2 * dv).mul(rescale[r + 2]).add(x2.add(y2)).intoArray(acc, a0 + 2 * dv);
            FloatVector.fromArray(S, acc, a0 + 3 * dv).mul(rescale[r + 3]).add(x3.add(y3)).intoArray(acc, a0 + 3 * dv);
        }
        for (; r < rows; r++) {
            valueRow(r, 0, j0, kl, dv, v, s, acc, rescale[r], ktile);
        }
    }

    /** {@link #valueUpdateOneVector} for value rows of exactly one 256-bit vector when L is wider. */
    private static void valueUpdateOneHalfVector(int rows, int j0, int kl, int dv, float[] v, float[] s,
                                                 float[] acc, float[] rescale, int ktile) {
        int r = 0;
        for (; r + 4 <= rows; r += 4) {
            int so = r * ktile;
            FloatVector x0 = FloatVector.zero(SH), x1 = FloatVector.zero(SH);
            FloatVector x2 = FloatVector.zero(SH), x3 = FloatVector.zero(SH);
            FloatVector y0 = FloatVector.zero(SH), y1 = FloatVector.zero(SH);
            FloatVector y2 = FloatVector.zero(SH), y3 = FloatVector.zero(SH);
            int jj = 0;
            int vo = j0 * dv;
            for (; jj + 2 <= kl; jj += 2, vo += 2 * dv) {
                FloatVector v0 = FloatVector.fromArray(SH, v, vo);
                FloatVector v1 = FloatVector.fromArray(SH, v, vo + dv);
                x0 = v0.fma(FloatVector.broadcast(SH, s[so + jj]), x0);
                y0 = v1.fma(FloatVector.broadcast(SH, s[so + jj + 1]), y0);
                x1 = v0.fma(FloatVector.broadcast(SH, s[so + ktile + jj]), x1);
                y1 = v1.fma(FloatVector.broadcast(SH, s[so + ktile + jj + 1]), y1);
                x2 = v0.fma(FloatVector.broadcast(SH, s[so + 2 * ktile + jj]), x2);
                y2 = v1.fma(FloatVector.broadcast(SH, s[so + 2 * ktile + jj + 1]), y2);
                x3 = v0.fma(FloatVector.broadcast(SH, s[so + 3 * ktile + jj]), x3);
                y3 = v1.fma(FloatVector.broadcast(SH, s[so + 3 * ktile + jj + 1]), y3);
            }
            if (jj < kl) {
                FloatVector v0 = FloatVector.fromArray(SH, v, vo);
                x0 = v0.fma(FloatVector.broadcast(SH, s[so + jj]), x0);
                x1 = v0.fma(FloatVector.broadcast(SH, s[so + ktile + jj]), x1);
                x2 = v0.fma(FloatVector.broadcast(SH, s[so + 2 * ktile + jj]), x2);
                x3 = v0.fma(FloatVector.broadcast(SH, s[so + 3 * ktile + jj]), x3);
            }
            int a0 = r * dv;
            FloatVector.fromArray(SH, acc, a0).mul(rescale[r]).add(x0.add(y0)).intoArray(acc, a0);
            FloatVector.fromArray(SH, acc, a0 + dv).mul(rescale[r + 1]).add(x1.add(y1)).intoArray(acc, a0 + dv);
            FloatVector.fromArray(SH, acc, a0 + 2 * dv).mul(rescale[r + 2]).add(x2.add(y2)).intoArray(acc, a0 + 2 * dv);
            FloatVector.fromArray(SH, acc, a0 + 3 * dv).mul(rescale[r + 3]).add(x3.add(y3)).intoArray(acc, a0 + 3 * dv);
        }
        for (; r < rows; r++) {
            int so = r * ktile;
            FloatVector x = FloatVector.zero(SH);
            int vo = j0 * dv;
            for (int jj = 0; jj < kl; jj++, vo += dv) {
                x = FloatVector.fromArray(SH, v, vo).fma(FloatVector.broadcast(SH, s[so + jj]), x);
            }
            FloatVector.fromArray(SH, acc, r * dv).mul(rescale[r]).add(x).intoArray(acc, r * dv);
        }
    }

    /** One row of {@link #valueUpdate} for columns [from, dv): one vector at a time, then scalars. */
    private static void valueRow(int r, int from, int j0, int kl, int dv, float[] v, float[] s, float[] acc,
                                 float rescale, int ktile) {
        int ao = r * dv;
        int so = r * ktile;
        int c = from;
        for (; c + L <= dv; c += L) {
            FloatVector x = FloatVector.fromArray(S, acc, ao + c).mul(rescale);
            int vo = j0 * dv + c;
            for (int jj = 0; jj < kl; jj++, vo += dv) {
                x = FloatVector.fromArray(S, v, vo).fma(FloatVector.broadcast(S, s[so + jj]), x);
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
}
