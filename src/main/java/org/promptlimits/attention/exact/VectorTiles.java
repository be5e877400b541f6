package org.promptlimits.attention.exact;

/**
 * {@link TileKernel} with the JDK Vector API ({@code jdk.incubator.vector}): {@link VectorTilesF32} and
 * {@link VectorTilesF64}, both generated from one template (src/main/templates/VectorTiles.java.template), at
 * the JVM's preferred species. Loaded by reflection only when the module is in the boot layer, so the
 * library runs without it (then {@link ScalarTiles} is used).
 */
final class VectorTiles implements TileKernel {

    /**
     * Whether 256-bit float vectors are compiled well when the preferred species is wider. Measured on an
     * AVX-512 machine, n = 4096, d = dv = 8: JDK 17 took 210 ms in float32 against 40 ms in float64; JDK 25
     * took 23 ms. JDK 17 therefore computes that case in float64.
     */
    private static final boolean HALF_FLOAT_FAST = VectorTilesF32.LH == VectorTilesF32.L
            || Runtime.version().feature() >= 21;

    VectorTiles() {
    }

    @Override
    public String name() {
        return "vector(f32x" + VectorTilesF32.L + ", f64x" + VectorTilesF64.L + ")";
    }

    @Override
    public int keyGroup(int bytes) {
        return 2 * (bytes == Float.BYTES ? VectorTilesF32.L : VectorTilesF64.L);
    }

    @Override
    public boolean floatViaDouble(int dv) {
        return dv == VectorTilesF32.LH && !HALF_FLOAT_FAST;
    }

    @Override
    public boolean allFinite(float[] a, int from, int to) {
        return VectorTilesF32.allFinite(a, from, to);
    }

    @Override
    public boolean allFinite(double[] a, int from, int to) {
        return VectorTilesF64.allFinite(a, from, to);
    }

    @Override
    public float[] keyBuffer(float[] k, int m, int d) {
        return VectorTilesF32.keyBuffer(m, d);
    }

    @Override
    public double[] keyBuffer(double[] k, int m, int d) {
        return VectorTilesF64.keyBuffer(m, d);
    }

    @Override
    public void packKeys(float[] k, int m, int d, int j0, int j1, float[] kt) {
        VectorTilesF32.packKeys(k, d, j0, j1, kt);
    }

    @Override
    public void packKeys(double[] k, int m, int d, int j0, int j1, double[] kt) {
        VectorTilesF64.packKeys(k, d, j0, j1, kt);
    }

    @Override
    public float[] valueBuffer(float[] v, int m, int dv) {
        return VectorTilesF32.valueBuffer(m, dv);
    }

    @Override
    public double[] valueBuffer(double[] v, int m, int dv) {
        return VectorTilesF64.valueBuffer(m, dv);
    }

    @Override
    public void packValues(float[] v, int m, int dv, int j0, int j1, float[] vp) {
        VectorTilesF32.packValues(v, m, dv, j0, j1, vp);
    }

    @Override
    public void packValues(double[] v, int m, int dv, int j0, int j1, double[] vp) {
        VectorTilesF64.packValues(v, m, dv, j0, j1, vp);
    }

    @Override
    public void rows(int i0, int i1, int m, int d, int dv, float[] q, double beta, float[] kt, float[] v, float[] vp,
                     float[] out, TilePlan plan) {
        VectorTilesF32.rows(i0, i1, m, d, dv, q, beta, kt, v, vp, out, plan.queryTile(), plan.queryBlock(), plan.keyTile());
    }

    @Override
    public void rows(int i0, int i1, int m, int d, int dv, double[] q, double beta, double[] kt, double[] v,
                     double[] vp, double[] out, TilePlan plan) {
        VectorTilesF64.rows(i0, i1, m, d, dv, q, beta, kt, v, vp, out, plan.queryTile(), plan.queryBlock(), plan.keyTile());
    }
}
