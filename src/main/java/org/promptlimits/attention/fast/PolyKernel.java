package org.promptlimits.attention.fast;

import org.promptlimits.attention.ThreadScratch;

/**
 * The inner loops of the polynomial method on one block of b rows in one arithmetic tier (F is double[] or float[]),
 * row-major with the features as the inner index (f[i·stride + a], a &lt; stride; stride a multiple of {@link #PAD},
 * features beyond the rank are zero): the monomials of the rows, S += Fᵀ [V 1] and F S. Each tier has a plain-loop
 * version (ScalarPolyF64, ScalarPolyF32: the fallback and the statement of what they compute) and a Vector API one
 * (VectorPolyF64, VectorPolyF32), which share the tier's arrays and conversions (PolyTierF64, PolyTierF32), all
 * generated from src/main/templates; {@link #FLOAT64} and {@link #FLOAT32} are the Vector API ones when the module
 * {@code jdk.incubator.vector} is in the boot layer.
 */
interface PolyKernel<F> {

    /** Row strides are multiples of this (3 vectors of up to 16 floats or 8 doubles). */
    int PAD = 48;

    /**
     * The most terms a float32 kernel sums in float before adding the sum into double: the rows of a block in the
     * key product (at most {@link PolynomialAttention#BLOCK}) and the features of one run per lane in the query
     * product (this).
     */
    int RUN = 32;

    /**
     * The row stride for rank r: a multiple of {@link #PAD} with at least 15 spare entries after the rank (a
     * kernel may write whole vectors of up to 16 lanes past a row's last monomial before clearing them).
     */
    static int stride(int r) {
        return (r + 15 + PAD - 1) / PAD * PAD;
    }

    /**
     * The raw monomials of b rows: for i &lt; b, dst[i·stride] = 1 and, segment by segment in order,
     * dst[i·stride + dst_s + k] = dst[i·stride + src_s + k] · x[xOff + i·d + var_s] for k &lt; len_s (in float32: x
     * rounded to float, the products rounded to float), and the rest of each row, from the last monomial to the
     * stride, zero (dst may hold an earlier call's rows).
     */
    void monomials(int[] segDst, int[] segSrc, int[] segLen, int[] segVar, double[] x, int xOff, int d, int b,
                   F dst, int stride);

    /**
     * s[c·stride + a] += Σ_{i&lt;b} f[i·stride + a] · v[i·cols + c] for a &lt; stride, c &lt; cols: the block's sums
     * formed on their own in the tier's type (at most b terms), from zero, then added into s in double.
     */
    void accumulate(int stride, int cols, int b, F f, F v, double[] s);

    /**
     * out[i·cols + c] = Σ_{a&lt;stride} f[i·stride + a] · S[c][a] for i &lt; b, c &lt; cols, with s = S as {@link #products}
     * of this kernel laid it out; in float32, runs of at most {@link #RUN} terms summed in float, the runs added in
     * double. scratch holds at least b·cols·16 doubles.
     */
    void project(int stride, int cols, int b, F f, F s, double[] out, double[] scratch);

    /**
     * This thread's array of the tier's type kept in {@code scratch} between calls, at least {@code length} entries
     * (features or values of a block: written before they are read).
     */
    F scratch(ThreadScratch scratch, int length);

    /**
     * v's rows j0 .. j0+b (dv entries each) into vb in the tier's type, cols = dv + 1 per row, each row followed by a
     * 1 (the denominator's column): the right-hand side [V 1] of {@link #accumulate}.
     */
    void values(double[] v, int j0, int b, int dv, F vb);

    /**
     * S (weighted, summed in double; cols rows of stride entries) in the tier's type and in the layout that this
     * kernel's {@link #project} reads: s itself in the plain double loops (the caller must not write s afterwards),
     * else a new array.
     */
    F products(double[] s, int cols, int stride);

    /** A short name: "scalar", "vector(f64xL)" or "vector(f32xL)". */
    String name();

    /** The fastest float64 kernel this JVM can run. */
    PolyKernel<double[]> FLOAT64 = load("org.promptlimits.attention.fast.VectorPolyF64", ScalarPolyF64.INSTANCE);

    /** The fastest float32 kernel this JVM can run. */
    PolyKernel<float[]> FLOAT32 = load("org.promptlimits.attention.fast.VectorPolyF32", ScalarPolyF32.INSTANCE);

    /** The Vector API kernel {@code className} when the module is present (and not switched off), else the fallback. */
    @SuppressWarnings("unchecked")
    private static <F> PolyKernel<F> load(String className, PolyKernel<F> fallback) {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
                && !"false".equals(System.getProperty("promptlimits.vector"))) {
            try {
                return (PolyKernel<F>) Class.forName(className).getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                return fallback;
            }
        }
        return fallback;
    }
}
