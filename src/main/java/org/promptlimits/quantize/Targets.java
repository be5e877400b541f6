package org.promptlimits.quantize;

import org.promptlimits.check.Require;

import java.util.List;

/**
 * A small catalogue of Lipschitz sequence-to-sequence targets {@code [0,1]^{d×L} → [0,1]^{d×L}} with their
 * Lipschitz constants in the entrywise p-norm, for notebooks and tests. theory §1, §4.
 *
 * <p>Each constant is proved in the javadoc of its factory and spot-checked by {@link Seq2Seq#of}.
 */
public final class Targets {

    private Targets() {
    }

    /**
     * Token-wise affine map {@code f(X)_{il} = a·x_{il} + b}. L_f = |a| (each entry moves by |a| times its input).
     *
     * @param a slope in [−1, 1]
     * @param b offset with a·x + b ∈ [0, 1] for x ∈ [0, 1]: b ∈ [0, 1−a] if a ≥ 0, b ∈ [−a, 1] if a &lt; 0
     */
    public static Seq2Seq tokenwiseAffine(int d, int L, double p, double a, double b) {
        Seq2Seq.requireShape(d, L, p);
        Require.that(a >= -1 && a <= 1 && a != 0, "a (" + a + ") must be in [-1, 1] and non-zero");
        double lo = Math.min(b, a + b);
        double hi = Math.max(b, a + b);
        Require.that(lo >= 0 && hi <= 1, "b (" + b + ") must keep a·x + b in [0, 1] for x in [0, 1] (a = " + a + ")");
        return Seq2Seq.of("affine " + a + "·x+" + b, d, L, p, Math.abs(a), x -> {
            for (double[] row : x) {
                for (int l = 0; l < row.length; l++) {
                    row[l] = clamp(a * row[l] + b);
                }
            }
            return x;
        });
    }

    /**
     * Causal moving average over positions, {@code y_l = mean(x_{l−w+1}, …, x_l)} (fewer terms at the start),
     * per coordinate. Its averaging matrix M has row sums 1 and largest column sum s = Σ_{j=1}^{min(w,L)} 1/j
     * for the first column's weights, so by Riesz–Thorin {@code ‖M‖_p ≤ s^{1/p}}: L_f = s^{1/p}.
     *
     * @param window w ≥ 1
     */
    public static Seq2Seq movingAverage(int d, int L, double p, int window) {
        Require.positive("window", window);
        Seq2Seq.requireShape(d, L, p);
        double[] colSum = new double[L];
        for (int l = 0; l < L; l++) {
            int from = Math.max(0, l - window + 1);
            for (int j = from; j <= l; j++) {
                colSum[j] += 1.0 / (l - from + 1);
            }
        }
        double s = 0;
        for (double c : colSum) {
            s = Math.max(s, c);
        }
        return Seq2Seq.of("moving average w=" + window, d, L, p, Math.pow(s, 1 / p) * (1 + 1e-12), x -> {
            double[][] y = new double[x.length][L];
            for (int i = 0; i < x.length; i++) {
                for (int l = 0; l < L; l++) {
                    int from = Math.max(0, l - window + 1);
                    double sum = 0;
                    for (int j = from; j <= l; j++) {
                        sum += x[i][j];
                    }
                    y[i][l] = clamp(sum / (l - from + 1));
                }
            }
            return y;
        });
    }

    /**
     * Cumulative maximum over positions, {@code y_l = max_{j ≤ l} x_j} per coordinate. Each output entry moves
     * by at most {@code max_j |Δx_j|}, so {@code ‖Δy‖_p^p ≤ L·‖Δx‖_p^p}: L_f = L^{1/p} (attained by changing x_0 only).
     */
    public static Seq2Seq cumulativeMax(int d, int L, double p) {
        Seq2Seq.requireShape(d, L, p);
        return Seq2Seq.of("cumulative max", d, L, p, Math.pow(L, 1 / p) * (1 + 1e-12), x -> {
            double[][] y = new double[x.length][L];
            for (int i = 0; i < x.length; i++) {
                double m = 0;
                for (int l = 0; l < L; l++) {
                    m = Math.max(m, x[i][l]);
                    y[i][l] = m;
                }
            }
            return y;
        });
    }

    /**
     * Shift right by one position, {@code y_0 = 1/2}, {@code y_l = x_{l−1}}. It drops the last column and
     * moves the others, so L_f = 1.
     */
    public static Seq2Seq shift(int d, int L, double p) {
        Seq2Seq.requireShape(d, L, p);
        return Seq2Seq.of("shift right", d, L, p, 1, x -> {
            double[][] y = new double[x.length][L];
            for (int i = 0; i < x.length; i++) {
                y[i][0] = 0.5;
                System.arraycopy(x[i], 0, y[i], 1, L - 1);
            }
            return y;
        });
    }

    /** Token-wise square {@code y = x²}; |x² − x'²| = |x + x'|·|x − x'| ≤ 2|x − x'| on [0, 1]: L_f = 2. */
    public static Seq2Seq square(int d, int L, double p) {
        Seq2Seq.requireShape(d, L, p);
        return Seq2Seq.of("square", d, L, p, 2, x -> {
            for (double[] row : x) {
                for (int l = 0; l < row.length; l++) {
                    row[l] = row[l] * row[l];
                }
            }
            return x;
        });
    }

    /** The catalogue: affine 1 − x, moving average (w = 2), cumulative max, shift, square. */
    public static List<Seq2Seq> catalogue(int d, int L, double p) {
        return List.of(tokenwiseAffine(d, L, p, -1, 1), movingAverage(d, L, p, 2), cumulativeMax(d, L, p),
                shift(d, L, p), square(d, L, p));
    }

    private static double clamp(double v) {
        return Math.min(1, Math.max(0, v));
    }
}
