package org.promptlimits.attention.fast;

/**
 * {@link PolyKernel} with the JDK Vector API, vectorised along the features (the inner index of a row), so that
 * no product needs a sum across lanes per block: the key product keeps a 3-vector × 3-column tile of S in
 * registers over the block's rows, the query product a 3-row × 3-column tile of lane-wise partial sums over chunks
 * of features that stay in L1. Both tiers, {@link VectorPolyF64} and {@link VectorPolyF32}, are generated from one
 * template (src/main/templates/VectorPoly.java.template) at build time. Loaded by reflection only when the module is
 * present.
 */
final class VectorPoly implements PolyKernel {

    VectorPoly() {
        int l = VectorPolyF64.L;
        int lf = VectorPolyF32.L;
        if (PAD % (3 * lf) != 0 || VectorPolyF64.CHUNK % l != 0 || lf != 2 * l) {
            throw new IllegalStateException("vector lengths f64x" + l + ", f32x" + lf + " do not divide the padding "
                    + PAD + " or the chunk " + VectorPolyF64.CHUNK);
        }
    }

    @Override
    public String name() {
        return "vector(f64x" + VectorPolyF64.L + ", f32x" + VectorPolyF32.L + ")";
    }

    @Override
    public void monomials(int[] segDst, int[] segSrc, int[] segLen, int[] segVar, double[] x, int xOff, int d, int b,
                          double[] dst, int stride) {
        VectorPolyF64.monomials(segDst, segSrc, segLen, segVar, x, xOff, d, b, dst, stride);
    }

    @Override
    public void accumulate(int stride, int cols, int b, double[] f, double[] v, double[] s) {
        VectorPolyF64.accumulate(stride, cols, b, f, v, s);
    }

    @Override
    public void project(int stride, int cols, int b, double[] f, double[] s, double[] out, double[] scratch) {
        VectorPolyF64.project(stride, cols, b, f, s, out, scratch);
    }

    @Override
    public void monomials(int[] segDst, int[] segSrc, int[] segLen, int[] segVar, double[] x, int xOff, int d, int b,
                          float[] dst, int stride) {
        VectorPolyF32.monomials(segDst, segSrc, segLen, segVar, x, xOff, d, b, dst, stride);
    }

    @Override
    public void accumulate(int stride, int cols, int b, float[] f, float[] v, double[] s) {
        VectorPolyF32.accumulate(stride, cols, b, f, v, s);
    }

    @Override
    public void project(int stride, int cols, int b, float[] f, float[] s, double[] out, double[] scratch) {
        VectorPolyF32.project(stride, cols, b, f, s, out, scratch);
    }
}
