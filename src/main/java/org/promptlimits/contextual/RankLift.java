package org.promptlimits.contextual;

import org.promptlimits.core.SelfAttention;

import java.math.BigDecimal;
import java.util.Arrays;

/**
 * Step 5 of Lemma 2.2 (theory §3 [C]): the rank-1 layer W_K = W_Q = √c e_1vᵀ, W_V = e_1vᵀ, W_O = κ u e_1ᵀ lifted to
 * any rank r and head size s ≥ 2r − 1 without changing an output.
 */
final class RankLift {

    private RankLift() {
    }

    /**
     * The layer with head size s and rank r. Row 0 carries the rank-1 construction. Rows 1..r−1: W_K and W_V get
     * basis rows e_j (j ≠ the largest coordinate of v), W_Q zero rows, W_O zero columns. Rows r..2r−2: W_Q gets e_j
     * rows and W_O columns e_j (j ≠ the largest coordinate of u), W_K and W_V zero rows. Rows from 2r−1 on are
     * zero. W_KᵀW_Q and W_OW_V keep exactly one non-zero term each, so every output is the rank-1 layer's.
     *
     * @param v unit direction, length d. Not modified.
     * @param u output direction, length d. Not modified.
     */
    static SelfAttention lift(BigDecimal[] v, BigDecimal[] u, BigDecimal sqrtC, BigDecimal kappa, int rank, int headSize) {
        int d = v.length;
        BigDecimal[][] wK = zeros(headSize, d);
        BigDecimal[][] wQ = zeros(headSize, d);
        BigDecimal[][] wV = zeros(headSize, d);
        BigDecimal[][] wO = zeros(d, headSize);
        for (int i = 0; i < d; i++) {
            wK[0][i] = sqrtC.multiply(v[i]); // exact products: W_KᵀW_Q = c v vᵀ exactly
            wQ[0][i] = wK[0][i];
            wV[0][i] = v[i];
            wO[i][0] = kappa.multiply(u[i]);
        }
        int[] basisV = basisOutside(v, rank - 1);
        int[] basisU = basisOutside(u, rank - 1);
        for (int j = 0; j < rank - 1; j++) {
            wK[1 + j][basisV[j]] = BigDecimal.ONE;
            wV[1 + j][basisV[j]] = BigDecimal.ONE;
            wQ[rank + j][basisV[j]] = BigDecimal.ONE;
            wO[basisU[j]][rank + j] = BigDecimal.ONE;
        }
        return SelfAttention.ofExact(wO, wV, wK, wQ);
    }

    /** {@code count} coordinate indices other than the one where |x_i| is largest (so {x} ∪ {e_j} is independent). */
    private static int[] basisOutside(BigDecimal[] x, int count) {
        int largest = 0;
        for (int i = 1; i < x.length; i++) {
            if (x[i].abs().compareTo(x[largest].abs()) > 0) {
                largest = i;
            }
        }
        int[] out = new int[count];
        int j = 0;
        for (int i = 0; i < x.length && j < count; i++) {
            if (i != largest) {
                out[j++] = i;
            }
        }
        return out;
    }

    private static BigDecimal[][] zeros(int rows, int cols) {
        BigDecimal[][] z = new BigDecimal[rows][cols];
        for (BigDecimal[] row : z) {
            Arrays.fill(row, BigDecimal.ZERO);
        }
        return z;
    }
}
