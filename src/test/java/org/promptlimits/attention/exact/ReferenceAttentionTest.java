package org.promptlimits.attention.exact;

import org.junit.jupiter.api.Test;
import org.promptlimits.attention.Attention;
import org.promptlimits.attention.AttentionContract;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.promptlimits.precision.Budget;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReferenceAttentionTest extends AttentionContract {

    @Override
    protected Attention implementation(int d, double beta) {
        return ReferenceAttention.create();
    }

    /** The oracle itself against softmax computed in BigDecimal (40 digits; e^x by its series). */
    @Test
    void referenceAgreesWithBigDecimalSoftmax() {
        int n = 6, m = 9, d = 3, dv = 2;
        double beta = 0.7;
        Random rnd = new Random(0xff);
        double[] q = uniform(rnd, n * d, 2);
        double[] k = uniform(rnd, m * d, 2);
        double[] v = uniform(rnd, m * dv, 2);
        double[] out = new double[n * dv];
        ReferenceAttention.create().attend(n, m, d, dv, q, k, v, beta, out);
        MathContext mc = new MathContext(40);
        for (int i = 0; i < n; i++) {
            BigDecimal[] num = {BigDecimal.ZERO, BigDecimal.ZERO};
            BigDecimal den = BigDecimal.ZERO;
            for (int j = 0; j < m; j++) {
                BigDecimal s = BigDecimal.ZERO;
                for (int t = 0; t < d; t++) {
                    s = s.add(new BigDecimal(q[i * d + t]).multiply(new BigDecimal(k[j * d + t]), mc), mc);
                }
                BigDecimal w = exp(s.multiply(new BigDecimal(beta), mc), mc);
                den = den.add(w, mc);
                for (int c = 0; c < dv; c++) {
                    num[c] = num[c].add(w.multiply(new BigDecimal(v[j * dv + c]), mc), mc);
                }
            }
            for (int c = 0; c < dv; c++) {
                assertEquals(num[c].divide(den, mc).doubleValue(), out[i * dv + c], 1e-14);
            }
        }
    }

    private static BigDecimal exp(BigDecimal x, MathContext mc) {
        BigDecimal term = BigDecimal.ONE;
        BigDecimal sum = BigDecimal.ONE;
        for (int t = 1; t < 200; t++) {
            term = term.multiply(x, mc).divide(BigDecimal.valueOf(t), mc);
            sum = sum.add(term, mc);
            if (term.abs().compareTo(BigDecimal.ONE.movePointLeft(45)) < 0) {
                break;
            }
        }
        return sum;
    }

    @Test
    void refusesMorePairsThanTheBudgetWithTheEstimate() {
        ReferenceAttention a = ReferenceAttention.withBudget(Budget.DEFAULT.withMaxCells(100));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> a.attend(11, 10, 1, 1, new double[11], new double[10], new double[10], 1, new double[11]));
        assertTrue(e.getMessage().contains("110 cells") && e.getMessage().contains("maxCells"), e.getMessage());
    }

    /**
     * rows(...) checked its output array against Budget.DEFAULT (half the heap) and advised more heap, whatever
     * budget the reference was made with: a caller's maxBytes of 1 KiB let 16 rows × 16 doubles (2 KiB) through.
     */
    @Test
    void rowsChecksItsOutputAgainstTheCallersBudget() {
        int n = 16, m = 2, d = 1, dv = 16;
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) {
            rows[i] = i;
        }
        double[] q = new double[n * d], k = new double[m * d], v = new double[m * dv];
        ReferenceAttention small = ReferenceAttention.withBudget(Budget.DEFAULT.withMaxBytes(1024));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> small.rows(rows, n, m, d, dv, q, k, v, 1));
        assertTrue(e.getMessage().startsWith("attention rows (rows.length × dv doubles) needs 2048 bytes")
                && e.getMessage().contains("above Budget.maxBytes = 1024")
                && e.getMessage().endsWith("sample fewer rows, or pass a Budget with a larger maxBytes"), e.getMessage());
        assertEquals(n * dv, ReferenceAttention.withBudget(Budget.DEFAULT.withMaxBytes(2048))
                .rows(rows, n, m, d, dv, q, k, v, 1).length);
    }

    /** Exact attention of an instance's Q_p, K_p, V_p without B or δF: entries beyond any bound, m ≠ n keys. */
    @Test
    void ndMatricesAreAttendedWithoutABoundOrAnAccuracy() {
        int n = 5, m = 7, d = 3, dv = 2;
        Random rnd = new Random(3);
        double[] q = uniform(rnd, n * d, 12);
        double[] k = uniform(rnd, m * d, 12);
        double[] v = uniform(rnd, m * dv, 12);
        double[] want = new double[n * dv];
        ReferenceAttention.create().attend(n, m, d, dv, q, k, v, 0.25, want);
        INDArray got = BlockedAttention.create().attend(Nd4j.create(q, new long[] {n, d}, DataType.DOUBLE),
                Nd4j.create(k, new long[] {m, d}, DataType.DOUBLE), Nd4j.create(v, new long[] {m, dv}, DataType.DOUBLE), 0.25);
        assertEquals(n, got.rows());
        assertEquals(dv, got.columns());
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < dv; j++) {
                assertEquals(want[i * dv + j], got.getDouble(i, j), 1e-12 * (1 + Math.abs(want[i * dv + j])));
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ReferenceAttention.create()
                .attend(Nd4j.zeros(DataType.DOUBLE, 2, 3), Nd4j.zeros(DataType.DOUBLE, 4, 2), Nd4j.zeros(DataType.DOUBLE, 4, 1), 1));
        assertTrue(e.getMessage().startsWith("k has 2 columns but q has 3"), e.getMessage());
        IllegalArgumentException rows = assertThrows(IllegalArgumentException.class, () -> ReferenceAttention.create()
                .attend(Nd4j.zeros(DataType.DOUBLE, 2, 3), Nd4j.zeros(DataType.DOUBLE, 4, 3), Nd4j.zeros(DataType.DOUBLE, 5, 1), 1));
        assertTrue(rows.getMessage().startsWith("v has 5 rows but k has 4"), rows.getMessage());
    }
}
