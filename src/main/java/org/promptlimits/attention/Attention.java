package org.promptlimits.attention;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.promptlimits.check.Require;

/**
 * An attention algorithm: out = D^{−1} A V with A = exp(β Q K^T), D = diag(A 1), computed exactly or
 * approximately. theory §7. Rows are tokens: Q is n×d (queries), K is m×d (keys), V is m×dv (values), out is n×dv.
 *
 * <p>This is the operations tier (EJML style): flat row-major double arrays owned by the caller, no
 * allocation of the output. Every implementation passes the same contract suite against the float64
 * reference {@link org.promptlimits.attention.exact.ReferenceAttention}.
 */
public interface Attention {

    /** A short name for tables and benchmarks, e.g. "exact-blocked(vector)". */
    String name();

    /**
     * Writes out = softmax_rows(β Q K^T) V.
     *
     * @param n    number of query rows, ≥ 1
     * @param m    number of key rows, ≥ 1
     * @param d    query/key dimension, ≥ 1
     * @param dv   value dimension, ≥ 1
     * @param q    n×d row-major. Not modified.
     * @param k    m×d row-major. Not modified.
     * @param v    m×dv row-major. Not modified.
     * @param beta β &gt; 0, finite
     * @param out  n×dv row-major. Modified.
     * @throws IllegalArgumentException if a length does not match its shape, or beta is not finite and positive
     */
    void attend(int n, int m, int d, int dv, double[] q, double[] k, double[] v, double beta, double[] out);

    /** The output for an APTI instance: n×d row-major, a new array. */
    default double[] attend(Apti p) {
        Require.notNull("p", p);
        double[] out = new double[p.n() * p.d()];
        attend(p.n(), p.n(), p.d(), p.d(), p.q(), p.k(), p.v(), p.beta(), out);
        return out;
    }

    /** The output for an APTI instance as a new n×d ND4J matrix (float64). */
    default INDArray attendMatrix(Apti p) {
        Require.notNull("p", p);
        return Nd4j.create(attend(p), new long[] {p.n(), p.d()}, DataType.DOUBLE);
    }

    /** Checks the shapes of an {@link #attend} call; shared by every implementation. */
    static void requireShapes(int n, int m, int d, int dv, double[] q, double[] k, double[] v, double beta,
                              double[] out) {
        requireArrays(n, m, d, dv, q, k, v, beta);
        requireLength("out", out, n, dv);
    }

    /** {@link #requireShapes} without the output array (for calls that allocate their own). */
    static void requireInputs(int n, int m, int d, int dv, double[] q, double[] k, double[] v, double beta) {
        requireArrays(n, m, d, dv, q, k, v, beta);
    }

    /** Sizes positive, β positive, q, k, v non-null of n×d, m×d, m×dv entries (double[] or float[]). */
    private static void requireArrays(int n, int m, int d, int dv, Object q, Object k, Object v, double beta) {
        Require.positive("n", n);
        Require.positive("m", m);
        Require.positive("d", d);
        Require.positive("dv", dv);
        Require.positive("beta", beta);
        requireLength("q", q, n, d);
        requireLength("k", k, m, d);
        requireLength("v", v, m, dv);
    }

    private static void requireLength(String name, Object a, int rows, int cols) {
        Require.notNull(name, a);
        int len = a instanceof double[] ? ((double[]) a).length : ((float[]) a).length;
        Require.that((long) rows * cols == len, name + " has " + len + " entries but must be " + rows + "x"
                + cols + " = " + (long) rows * cols);
    }

    /** {@link #requireShapes} for float32 arrays. */
    static void requireShapes(int n, int m, int d, int dv, float[] q, float[] k, float[] v, double beta,
                              float[] out) {
        requireArrays(n, m, d, dv, q, k, v, beta);
        requireLength("out", out, n, dv);
    }
}
