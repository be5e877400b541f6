package org.promptlimits.core;

import org.promptlimits.check.Require;
import org.promptlimits.precision.Budget;

import java.math.BigDecimal;

/**
 * Positional encoding {@code E ∈ R^{d×n}} with {@code E[:,k] = k·1_d}, k = 1..n. theory §1 [C].
 *
 * <p>Column k of {@code [P, X] + E} lies in {@code [k, k+1)^d} when P and X have entries in [0, 1): tokens
 * at different positions never coincide and every token has norm ≥ √d. The encoding is part of the frozen
 * model, fixed by d and n alone.
 */
public final class PositionalEncoding {

    private PositionalEncoding() {
    }

    /** The matrix E ∈ R^{d×n}, {@code E[i][k−1] = k}. */
    public static double[][] matrix(int d, int n) {
        Require.positive("d", d);
        Require.nonNegative("n", n);
        Budget.DEFAULT.requireArray("positional encoding E (d×n doubles)", Double.BYTES,
                Budget.orMoreHeap("lower d or n"), d, n);
        double[][] e = new double[d][n];
        for (int i = 0; i < d; i++) {
            for (int k = 0; k < n; k++) {
                e[i][k] = k + 1;
            }
        }
        return e;
    }

    /**
     * {@code Z + E}.
     *
     * @param z a d×n sequence (rows of one length; a ragged z is refused). Not modified.
     * @return a new array
     */
    public static double[][] add(double[][] z) {
        Require.rectangular("z", z);
        double[][] c = Matrices.copy("z", z);
        for (double[] row : c) {
            for (int k = 0; k < row.length; k++) {
                row[k] += k + 1;
            }
        }
        return c;
    }

    /** {@code Z + E}, exactly (the entries of E are integers). z (d×n, rectangular) is not modified. */
    public static BigDecimal[][] add(BigDecimal[][] z) {
        BigDecimal[][] c = Matrices.copy("z", z);
        for (BigDecimal[] row : c) {
            for (int k = 0; k < row.length; k++) {
                row[k] = row[k].add(BigDecimal.valueOf(k + 1L));
            }
        }
        return c;
    }
}
