package org.promptlimits.attention;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.promptlimits.check.Require;
import org.promptlimits.precision.Budget;

import java.util.Random;
import java.util.random.RandomGenerator;

/**
 * An APTI problem APTI(d, L, Lp, B, δF): queries, keys and values Q_p, K_p, V_p ∈ R^{n×d} whose entries
 * satisfy ‖·‖_max ≤ B, an inverse temperature β and a target accuracy δF. A solution is any Z with
 * ‖Z − D^{−1} A V_p‖_max ≤ δF, where A = exp(β Q_p K_p^T) and D = diag(A 1). theory §7 [P].
 *
 * <p>Rows are tokens here (n = Lp + L rows, the first Lp induced by the soft prompt), as in the paper's
 * statement of APTI; the rest of the library keeps tokens as columns. The entry bound of the scores is
 * R = β d B². Arrays are copied in at the factory and out at the accessors, so an instance is immutable.
 *
 * @param n      number of rows (tokens), ≥ 1
 * @param d      head dimension, ≥ 1
 * @param q      Q_p as n×d row-major entries
 * @param k      K_p as n×d row-major entries
 * @param v      V_p as n×d row-major entries
 * @param bound  B, the entry bound, &gt; 0
 * @param deltaF δF, the target accuracy, in (0, 1)
 * @param beta   β, the inverse temperature (1/d or 1 in the paper), &gt; 0
 */
public record Apti(int n, int d, double[] q, double[] k, double[] v, double bound, double deltaF, double beta) {

    /** Validates shapes, finiteness and ‖·‖_max ≤ B; copies the arrays in. */
    public Apti {
        Require.positive("n", n);
        Require.positive("d", d);
        Require.positive("B", bound);
        Require.inOpen("deltaF", deltaF, 0, 1);
        Require.positive("beta", beta);
        scoreBound(bound, beta, d);
        q = checked("Q_p", q, n, d, bound).clone();
        k = checked("K_p", k, n, d, bound).clone();
        v = checked("V_p", v, n, d, bound).clone();
    }

    /**
     * The APTI instance with the given ND4J matrices (n×d each, rows are tokens). Not modified.
     *
     * @throws IllegalArgumentException if a matrix is not n×d with the same n and d, has a non-finite entry
     *                                  or an entry larger than B in absolute value, or a parameter is out of range
     */
    public static Apti of(INDArray q, INDArray k, INDArray v, double bound, double deltaF, double beta) {
        long[] shape = shape("Q_p", q);
        requireShape("K_p", k, shape);
        requireShape("V_p", v, shape);
        Require.that(shape[0] <= Integer.MAX_VALUE / Math.max(1, shape[1]),
                "Q_p (" + shape[0] + "x" + shape[1] + ") must have fewer than 2^31 entries");
        int n = (int) shape[0];
        int d = (int) shape[1];
        return new Apti(n, d, rows("Q_p", q), rows("K_p", k), rows("V_p", v), bound, deltaF, beta);
    }

    /**
     * The APTI instance after dividing every matrix by one factor s ≥ 1 so that ‖·‖_max ≤ B: the explicit
     * opt-in for inputs larger than B. The scores β⟨q,k⟩ shrink by s² and the values by s; the
     * caller multiplies the output by s to undo the value scaling. Not modified.
     *
     * @return the rescaled instance; {@link #rescale()} of it is s
     */
    public static Scaled rescaledToBound(INDArray q, INDArray k, INDArray v, double bound, double deltaF,
                                         double beta) {
        long[] shape = shape("Q_p", q);
        requireShape("K_p", k, shape);
        requireShape("V_p", v, shape);
        double[] qa = rows("Q_p", q);
        double[] ka = rows("K_p", k);
        double[] va = rows("V_p", v);
        Require.positive("B", bound);
        double max = Math.max(maxAbs("Q_p", qa), Math.max(maxAbs("K_p", ka), maxAbs("V_p", va)));
        double s = Math.max(1.0, max / bound);
        if (s > 1) {
            scale(qa, 1 / s);
            scale(ka, 1 / s);
            scale(va, 1 / s);
        }
        return new Scaled(new Apti((int) shape[0], (int) shape[1], qa, ka, va, bound, deltaF, beta), s);
    }

    /** An APTI instance and the factor s its inputs were divided by. */
    public record Scaled(Apti problem, double rescale) {
    }

