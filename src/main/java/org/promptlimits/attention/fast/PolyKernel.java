package org.promptlimits.attention.fast;

/**
 * The two products of the polynomial method on one block of rows, feature-major (EJML-style ops tier):
 * S += W_blockᵀ [V 1]_block and U_block S. {@link ScalarPoly} is the fallback; {@link #INSTANCE} is the
 * Vector API version when the module {@code jdk.incubator.vector} is in the boot layer.
 */
interface PolyKernel {

    /**
     * s[c·r + a] += Σ_{i<b} wt[a·stride + i] · vt[c·stride + i] for a &lt; r, c &lt; cols.
     */
    void accumulate(int r, int cols, int b, int stride, double[] wt, double[] vt, double[] s);

    /**
     * acc[c·stride + i] = Σ_{a<r} ut[a·stride + i] · s[c·r + a] for i &lt; b, c &lt; cols.
     */
    void project(int r, int cols, int b, int stride, double[] ut, double[] s, double[] acc);

    /**
     * The raw monomials of a block, feature-major: dst[i] = 1 and dst[a·stride + i] = dst[parent[a]·stride + i] ·
     * xt[variable[a]·stride + i] for 1 ≤ a &lt; r, i &lt; b (parents come before their children).
     */
    void monomials(int r, int[] parent, int[] variable, int b, int stride, double[] xt, double[] dst);

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
