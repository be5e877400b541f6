package org.promptlimits.attention.fast;

import org.promptlimits.check.Format;
import org.promptlimits.check.Require;

/**
 * The Taylor polynomial P_g(x) = Σ_{t≤g} x^t/t! of e^x and the degree that makes it ε-accurate on [−R, R].
 * theory §7 [L]. By Lagrange's remainder P_g(x) − e^x = −e^ξ x^{g+1}/(g+1)! for some ξ between 0 and x: for
 * x ≥ 0, e^ξ ≤ e^x and the relative error is at most x^{g+1}/(g+1)!; for x &lt; 0, e^ξ ≤ 1 and e^{−x} ≤ e^R, so
 * it is at most R^{g+1} e^{R}/(g+1)!. Hence |P_g(x) − e^x| ≤ ε(g, R)·e^x on [−R, R] with
 * ε(g, R) = R^{g+1} e^{R}/(g+1)! (the factor e^{2R} of the looser bound |x|^{g+1}e^{|x|}/(g+1)! ÷ e^{−R} is not needed).
 */
public final class Taylor {

    /** The largest degree searched; beyond it the rank C(g+d, d) is out of any budget anyway. */
    public static final int MAX_DEGREE = 400;

    private Taylor() {
    }

    /** P_g(x) = Σ_{t≤g} x^t/t!, summed in Horner form. */
    public static double polynomial(int g, double x) {
        Require.inRange("g", g, 0, MAX_DEGREE);
        Require.finite("x", x);
        double p = 1;
        for (int t = g; t >= 1; t--) {
            p = 1 + p * x / t;
        }
        return Require.finiteResult("P_g(x)", p, "x (" + x + ") is too large for degree g = " + g);
    }

    /**
     * ε(g, R) = R^{g+1} e^{R}/(g+1)!, the proven relative error of P_g on [−R, R]; computed in log space.
     * May exceed 1 (the bound is then vacuous).
     */
    public static double relativeError(int g, double scoreBound) {
        Require.nonNegative("g", g);
        Require.nonNegative("R", scoreBound);
        if (scoreBound == 0) {
            return 0;
        }
        double log = logRelativeError(g, scoreBound);
        Require.that(log < Math.log(Double.MAX_VALUE), "the bound R^{g+1}e^R/(g+1)! for g = " + g + ", R = "
                + scoreBound + " (10^" + Format.number(log / Math.log(10)) + ") must be within the double range;"
                + " lower R");
        return Math.exp(log);
    }

    private static double logRelativeError(int g, double scoreBound) {
        return scoreBound == 0 ? Double.NEGATIVE_INFINITY
                : (g + 1.0) * Math.log(scoreBound) + scoreBound - logFactorial(g + 1L);
    }

    /**
     * The degree g = min{g : R^{g+1} e^{R}/(g+1)! ≤ ε}. theory §7 [L].
     *
     * @throws IllegalArgumentException if ε is not in (0, 1), R &lt; 0, or no degree up to
     *                                  {@value #MAX_DEGREE} suffices
     */
    public static int degree(double scoreBound, double epsilon) {
        Require.nonNegative("R", scoreBound);
        Require.inOpen("epsilon", epsilon, 0, 1);
        for (int g = 0; g <= MAX_DEGREE; g++) {
            if (Math.exp(logRelativeError(g, scoreBound)) <= epsilon) { // +∞ beyond the double range: not yet
                return g;
            }
        }
        throw new IllegalArgumentException("R (" + scoreBound + ") must be small enough that a Taylor degree <= "
                + MAX_DEGREE + " reaches epsilon = " + epsilon + "; lower B or beta, or raise deltaF");
    }

    /** ln k!: summed exactly up to k = 1000, Stirling's series beyond (relative error below 1e-15 there). */
    static double logFactorial(long k) {
        if (k > 1000) {
            double x = k;
            return x * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI * x) + 1 / (12 * x) - 1 / (360 * x * x * x);
        }
        double s = 0;
        for (int i = 2; i <= k; i++) {
            s += Math.log(i);
        }
        return s;
    }
}
