package org.promptlimits.attention.exact;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * The double Vector API tile kernel of {@link VectorTiles}. GENERATED from
 * src/main/templates/VectorTiles.java.template by VectorTilesTemplateTest (run it with
 * -Dpromptlimits.regenerate=true after editing the template); the float and double kernels are the same
 * skeleton, so edit the template, not this file.
 *
 * <p>Scores and the value update are register-tiled micro-kernels of 4 query rows × 2 vectors (8
 * accumulators). e^x is computed in vector registers: x = k ln 2 + r with k = round(x / ln 2), e^r by its
 * Taylor polynomial of degree 13 (relative error below one unit in the last place on |r| ≤ ln2/2), and 2^k
 * by writing k into the exponent bits; the row maximum is subtracted inside the same pass. Tails (rows not
 * a multiple of 4, columns not a multiple of the vector length) fall back to narrower loops.
 */
final class VectorTilesF64 {

    static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    static final int L = S.length();
    /** The 256-bit species: value rows of exactly 256 bits when the preferred species is wider. */
    static final VectorSpecies<Double> SH = DoubleVector.SPECIES_256;
    static final int LH = SH.length();

    private static final double LOG2E = 1.4426950408889634;
    private static final double LN2_HI = 6.93147180369123816490e-01;
    private static final double LN2_LO = 1.90821492927058770002e-10;
    /** 1.5·2^mantissa bits: adding it rounds to an integer. */
    private static final double MAGIC = 6755399441055744.0;
    private static final double[] INV_FACT = invFactorials(13);

    private VectorTilesF64() {
    }

    private static double[] invFactorials(int g) {
        double[] f = new double[g + 1];
        double x = 1;
        for (int i = 0; i <= g; i++) {
            x = i == 0 ? 1 : x / i;
            f[i] = (double) x;
        }
        return f;
    }

    /** e^x lane-wise, x clamped to [-708.0, 709.0]. */
    static DoubleVector exp(DoubleVector x) {
        x = x.max(-708.0).min(709.0);
        DoubleVector t = x.mul(LOG2E).add(MAGIC);
        DoubleVector k = t.sub(MAGIC);
        LongVector ki = t.reinterpretAsLongs().sub(Double.doubleToRawLongBits(MAGIC));
        DoubleVector r = k.fma(DoubleVector.broadcast(S, -LN2_HI), x);
        r = k.fma(DoubleVector.broadcast(S, -LN2_LO), r);
        DoubleVector p = DoubleVector.broadcast(S, INV_FACT[13]);
        for (int i = 13 - 1; i >= 0; i--) {
            p = p.fma(r, DoubleVector.broadcast(S, INV_FACT[i]));
        }
        DoubleVector twoK = ki.add(1023L).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
        return p.mul(twoK);
    }

    /**
     * Keys packed in groups of 2L: group g holds, for t = 0..d−1, the t-th coordinates of keys 2L·g .. 2L·g + 2L − 1
     * contiguously (zero past m), so a score micro-kernel reads one contiguous block.
     */
    static double[] packKeys(double[] k, int m, int d) {
        int group = 2 * L;
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

    /** Output rows [i0, i1) with query tiles of qtile rows and key tiles of ktile keys (a multiple of 2L). */
    static void rows(int i0, int i1, int m, int d, int dv, double[] q, double[] kp, double[] v, double[] out,
                     int qtile, int ktile) {
        double[] s = new double[qtile * ktile];
        double[] acc = new double[qtile * dv];
        double[] max = new double[qtile];
        double[] sum = new double[qtile];
        double[] rescale = new double[qtile];
        for (int qt = i0; qt < i1; qt += qtile) {
            int rows = Math.min(qtile, i1 - qt);
            Arrays.fill(max, Double.NEGATIVE_INFINITY);
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
                DoubleVector inv = DoubleVector.broadcast(S, 1 / sum[r]);
                int ao = r * dv;
                int oo = (qt + r) * dv;
                int c = 0;
                for (; c + L <= dv; c += L) {
                    DoubleVector.fromArray(S, acc, ao + c).mul(inv).intoArray(out, oo + c);
                }
                for (; c < dv; c++) {
                    out[oo + c] = acc[ao + c] / sum[r];
                }
            }
        }
    }