    /**
     * A seeded random instance with entries uniform in [−B, B]: a reproducible example for notebooks and tests.
     */
    public static Apti random(int n, int d, double bound, double deltaF, double beta, long seed) {
        Require.positive("n", n);
        Require.positive("d", d);
        Require.positive("B", bound);
        Require.that((long) n * d <= Integer.MAX_VALUE, "n*d (" + (long) n * d + ") must be < 2^31");
        Budget.DEFAULT.requireArray("random APTI instance (Q, K, V: 3·n·d doubles)", Double.BYTES,
                Budget.orMoreHeap("lower n or d"), 3, n, d);
        RandomGenerator rnd = new Random(seed);
        double[][] m = new double[3][n * d];
        for (double[] a : m) {
            for (int i = 0; i < a.length; i++) {
                a[i] = bound * (2 * rnd.nextDouble() - 1);
            }
        }
        return new Apti(n, d, m[0], m[1], m[2], bound, deltaF, beta);
    }

    /** R = β d B², the bound on |β⟨q, k⟩| for rows with entries in [−B, B]. theory §7. */
    public double scoreBound() {
        return scoreBound(bound, beta, d);
    }

    /**
     * R = β d B², refused when it overflows double (B = 1e200 gives R = ∞, and every bound derived from R with it):
     * {@code R = βdB² (Infinity for B = 1.0E200, beta = 1.0, d = 2) must be finite; lower B or beta}.
     */
    public static double scoreBound(double bound, double beta, int d) {
        double r = beta * d * bound * bound;
        Require.that(Double.isFinite(r), "R = βdB² (" + r + " for B = " + bound + ", beta = " + beta + ", d = " + d
                + ") must be finite; lower B or beta");
        return r;
    }

    /** ‖V_p‖_max, measured (at most B). */
    public double valueMax() {
        return maxAbs("V_p", v);
    }

    /** Q_p row-major, a copy. */
    @Override
    public double[] q() {
        return q.clone();
    }

    /** K_p row-major, a copy. */
    @Override
    public double[] k() {
        return k.clone();
    }

    /** V_p row-major, a copy. */
    @Override
    public double[] v() {
        return v.clone();
    }

    /** Q_p as a new n×d ND4J matrix (float64). */
    public INDArray queries() {
        return matrix(q);
    }

    /** K_p as a new n×d ND4J matrix (float64). */
    public INDArray keys() {
        return matrix(k);
    }

    /** V_p as a new n×d ND4J matrix (float64). */
    public INDArray values() {
        return matrix(v);
    }

    private INDArray matrix(double[] a) {
        return Nd4j.create(a.clone(), new long[] {n, d}, DataType.DOUBLE);
    }

    @Override
    public String toString() {
        return "APTI(n=" + n + ", d=" + d + ", B=" + bound + ", deltaF=" + deltaF + ", beta=" + beta
                + ", R=" + scoreBound() + ")";
    }

    // ---------------------------------------------------------------- boundary helpers

    /** The entries of an n×d ND4J matrix in row-major order, as a new double[]. Not modified. */
    public static double[] rows(INDArray m) {
        return rows("m", m);
    }

    private static double[] rows(String name, INDArray m) {
        shape(name, m);
        return Require.allFinite(name, m.dup('c').castTo(DataType.DOUBLE).data().asDouble());
    }

    private static long[] shape(String name, INDArray m) {
        Require.notNull(name, m);
        Require.that(m.rank() == 2, name + " (rank " + m.rank() + ") must be a matrix (rank 2)");
        long[] s = m.shape();
        Require.that(s[0] > 0 && s[1] > 0, name + " (" + s[0] + "x" + s[1] + ") must be non-empty");
        return s;
    }

    private static void requireShape(String name, INDArray m, long[] expected) {
        long[] s = shape(name, m);
        Require.that(s[0] == expected[0] && s[1] == expected[1], name + " has shape " + s[0] + "x" + s[1]
                + " but Q_p has shape " + expected[0] + "x" + expected[1] + "; Q_p, K_p, V_p must all be n x d");
    }

    private static double[] checked(String name, double[] a, int n, int d, double bound) {
        Require.notNull(name, a);
        Require.that((long) n * d == a.length,
                name + " has " + a.length + " entries but n*d = " + n + "*" + d + " = " + (long) n * d);
        for (int i = 0; i < a.length; i++) {
            double x = a[i];
            if (!Double.isFinite(x)) {
                throw new IllegalArgumentException(name + "[" + i / d + "][" + i % d + "] (" + x + ") must be finite");
            }
            if (!(Math.abs(x) <= bound)) {
                throw new IllegalArgumentException(name + "[" + i / d + "][" + i % d + "] (" + x
                        + ") must satisfy |x| <= B = " + bound
                        + "; raise B or use Apti.rescaledToBound to divide the inputs by a common factor");
            }
        }
        return a;
    }

    private static double maxAbs(String name, double[] a) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            Require.finite(name + "[" + i + "]", a[i]);
            m = Math.max(m, Math.abs(a[i]));
        }
        return m;
    }

    private static void scale(double[] a, double s) {
        for (int i = 0; i < a.length; i++) {
            a[i] *= s;
        }
    }
}
