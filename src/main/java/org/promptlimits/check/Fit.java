package org.promptlimits.check;

/**
 * A least-squares line y = intercept + slope·x with a two-sided 95% confidence interval for the slope.
 *
 * <p>The interval is slope ± t_{0.975, n−2} · se, with se² = Σ(y − ŷ)² / ((n − 2) Σ(x − x̄)²), the textbook
 * interval under independent errors of equal variance. Timings on a shared machine violate both assumptions
 * mildly; the interval is a statement about the data at hand, never a pass/fail.
 *
 * @param slope     fitted slope
 * @param intercept fitted intercept
 * @param low       lower end of the 95% confidence interval of the slope
 * @param high      upper end
 * @param points    number of (x, y) points, ≥ 3
 */
public record Fit(double slope, double intercept, double low, double high, int points) {

    /** The least-squares line through (x_i, y_i). Neither array is modified. */
    public static Fit line(double[] x, double[] y) {
        Require.allFinite("x", x);
        Require.allFinite("y", y);
        Require.that(x.length == y.length, "x has " + x.length + " values but y has " + y.length);
        int n = x.length;
        Require.that(n >= 3, "x (" + n + " points) must have at least 3 points for a slope with a confidence interval");
        double mx = 0, my = 0;
        for (int i = 0; i < n; i++) {
            mx += x[i];
            my += y[i];
        }
        mx /= n;
        my /= n;
        double sxx = 0, sxy = 0;
        for (int i = 0; i < n; i++) {
            sxx += (x[i] - mx) * (x[i] - mx);
            sxy += (x[i] - mx) * (y[i] - my);
        }
        Require.that(sxx > 0, "x must not be constant: a slope needs at least two distinct x values");
        double slope = sxy / sxx;
        double intercept = my - slope * mx;
        double sse = 0;
        for (int i = 0; i < n; i++) {
            double r = y[i] - intercept - slope * x[i];
            sse += r * r;
        }
        double se = Math.sqrt(sse / (n - 2) / sxx);
        double t = tQuantile975(n - 2);
        Require.that(Double.isFinite(slope) && Double.isFinite(intercept) && Double.isFinite(t * se), "the fit of y"
                + " against x (slope " + slope + ", half-width " + t * se + ") must be finite: the values of x and y"
                + " are finite but their squares overflow double; rescale them");
        return new Fit(slope, intercept, slope - t * se, slope + t * se, n);
    }

    /** A log-log fit: the slope of log y against log x (for times against sizes, the empirical exponent). */
    public static Fit powerLaw(double[] x, double[] y) {
        return line(log("x", x), log("y", y));
    }

    private static double[] log(String name, double[] v) {
        Require.allFinite(name, v);
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            Require.that(v[i] > 0, name + "[" + i + "] (" + v[i] + ") must be > 0 for a log-log fit");
            out[i] = Math.log(v[i]);
        }
        return out;
    }

    private static final double[] T975 = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
            2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060,
            2.056, 2.052, 2.048, 2.045, 2.042};

    /**
     * The 0.975 quantile of Student's t with {@code df} degrees of freedom: tabulated (3 decimals) up to 30,
     * beyond by the Cornish–Fisher expansion around z = 1.959964 (error below 1e-3 there).
     */
    static double tQuantile975(int df) {
        Require.positive("df", df);
        if (df <= T975.length) {
            return T975[df - 1];
        }
        double z = 1.959963984540054, z3 = z * z * z, z5 = z3 * z * z;
        return z + (z3 + z) / (4.0 * df) + (5 * z5 + 16 * z3 + 3 * z) / (96.0 * df * df);
    }

    /** Whether the 95% interval contains {@code value}. */
    public boolean contains(double value) {
        return low <= value && value <= high;
    }

    /** "1.97 (95% CI 1.91 … 2.03, 6 points)". */
    @Override
    public String toString() {
        return Format.number(slope) + " (95% CI " + Format.number(low) + " … " + Format.number(high) + ", "
                + points + " points)";
    }
}