    /** s[r][jj] = Σ_t q[qt+r][t] k[j0+jj][t] for r &lt; rows and every key group touching jj &lt; kl. */
    private static void scores(int qt, int rows, int j0, int kl, int d, double[] q, double[] kp, double[] s,
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
                DoubleVector a00 = DoubleVector.zero(S), a01 = DoubleVector.zero(S);
                DoubleVector a10 = DoubleVector.zero(S), a11 = DoubleVector.zero(S);
                DoubleVector a20 = DoubleVector.zero(S), a21 = DoubleVector.zero(S);
                DoubleVector a30 = DoubleVector.zero(S), a31 = DoubleVector.zero(S);
                int ko = (first + gi) * d * group;
                for (int t = 0; t < d; t++, ko += group) {
                    DoubleVector k0 = DoubleVector.fromArray(S, kp, ko);
                    DoubleVector k1 = DoubleVector.fromArray(S, kp, ko + L);
                    DoubleVector b = DoubleVector.broadcast(S, q[q0 + t]);
                    a00 = k0.fma(b, a00);
                    a01 = k1.fma(b, a01);
                    b = DoubleVector.broadcast(S, q[q1 + t]);
                    a10 = k0.fma(b, a10);
                    a11 = k1.fma(b, a11);
                    b = DoubleVector.broadcast(S, q[q2 + t]);
                    a20 = k0.fma(b, a20);
                    a21 = k1.fma(b, a21);
                    b = DoubleVector.broadcast(S, q[q3 + t]);
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
                DoubleVector a0 = DoubleVector.zero(S), a1 = DoubleVector.zero(S);
                int ko = (first + gi) * d * group;
                for (int t = 0; t < d; t++, ko += group) {
                    DoubleVector b = DoubleVector.broadcast(S, q[qo + t]);
                    a0 = DoubleVector.fromArray(S, kp, ko).fma(b, a0);
                    a1 = DoubleVector.fromArray(S, kp, ko + L).fma(b, a1);
                }
                a0.intoArray(s, r * ktile + gi * group);
                a1.intoArray(s, r * ktile + gi * group + L);
            }
        }
    }

    /** Online-softmax step on row r: weights e^{s − m_new} in place; returns e^{m_old − m_new}. */
    private static double softmaxUpdate(double[] s, int so, int kl, double[] max, double[] sum, int r) {
        int jj = 0;
        double mb = max[r];
        if (kl >= L) {
            DoubleVector mv = DoubleVector.fromArray(S, s, so);
            for (jj = L; jj + L <= kl; jj += L) {
                mv = mv.max(DoubleVector.fromArray(S, s, so + jj));
            }
            mb = Math.max(mb, mv.reduceLanes(VectorOperators.MAX));
        }
        for (; jj < kl; jj++) {
            mb = Math.max(mb, s[so + jj]);
        }
        double rescale = (double) Math.exp(max[r] - mb);
        max[r] = mb;
        DoubleVector mbv = DoubleVector.broadcast(S, mb);
        DoubleVector sv = DoubleVector.zero(S);
        jj = 0;
        for (; jj + L <= kl; jj += L) {
            DoubleVector p = exp(DoubleVector.fromArray(S, s, so + jj).sub(mbv));
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

    /** acc[r] ← acc[r]·rescale[r] + Σ_jj s[r][jj] v[j0+jj] for r &lt; rows. */
    private static void valueUpdate(int rows, int j0, int kl, int dv, double[] v, double[] s, double[] acc,
                                    double[] rescale, int ktile) {
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
                DoubleVector x00 = DoubleVector.fromArray(S, acc, a0).mul(rescale[r]);
                DoubleVector x01 = DoubleVector.fromArray(S, acc, a0 + L).mul(rescale[r]);
                DoubleVector x10 = DoubleVector.fromArray(S, acc, a1).mul(rescale[r + 1]);
                DoubleVector x11 = DoubleVector.fromArray(S, acc, a1 + L).mul(rescale[r + 1]);
                DoubleVector x20 = DoubleVector.fromArray(S, acc, a2).mul(rescale[r + 2]);
                DoubleVector x21 = DoubleVector.fromArray(S, acc, a2 + L).mul(rescale[r + 2]);
                DoubleVector x30 = DoubleVector.fromArray(S, acc, a3).mul(rescale[r + 3]);
                DoubleVector x31 = DoubleVector.fromArray(S, acc, a3 + L).mul(rescale[r + 3]);
                int so = r * ktile;
                int vo = j0 * dv + c;
                for (int jj = 0; jj < kl; jj++, vo += dv) {
                    DoubleVector v0 = DoubleVector.fromArray(S, v, vo);
                    DoubleVector v1 = DoubleVector.fromArray(S, v, vo + L);
                    DoubleVector p = DoubleVector.broadcast(S, s[so + jj]);
                    x00 = v0.fma(p, x00);
                    x01 = v1.fma(p, x01);
                    p = DoubleVector.broadcast(S, s[so + ktile + jj]);
                    x10 = v0.fma(p, x10);
                    x11 = v1.fma(p, x11);
                    p = DoubleVector.broadcast(S, s[so + 2 * ktile + jj]);
                    x20 = v0.fma(p, x20);
                    x21 = v1.fma(p, x21);
                    p = DoubleVector.broadcast(S, s[so + 3 * ktile + jj]);
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
    private static void valueUpdateOneVector(int rows, int j0, int kl, int dv, double[] v, double[] s,
                                             double[] acc, double[] rescale, int ktile) {
        int r = 0;
        for (; r + 4 <= rows; r += 4) {
            int so = r * ktile;
            DoubleVector x0 = DoubleVector.zero(S), x1 = DoubleVector.zero(S);
            DoubleVector x2 = DoubleVector.zero(S), x3 = DoubleVector.zero(S);
            DoubleVector y0 = DoubleVector.zero(S), y1 = DoubleVector.zero(S);
            DoubleVector y2 = DoubleVector.zero(S), y3 = DoubleVector.zero(S);
            int jj = 0;
            int vo = j0 * dv;
            for (; jj + 2 <= kl; jj += 2, vo += 2 * dv) {
                DoubleVector v0 = DoubleVector.fromArray(S, v, vo);
                DoubleVector v1 = DoubleVector.fromArray(S, v, vo + dv);
                x0 = v0.fma(DoubleVector.broadcast(S, s[so + jj]), x0);
                y0 = v1.fma(DoubleVector.broadcast(S, s[so + jj + 1]), y0);
                x1 = v0.fma(DoubleVector.broadcast(S, s[so + ktile + jj]), x1);
                y1 = v1.fma(DoubleVector.broadcast(S, s[so + ktile + jj + 1]), y1);
                x2 = v0.fma(DoubleVector.broadcast(S, s[so + 2 * ktile + jj]), x2);
                y2 = v1.fma(DoubleVector.broadcast(S, s[so + 2 * ktile + jj + 1]), y2);
                x3 = v0.fma(DoubleVector.broadcast(S, s[so + 3 * ktile + jj]), x3);
                y3 = v1.fma(DoubleVector.broadcast(S, s[so + 3 * ktile + jj + 1]), y3);
            }
            if (jj < kl) {
                DoubleVector v0 = DoubleVector.fromArray(S, v, vo);
                x0 = v0.fma(DoubleVector.broadcast(S, s[so + jj]), x0);
                x1 = v0.fma(DoubleVector.broadcast(S, s[so + ktile + jj]), x1);
                x2 = v0.fma(DoubleVector.broadcast(S, s[so + 2 * ktile + jj]), x2);
                x3 = v0.fma(DoubleVector.broadcast(S, s[so + 3 * ktile + jj]), x3);
            }
            int a0 = r * dv;
            DoubleVector.fromArray(S, acc, a0).mul(rescale[r]).add(x0.add(y0)).intoArray(acc, a0);
            DoubleVector.fromArray(S, acc, a0 + dv).mul(rescale[r + 1]).add(x1.add(y1)).intoArray(acc, a0 + dv);
            DoubleVector.fromArray(S, acc, a0 + 2 * dv).mul(rescale[r + 2]).add(x2.add(y2)).intoArray(acc, a0 + 2 * dv);
            DoubleVector.fromArray(S, acc, a0 + 3 * dv).mul(rescale[r + 3]).add(x3.add(y3)).intoArray(acc, a0 + 3 * dv);
        }
        for (; r < rows; r++) {
            valueRow(r, 0, j0, kl, dv, v, s, acc, rescale[r], ktile);
        }
    }

    /** {@link #valueUpdateOneVector} for value rows of exactly one 256-bit vector when L is wider. */
    private static void valueUpdateOneHalfVector(int rows, int j0, int kl, int dv, double[] v, double[] s,
                                                 double[] acc, double[] rescale, int ktile) {
        int r = 0;
        for (; r + 4 <= rows; r += 4) {
            int so = r * ktile;
            DoubleVector x0 = DoubleVector.zero(SH), x1 = DoubleVector.zero(SH);
            DoubleVector x2 = DoubleVector.zero(SH), x3 = DoubleVector.zero(SH);
            DoubleVector y0 = DoubleVector.zero(SH), y1 = DoubleVector.zero(SH);
            DoubleVector y2 = DoubleVector.zero(SH), y3 = DoubleVector.zero(SH);
            int jj = 0;
            int vo = j0 * dv;
            for (; jj + 2 <= kl; jj += 2, vo += 2 * dv) {
                DoubleVector v0 = DoubleVector.fromArray(SH, v, vo);
                DoubleVector v1 = DoubleVector.fromArray(SH, v, vo + dv);
                x0 = v0.fma(DoubleVector.broadcast(SH, s[so + jj]), x0);
                y0 = v1.fma(DoubleVector.broadcast(SH, s[so + jj + 1]), y0);
                x1 = v0.fma(DoubleVector.broadcast(SH, s[so + ktile + jj]), x1);
                y1 = v1.fma(DoubleVector.broadcast(SH, s[so + ktile + jj + 1]), y1);
                x2 = v0.fma(DoubleVector.broadcast(SH, s[so + 2 * ktile + jj]), x2);
                y2 = v1.fma(DoubleVector.broadcast(SH, s[so + 2 * ktile + jj + 1]), y2);
                x3 = v0.fma(DoubleVector.broadcast(SH, s[so + 3 * ktile + jj]), x3);
                y3 = v1.fma(DoubleVector.broadcast(SH, s[so + 3 * ktile + jj + 1]), y3);
            }
            if (jj < kl) {
                DoubleVector v0 = DoubleVector.fromArray(SH, v, vo);
                x0 = v0.fma(DoubleVector.broadcast(SH, s[so + jj]), x0);
                x1 = v0.fma(DoubleVector.broadcast(SH, s[so + ktile + jj]), x1);
                x2 = v0.fma(DoubleVector.broadcast(SH, s[so + 2 * ktile + jj]), x2);
                x3 = v0.fma(DoubleVector.broadcast(SH, s[so + 3 * ktile + jj]), x3);
            }
            int a0 = r * dv;
            DoubleVector.fromArray(SH, acc, a0).mul(rescale[r]).add(x0.add(y0)).intoArray(acc, a0);
            DoubleVector.fromArray(SH, acc, a0 + dv).mul(rescale[r + 1]).add(x1.add(y1)).intoArray(acc, a0 + dv);
            DoubleVector.fromArray(SH, acc, a0 + 2 * dv).mul(rescale[r + 2]).add(x2.add(y2)).intoArray(acc, a0 + 2 * dv);
            DoubleVector.fromArray(SH, acc, a0 + 3 * dv).mul(rescale[r + 3]).add(x3.add(y3)).intoArray(acc, a0 + 3 * dv);
        }
        for (; r < rows; r++) {
            int so = r * ktile;
            DoubleVector x = DoubleVector.zero(SH);
            int vo = j0 * dv;
            for (int jj = 0; jj < kl; jj++, vo += dv) {
                x = DoubleVector.fromArray(SH, v, vo).fma(DoubleVector.broadcast(SH, s[so + jj]), x);
            }
            DoubleVector.fromArray(SH, acc, r * dv).mul(rescale[r]).add(x).intoArray(acc, r * dv);
        }
    }

    /** One row of {@link #valueUpdate} for columns [from, dv): one vector at a time, then scalars. */
    private static void valueRow(int r, int from, int j0, int kl, int dv, double[] v, double[] s, double[] acc,
                                 double rescale, int ktile) {
        int ao = r * dv;
        int so = r * ktile;
        int c = from;
        for (; c + L <= dv; c += L) {
            DoubleVector x = DoubleVector.fromArray(S, acc, ao + c).mul(rescale);
            int vo = j0 * dv + c;
            for (int jj = 0; jj < kl; jj++, vo += dv) {
                x = DoubleVector.fromArray(S, v, vo).fma(DoubleVector.broadcast(S, s[so + jj]), x);
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
