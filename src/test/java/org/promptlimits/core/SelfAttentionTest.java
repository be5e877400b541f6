package org.promptlimits.core;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.promptlimits.precision.Budget;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link SelfAttention}: the ND4J path, the plain-loop reference and the BigDecimal path agree; bad shapes throw. */
class SelfAttentionTest {

    record Case(SelfAttention layer, double[][] z) {
    }

    static double[][] random(Random rnd, int rows, int cols, double scale) {
        double[][] m = new double[rows][cols];
        for (double[] row : m) {
            for (int j = 0; j < cols; j++) {
                row[j] = scale * (2 * rnd.nextDouble() - 1);
            }
        }
        return m;
    }

    static Case randomCase(long seed) {
        Random rnd = new Random(seed);
        int d = 1 + rnd.nextInt(4);
        int s = 1 + rnd.nextInt(4);
        int n = 1 + rnd.nextInt(6);
        SelfAttention layer = SelfAttention.of(random(rnd, d, s, 1), random(rnd, s, d, 1), random(rnd, s, d, 2),
                random(rnd, s, d, 2));
        return new Case(layer, random(rnd, d, n, 3));
    }

    /** Exact oracle: the double reference is within 1e-12 of the BigDecimal evaluation at 50 digits. */
    @Property(tries = 10_000)
    void doubleReferenceAgreesWithExactArithmetic(@ForAll long seed) {
        Case c = randomCase(seed);
        double[][] fast = c.layer().applyReference(c.z());
        BigDecimal[][] exact = c.layer().apply(Matrices.exact("Z", c.z()), new MathContext(50));
        for (int i = 0; i < fast.length; i++) {
            for (int j = 0; j < fast[0].length; j++) {
                assertEquals(exact[i][j].doubleValue(), fast[i][j], 1e-12, "entry (" + i + ", " + j + ")");
            }
        }
    }

    /** Permutation equivariance: permuting the tokens permutes the output columns (SA has no positions). */
    @Property(tries = 10_000)
    void permutingTokensPermutesOutputs(@ForAll long seed) {
        Case c = randomCase(seed);
        int n = c.z()[0].length;
        int[] perm = new Random(seed ^ 0x5DEECE66DL).ints(0, 1_000_000).limit(n).toArray();
        Integer[] order = new Integer[n];
        for (int k = 0; k < n; k++) {
            order[k] = k;
        }
        java.util.Arrays.sort(order, (a, b) -> Integer.compare(perm[a], perm[b]));
        double[][] zp = new double[c.z().length][n];
        for (int i = 0; i < zp.length; i++) {
            for (int k = 0; k < n; k++) {
                zp[i][k] = c.z()[i][order[k]];
            }
        }
        double[][] out = c.layer().applyReference(c.z());
        double[][] outP = c.layer().applyReference(zp);
        for (int i = 0; i < zp.length; i++) {
            for (int k = 0; k < n; k++) {
                assertEquals(out[i][order[k]], outP[i][k], 1e-12);
            }
        }
    }

    @Test
    void nd4jPathAgreesWithReferenceLoops() {
        for (long seed = 0; seed < 100; seed++) {
            Case c = randomCase(seed);
            INDArray out = c.layer().apply(Nd4j.create(c.z()));
            double[][] ref = c.layer().applyReference(c.z());
            double[][] got = out.toDoubleMatrix();
            for (int i = 0; i < ref.length; i++) {
                assertArrayEquals(ref[i], got[i], 1e-12, "seed " + seed + ", row " + i);
            }
            int[] cols = {ref[0].length - 1};
            double[][] last = c.layer().apply(Nd4j.create(c.z()), cols).toDoubleMatrix();
            for (int i = 0; i < ref.length; i++) {
                assertEquals(ref[i][cols[0]], last[i][0], 1e-12);
            }
        }
    }

    /** A hand-computed case: d = 1, s = 1, W all 1, Z = [0, 1]: output l = z_l + Σ_k softmax(z_k z_l) z_k. */
    @Test
    void handComputedOneDimensionalLayer() {
        SelfAttention sa = SelfAttention.of(new double[][] {{1}}, new double[][] {{1}}, new double[][] {{1}}, new double[][] {{1}});
        double[][] out = sa.applyReference(new double[][] {{0, 1}});
        assertEquals(0 + 0.5, out[0][0], 1e-15);                        // scores (0, 0): weights 1/2, 1/2
        assertEquals(1 + Math.E / (1 + Math.E), out[0][1], 1e-15);       // scores (0, 1)
    }

