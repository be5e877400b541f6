package org.promptlimits.quantize;

import org.promptlimits.check.Require;
import org.promptlimits.core.Matrices;
import org.promptlimits.core.Tokens;
import org.promptlimits.precision.Budget;

import java.util.function.UnaryOperator;

/**
 * A sequence-to-sequence target {@code f : [0,1]^{d×L} → [0,1]^{d×L}} with a declared Lipschitz constant
 * in the entrywise p-norm, {@code ‖f(X) − f(X')‖_p ≤ L_f ‖X − X'‖_p}. theory §1 [P].
 *
 * <p>{@link #of} runs a {@link LipschitzSpotCheck} and refuses a declared constant it refutes, showing the
 * counterexample. {@link #apply} checks the input and the output (shape, finite, inside [0, 1]) on every
 * call, so a target that misbehaves fails loudly instead of feeding a construction garbage. Immutable.
 */
public final class Seq2Seq {

    /** Number of pairs the spot-check in {@link #of} tries. */
    public static final int DEFAULT_SPOT_CHECK_PAIRS = 400;

    private final String name;
    private final int d;
    private final int length;
    private final double p;
    private final double lipschitz;
    private final UnaryOperator<double[][]> fn;

    private Seq2Seq(String name, int d, int length, double p, double lipschitz, UnaryOperator<double[][]> fn) {
        this.name = Require.notNull("name", name);
        requireShape(d, length, p);
        this.d = d;
        this.length = length;
        this.p = p;
        this.lipschitz = Require.positive("lipschitz", lipschitz);
        this.fn = Require.notNull("fn", fn);
    }

    /**
     * A target with a declared Lipschitz constant, spot-checked on {@value #DEFAULT_SPOT_CHECK_PAIRS} pairs
     * (seed 0) before it is accepted.
     *
     * @param name      a short name for tables and plots
     * @param d         token dimension ≥ 1
     * @param L         sequence length ≥ 1
     * @param p         the norm exponent, 1 ≤ p &lt; ∞
     * @param lipschitz the declared L_f &gt; 0
     * @param fn        the map; it receives a copy of X and must return a new d×L array with entries in [0,1]
     * @throws IllegalArgumentException if the spot-check finds a pair with ratio above L_f (the message shows it),
     *                                  or fn returns a wrong shape, a non-finite value or a value outside [0, 1]
     */
    public static Seq2Seq of(String name, int d, int L, double p, double lipschitz, UnaryOperator<double[][]> fn) {
        Seq2Seq f = new Seq2Seq(name, d, L, p, lipschitz, fn);
        LipschitzSpotCheck.Result r = LipschitzSpotCheck.search(f, DEFAULT_SPOT_CHECK_PAIRS, 0L);
        if (r.refutes()) {
            throw new IllegalArgumentException("lipschitz (" + lipschitz + ") must bound ‖f(X) − f(X')‖_p / ‖X − X'‖_p for "
                    + name + "; counterexample " + r.describePair());
        }
        return f;
    }

    /**
     * d ≥ 1, L ≥ 1, 1 ≤ p &lt; ∞, and d×L small enough for the spot check of {@value #DEFAULT_SPOT_CHECK_PAIRS}
     * pairs (4 d×L arrays per pair) within {@link Budget#DEFAULT}'s cells.
     */
    static void requireShape(int d, int L, double p) {
        Require.positive("d", d);
        Require.positive("L", L);
        Require.finite("p", p);
        Require.that(p >= 1, "p (" + p + ") must be >= 1");
        LipschitzSpotCheck.requireCells(d, L, DEFAULT_SPOT_CHECK_PAIRS, Budget.DEFAULT, "lower d or L");
    }

    public String name() {
        return name;
    }

    public int d() {
        return d;
    }

    /** The sequence length L. */
    public int length() {
        return length;
    }

    /** The norm exponent p. */
    public double p() {
        return p;
    }

    /** The declared Lipschitz constant L_f. */
    public double lipschitz() {
        return lipschitz;
    }

    /**
     * f(X).
     *
     * @param x d×L with entries in [0, 1]. Not modified.
     * @return a new d×L array with entries in [0, 1]
     * @throws IllegalArgumentException if x or the value of f breaks the contract
     */
    public double[][] apply(double[][] x) {
        Tokens.requireShape("X", x, d, length);
        for (int i = 0; i < d; i++) {
            for (int l = 0; l < length; l++) {
                if (!(x[i][l] >= 0 && x[i][l] <= 1)) {
                    throw new IllegalArgumentException("X[" + i + "][" + l + "] (" + x[i][l] + ") must be in [0, 1]");
                }
            }
        }
        double[][] y = fn.apply(Matrices.copy(x));
        if (y == null) {
            throw new IllegalArgumentException("f (" + name + ") returned null; it must return a d×L array");
        }
        if (y.length != d || (y.length > 0 && y[0] != null && y[0].length != length)) {
            throw new IllegalArgumentException("f(X) (" + name + ") has shape " + y.length + "×"
                    + (y.length > 0 && y[0] != null ? y[0].length : 0) + " but must be d×L = " + d + "×" + length);
        }
        Tokens.requireShape("f(X)", y, d, length);
        for (int i = 0; i < d; i++) {
            for (int l = 0; l < length; l++) {
                if (!(y[i][l] >= 0 && y[i][l] <= 1)) {
                    throw new IllegalArgumentException("f(X)[" + i + "][" + l + "] (" + y[i][l] + ") of " + name
                            + " must be in [0, 1]");
                }
            }
        }
        return y == x ? Matrices.copy(y) : y;
    }

    /** This function as an operator (for distance estimates). */
    public UnaryOperator<double[][]> asOperator() {
        return this::apply;
    }

    @Override
    public String toString() {
        return name + " (d=" + d + ", L=" + length + ", L_f=" + lipschitz + ", p=" + p + ")";
    }
}
