package org.promptlimits.attention.fast;

/**
 * The inner loops of the polynomial method on one block of b rows, row-major with the features as the inner
 * index (f[i·stride + a], a &lt; stride; stride a multiple of {@link #PAD}, features beyond the rank are zero):
 * the monomials of the rows, S += Fᵀ [V 1] and F S. {@link ScalarPoly} is the fallback and the statement of
 * what they compute; {@link #INSTANCE} is the Vector API version when the module {@code jdk.incubator.vector} is
 * in the boot layer.
 */
interface PolyKernel {

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
     * dst[i·stride + dst_s + k] = dst[i·stride + src_s + k] · x[xOff + i·d + var_s] for k &lt; len_s.
     */
    void monomials(int[] segDst, int[] segSrc, int[] segLen, int[] segVar, double[] x, int xOff, int d, int b,
                   double[] dst, int stride);

    /**
     * s[c·stride + a] += Σ_{i&lt;b} f[i·stride + a] · v[i·cols + c] for a &lt; stride, c &lt; cols (the block's sum
     * formed on its own, from zero, then added).
     */
    void accumulate(int stride, int cols, int b, double[] f, double[] v, double[] s);

    /**
     * out[i·cols + c] = Σ_{a&lt;stride} f[i·stride + a] · s[c·stride + a] for i &lt; b, c &lt; cols; scratch holds at
     * least b·cols·8 doubles.
     */
    void project(int stride, int cols, int b, double[] f, double[] s, double[] out, double[] scratch);

    /** {@link #monomials} in float32: x rounded to float, the products rounded to float. */
    void monomials(int[] segDst, int[] segSrc, int[] segLen, int[] segVar, double[] x, int xOff, int d, int b,
                   float[] dst, int stride);

    /**
     * {@link #accumulate} with float32 features and values: the block's sums formed in float (at most b terms), then
     * added into s in double.
     */
    void accumulate(int stride, int cols, int b, float[] f, float[] v, double[] s);

    /**
     * {@link #project} with float32 features and S: runs of at most {@link #RUN} terms summed in float, the runs
     * added in double; scratch holds at least b·cols·16 doubles.
     */
    void project(int stride, int cols, int b, float[] f, float[] s, double[] out, double[] scratch);

    /** A short name: "scalar" or "vector(f64xL)". */
    String name();

    /** The fastest kernel this JVM can run. */
    PolyKernel INSTANCE = load();

    private static PolyKernel load() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
                && !"false".equals(System.getProperty("promptlimits.vector"))) {
            try {
                return (PolyKernel) Class.forName("org.promptlimits.attention.fast.VectorPoly")
                        .getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                return ScalarPoly.INSTANCE;
            }
        }
        return ScalarPoly.INSTANCE;
    }
}
