package org.promptlimits.attention.exact;

import java.util.Arrays;

/**
 * {@link TileKernel} in plain Java loops: the fallback used when the Vector API module is absent, and the
 * readable statement of what the vector kernel computes. The innermost loops are contiguous
 * multiply-adds, which the JIT compiler may vectorize on its own.
 */
final class ScalarTiles implements TileKernel {

    static final ScalarTiles INSTANCE = new ScalarTiles();

    private ScalarTiles() {
    }

    @Override
    public String name() {
        return "scalar";
    }

    /** Keys transposed: d×m, row t holds coordinate t of every key. */
    @Override
    public float[] keyBuffer(float[] k, int m, int d) {
        return new float[d * m];
    }

    /** Keys transposed: d×m, row t holds coordinate t of every key. */
    @Override
    public double[] keyBuffer(double[] k, int m, int d) {
        return new double[d * m];
    }

    @Override
    public void packKeys(float[] k, int m, int d, int j0, int j1, float[] kt) {
        for (int j = j0; j < j1; j++) {
            for (int t = 0; t < d; t++) {
                kt[t * m + j] = k[j * d + t];
            }
        }
    }

    @Override
    public void packKeys(double[] k, int m, int d, int j0, int j1, double[] kt) {
        for (int j = j0; j < j1; j++) {
            for (int t = 0; t < d; t++) {
                kt[t * m + j] = k[j * d + t];
            }
        }
    }

    @Override
    public void rows(int i0, int i1, int m, int d, int dv, float[] q, double beta, float[] kt, float[] v, float[] vp,
                     float[] out, TilePlan plan) {
        final float b = (float) beta;
        final int qtile = plan.queryTile();
        final int ktile = plan.keyTile();
        float[] s = new float[qtile * ktile];
        float[] acc = new float[qtile * dv];
        float[] max = new float[qtile];
        float[] sum = new float[qtile];
        for (int qt = i0; qt < i1; qt += qtile) {
            int rows = Math.min(qtile, i1 - qt);
            Arrays.fill(max, Float.NEGATIVE_INFINITY);
            Arrays.fill(sum, 0f);
            Arrays.fill(acc, 0f);
            for (int j0 = 0; j0 < m; j0 += ktile) {
                int kl = Math.min(ktile, m - j0);
                for (int r = 0; r < rows; r++) {
                    int so = r * ktile;
                    Arrays.fill(s, so, so + kl, 0f);
                    // scores s_j = Σ_t (β q_t) k_{j,t}, along contiguous keys
                    for (int t = 0; t < d; t++) {
                        float a = q[(qt + r) * d + t] * b;
                        int ko = t * m + j0;
                        for (int jj = 0; jj < kl; jj++) {
                            s[so + jj] += a * kt[ko + jj];
                        }
                    }
                    // online softmax: new running max, rescale the old sum and accumulator
                    float mb = max[r];
                    for (int jj = 0; jj < kl; jj++) {
                        mb = Math.max(mb, s[so + jj]);
                    }
                    float rescale = (float) Math.exp(max[r] - mb);
                    max[r] = mb;
                    float ps = 0f;
                    for (int jj = 0; jj < kl; jj++) {
                        float p = (float) Math.exp(s[so + jj] - mb);
                        s[so + jj] = p;
                        ps += p;
                    }
                    sum[r] = sum[r] * rescale + ps;
                    int ao = r * dv;
                    for (int c = 0; c < dv; c++) {
                        acc[ao + c] *= rescale;
                    }
                    for (int jj = 0; jj < kl; jj++) {
                        float p = s[so + jj];
                        int vo = (j0 + jj) * dv;
                        for (int c = 0; c < dv; c++) {
                            acc[ao + c] += p * v[vo + c];
                        }
                    }
                }
            }
            for (int r = 0; r < rows; r++) {
                float inv = 1f / sum[r];
                for (int c = 0; c < dv; c++) {
                    out[(qt + r) * dv + c] = acc[r * dv + c] * inv;
                }
            }
        }
    }

    @Override
    public void rows(int i0, int i1, int m, int d, int dv, double[] q, double beta, double[] kt, double[] v,
                     double[] vp, double[] out, TilePlan plan) {
        final int ktile = plan.keyTile();
        double[] s = new double[ktile];
        double[] acc = new double[dv];
        for (int i = i0; i < i1; i++) {
            double max = Double.NEGATIVE_INFINITY;
            double sum = 0;
            Arrays.fill(acc, 0);
            for (int j0 = 0; j0 < m; j0 += ktile) {
                int kl = Math.min(ktile, m - j0);
                Arrays.fill(s, 0, kl, 0);
                for (int t = 0; t < d; t++) {
                    double a = q[i * d + t] * beta;
                    int ko = t * m + j0;
                    for (int jj = 0; jj < kl; jj++) {
                        s[jj] += a * kt[ko + jj];
                    }
                }
                double mb = max;
                for (int jj = 0; jj < kl; jj++) {
                    mb = Math.max(mb, s[jj]);
                }
                double rescale = Math.exp(max - mb);
                max = mb;
                double ps = 0;
                for (int jj = 0; jj < kl; jj++) {
                    double p = Math.exp(s[jj] - mb);
                    s[jj] = p;
                    ps += p;
                }
                sum = sum * rescale + ps;
                for (int c = 0; c < dv; c++) {
                    acc[c] *= rescale;
                }
                for (int jj = 0; jj < kl; jj++) {
                    double p = s[jj];
                    int vo = (j0 + jj) * dv;
                    for (int c = 0; c < dv; c++) {
                        acc[c] += p * v[vo + c];
                    }
                }
            }
            for (int c = 0; c < dv; c++) {
                out[i * dv + c] = acc[c] / sum;
            }
        }
    }
}