    @Test
    void exactRanksAreComputedWithoutRounding() {
        BigDecimal third = BigDecimal.ONE.divide(BigDecimal.valueOf(3), new MathContext(60));
        BigDecimal[][] m = {{third, BigDecimal.ONE}, {third.multiply(BigDecimal.valueOf(2)), BigDecimal.valueOf(2)}};
        assertEquals(1, Matrices.rank(m));
        m[1][1] = new BigDecimal("2.000000000000000000000000000000000000000000000000001");
        assertEquals(2, Matrices.rank(m));
    }

    @Test
    void badShapesAndEntriesNameTheMatrix() {
        double[][] one = {{1}};
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> SelfAttention.of(one, new double[][] {{1, 2}}, one, one));
        assertTrue(shape.getMessage().startsWith("W_V is 1×2 but must be 1×1"), shape.getMessage());
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> SelfAttention.of(one, one, new double[][] {{Double.NaN}}, one));
        assertTrue(nan.getMessage().contains("W_K[0][0] (NaN) must be finite"), nan.getMessage());
        SelfAttention sa = SelfAttention.of(one, one, one, one);
        IllegalArgumentException rows = assertThrows(IllegalArgumentException.class,
                () -> sa.applyReference(new double[][] {{1}, {2}}));
        assertTrue(rows.getMessage().contains("Z has 2 rows but d = 1"), rows.getMessage());
        IllegalArgumentException inf = assertThrows(IllegalArgumentException.class,
                () -> sa.apply(Nd4j.create(new double[][] {{1, Double.POSITIVE_INFINITY}})));
        assertTrue(inf.getMessage().contains("Z[0][1] (Infinity) must be finite"), inf.getMessage());
        IllegalArgumentException col = assertThrows(IllegalArgumentException.class,
                () -> sa.apply(Nd4j.create(new double[][] {{1, 2}}), 5));
        assertTrue(col.getMessage().contains("columns[0] (5) must be in [0, 1]"), col.getMessage());
    }

    @Test
    void scoreAndValueMatricesAreExactAndDecideTheOutputs() {
        // double weights are taken exactly: 0.1 is 0.1000000000000000055511151231257827…, so the exact products
        // differ from the rounded 0.03 in the 18th digit, and a 17-digit rounding would hide that
        SelfAttention layer = SelfAttention.of(new double[][] {{0.5}, {2}}, new double[][] {{0.25, -1}},
                new double[][] {{0.1, 0.2}}, new double[][] {{0.3, 0.7}});
        BigDecimal[][] scores = layer.scoreMatrix(Budget.DEFAULT);
        assertEquals(0, scores[0][0].compareTo(new BigDecimal(0.1).multiply(new BigDecimal(0.3))));
        assertEquals(0, scores[1][1].compareTo(new BigDecimal(0.2).multiply(new BigDecimal(0.7))));
        assertTrue(scores[0][0].compareTo(new BigDecimal("0.03")) != 0);
        BigDecimal[][] values = layer.valueMatrix(Budget.DEFAULT);
        assertEquals(0, values[1][1].compareTo(BigDecimal.valueOf(-2)));
        assertEquals(0, values[0][0].compareTo(new BigDecimal("0.125")));
        // the outputs depend on the weights only through these products: a head of size 2 with an extra key row
        // met by a zero query row, and an extra value row met by a zero column of W_O, gives the same outputs
        SelfAttention wider = SelfAttention.of(new double[][] {{0.5, 0}, {2, 0}}, new double[][] {{0.25, -1}, {1, 1}},
                new double[][] {{0.1, 0.2}, {3, -4}}, new double[][] {{0.3, 0.7}, {0, 0}});
        assertEquals(0, Matrices.maxAbsDifference(wider.scoreMatrix(Budget.DEFAULT), scores)
                .signum());
        assertEquals(0, Matrices.maxAbsDifference(wider.valueMatrix(Budget.DEFAULT), values)
                .signum());
        double[][] z = {{0.3, -1.2, 0.8}, {1.1, 0.4, -0.6}};
        MathContext mc = new MathContext(60);
        BigDecimal[][] a = layer.apply(Matrices.exact(z), mc);
        BigDecimal[][] b = wider.apply(Matrices.exact(z), mc);
        assertTrue(Matrices.maxAbsDifference(a, b).compareTo(new BigDecimal("1e-55")) < 0);
    }

    @Test
    void exactProductsBeyondTheDigitBudgetAreRefusedBeforeAnyWork() {
        BigDecimal[][] huge = {{new BigDecimal("1e-30000").add(BigDecimal.ONE)}};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Matrices.multiplyExact(huge, huge, Budget.DEFAULT));
        assertTrue(e.getMessage().contains("above Budget.maxDigits"), e.getMessage());
    }
}
