package org.promptlimits.attention.fast;

/**
 * {@link PolyKernel} in plain Java loops: the fallback without the Vector API, and the statement of what it computes.
 * Both tiers, {@link ScalarPolyF64} and {@link ScalarPolyF32}, are generated from one template
 * (src/main/templates/ScalarPoly.java.template) at build time.
 */
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
        ScalarPolyF64.monomials(segDst, segSrc, segLen, segVar, x, xOff, d, b, dst, stride);
    }

    @Override
    public void accumulate(int stride, int cols, int b, double[] f, double[] v, double[] s) {
        ScalarPolyF64.accumulate(stride, cols, b, f, v, s);
    }

    @Override
    public void project(int stride, int cols, int b, double[] f, double[] s, double[] out, double[] scratch) {
        ScalarPolyF64.project(stride, cols, b, f, s, out);
    }

    @Override
    public void monomials(int[] segDst, int[] segSrc, int[] segLen, int[] segVar, double[] x, int xOff, int d, int b,
                          float[] dst, int stride) {
        ScalarPolyF32.monomials(segDst, segSrc, segLen, segVar, x, xOff, d, b, dst, stride);
    }

    @Override
    public void accumulate(int stride, int cols, int b, float[] f, float[] v, double[] s) {
        ScalarPolyF32.accumulate(stride, cols, b, f, v, s);
    }

    @Override
    public void project(int stride, int cols, int b, float[] f, float[] s, double[] out, double[] scratch) {
        ScalarPolyF32.project(stride, cols, b, f, s, out);
    }
}
