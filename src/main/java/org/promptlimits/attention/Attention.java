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

    /**
     * out = softmax_rows(β Q Kᵀ) V for ND4J matrices, rows are tokens. Nothing else is asked: exact attention needs
     * neither APTI's entry bound B nor its accuracy δF, so an instance's Q_p, K_p, V_p (e.g. from
     * {@link Apti#queries()}, or from a model) are attended as they are. Not modified.
     *
     * @param q    n×d queries
     * @param k    m×d keys
     * @param v    m×dv values
     * @param beta β &gt; 0, finite
     * @return a new n×dv float64 matrix
     * @throws IllegalArgumentException if a matrix is not 2-D, the shapes do not match, or an entry is not finite
     */
    default INDArray attend(INDArray q, INDArray k, INDArray v, double beta) {
        long[] qs = matrixShape("q", q);
        long[] ks = matrixShape("k", k);
        long[] vs = matrixShape("v", v);
        Require.that(ks[1] == qs[1], "k has " + ks[1] + " columns but q has " + qs[1] + " (both d)");
        Require.that(vs[0] == ks[0], "v has " + vs[0] + " rows but k has " + ks[0] + " (both m, one per key)");
        Require.that(qs[0] * vs[1] <= Integer.MAX_VALUE, "output (" + qs[0] + "x" + vs[1] + ") must have fewer than"
                + " 2^31 entries");
        double[] qa = finiteRows("q", q);
        double[] ka = finiteRows("k", k);
        double[] va = finiteRows("v", v);
        double[] out = new double[(int) (qs[0] * vs[1])];
        attend((int) qs[0], (int) ks[0], (int) qs[1], (int) vs[1], qa, ka, va, beta, out);
        return Nd4j.create(out, new long[] {qs[0], vs[1]}, DataType.DOUBLE);
    }

    private static long[] matrixShape(String name, INDArray a) {
        Require.notNull(name, a);
        Require.that(a.rank() == 2, name + " has rank " + a.rank() + " but must be a matrix (rank 2, rows are tokens)");
        long[] shape = a.shape();
        Require.that(shape[0] >= 1 && shape[1] >= 1, name + " (" + shape[0] + "x" + shape[1] + ") must not be empty");
        Require.that(shape[0] * shape[1] <= Integer.MAX_VALUE, name + " (" + shape[0] + "x" + shape[1]
                + ") must have fewer than 2^31 entries");
        return shape;
    }

    private static double[] finiteRows(String name, INDArray a) {
        return Require.allFinite(name, a.dup('c').castTo(DataType.DOUBLE).data().asDouble());
    }

    /** Checks the shapes of an {@link #attend} call; shared by every implementation. */
    static void requireShapes(int n, int m, int d, int dv, double[] q, double[] k, double[] v, double beta,
                              double[] out) {
        requireArrays(n, m, d, dv, q, k, v, beta);
        requireLength("out", out, "n", n, "dv", dv);
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
        requireLength("q", q, "n", n, "d", d);
        requireLength("k", k, "m", m, "d", d);
        requireLength("v", v, "m", m, "dv", dv);
    }

    // the message is built only when refusing: built on every call, in code that a few calls per second leave cold,
    // the four messages took 30-120 µs per call (a two-thread call at n = 1024 takes 1.5-2 ms)
    private static void requireLength(String name, Object a, String rowName, int rows, String colName, int cols) {
        Require.notNull(name, a);
        int len = a instanceof double[] ? ((double[]) a).length : ((float[]) a).length;
        if ((long) rows * cols != len) {
            throw new IllegalArgumentException(name + " has " + len + " entries but must have " + rowName + "·"
                    + colName + " = " + rows + "·" + cols + " = " + (long) rows * cols + " (" + rowName + " = " + rows
                    + " rows of " + colName + " = " + cols + ")");
        }
    }

    /** {@link #requireShapes} for float32 arrays. */
    static void requireShapes(int n, int m, int d, int dv, float[] q, float[] k, float[] v, double beta,
                              float[] out) {
        requireArrays(n, m, d, dv, q, k, v, beta);
        requireLength("out", out, "n", n, "dv", dv);
    }
}
