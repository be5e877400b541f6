package org.promptlimits.attention;

import org.junit.jupiter.api.Test;
import org.promptlimits.attention.exact.ReferenceAttention;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contract every {@link Attention} implementation passes (one suite, as EJML's GenericQrCheck): agree
 * with the float64 reference within {@link #tolerance()}, return a convex combination of value rows,
 * ignore the order of keys, and refuse bad shapes. Inputs are seeded ({@code Random(0xff)}); entries are
 * uniform in [−1, 1] and β·d ≤ 1, so that the scores stay within |β⟨q,k⟩| ≤ 1.
 */
public abstract class AttentionContract {

    /** The implementation under test, for dimension d and inverse temperature β. */
    protected abstract Attention implementation(int d, double beta);

    /** Largest allowed |out − reference| for entries in [−1, 1]: 1e-13 for the exact implementations. */
    protected double tolerance() {
        return 1e-13;
    }

    /** n×d queries and m×d keys, uniform in [−1, 1], from one {@code Random(0xff)}. */
    private static double[][] queriesAndKeys(int n, int m, int d) {
        Random rnd = new Random(0xff);
        double[] q = uniform(rnd, n * d, 1);
        return new double[][] {q, uniform(rnd, m * d, 1), uniform(rnd, m * d, 1)};
    }

    protected static double[] uniform(Random rnd, int len, double b) {
        double[] a = new double[len];
        for (int i = 0; i < len; i++) {
            a[i] = b * (2 * rnd.nextDouble() - 1);
        }
        return a;
    }

    protected void assertMatchesReference(int n, int m, int d, int dv, double beta, long seed) {
        Random rnd = new Random(seed);
        double[] q = uniform(rnd, n * d, 1);
        double[] k = uniform(rnd, m * d, 1);
        double[] v = uniform(rnd, m * dv, 1);
        double[] expected = new double[n * dv];
        ReferenceAttention.create().attend(n, m, d, dv, q, k, v, beta, expected);
        double[] actual = new double[n * dv];
        Attention a = implementation(d, beta);
        a.attend(n, m, d, dv, q, k, v, beta, actual);
        double err = 0;
        for (int i = 0; i < actual.length; i++) {
            err = Math.max(err, Math.abs(actual[i] - expected[i]));
        }
        assertTrue(err <= tolerance(), a.name() + " differs from the reference by " + err + " > " + tolerance()
                + " at n=" + n + " m=" + m + " d=" + d + " dv=" + dv + " beta=" + beta);
    }

    @Test
    void agreesWithFloat64ReferenceOnTileAlignedShapes() {
        assertMatchesReference(128, 512, 8, 16, 0.125, 1);
    }

    @Test
    void agreesWithFloat64ReferenceOnRaggedShapes() {
        assertMatchesReference(67, 300, 8, 8, 0.125, 2);
        assertMatchesReference(5, 7, 3, 3, 1.0 / 3, 3);
        assertMatchesReference(1, 1, 2, 2, 0.5, 4);
    }

    @Test
    void agreesWithFloat64ReferenceWhenValueDimensionDiffers() {
        assertMatchesReference(70, 90, 4, 13, 0.25, 5);
    }

    @Test
    void outputIsAConvexCombinationOfValueRows() {
        int n = 40, m = 50, d = 4, dv = 3;
        double[][] qk = queriesAndKeys(n, m, d);
        double[] q = qk[0];
        double[] k = qk[1];
        double[] v = new double[m * dv];
        for (int j = 0; j < m; j++) {
            v[j * dv] = 1;                 // constant column: every output is 1
            v[j * dv + 1] = j;             // between 0 and m − 1
            v[j * dv + 2] = -2;
        }
        double[] out = new double[n * dv];
        implementation(d, 0.25).attend(n, m, d, dv, q, k, v, 0.25, out);
        for (int i = 0; i < n; i++) {
            assertEquals(1, out[i * dv], tolerance());
            assertTrue(out[i * dv + 1] >= -tolerance() && out[i * dv + 1] <= m - 1 + tolerance());
            assertEquals(-2, out[i * dv + 2], 2 * tolerance());
        }
    }

    @Test
    void permutingKeysTogetherWithValuesLeavesTheOutputUnchanged() {
        int n = 20, m = 33, d = 4, dv = 4;
        double[][] qkv = queriesAndKeys(n, m, d);       // d = dv: the third array serves as values
        double[] q = qkv[0];
        double[] k = qkv[1];
        double[] v = qkv[2];
        double[] k2 = new double[k.length];
        double[] v2 = new double[v.length];
        for (int j = 0; j < m; j++) {
            int p = (7 * j + 3) % m; // a permutation since gcd(7, 33) = 1
            System.arraycopy(k, j * d, k2, p * d, d);
            System.arraycopy(v, j * dv, v2, p * dv, dv);
        }
        Attention a = implementation(d, 0.25);
        double[] o1 = new double[n * dv];
        double[] o2 = new double[n * dv];
        a.attend(n, m, d, dv, q, k, v, 0.25, o1);
        a.attend(n, m, d, dv, q, k2, v2, 0.25, o2);
        for (int i = 0; i < o1.length; i++) {
            assertEquals(o1[i], o2[i], tolerance());
        }
    }

    @Test
    void refusesShapeMismatchNamingTheArray() {
        Attention a = implementation(4, 0.25);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> a.attend(3, 3, 4, 4, new double[12], new double[11], new double[12], 0.25, new double[12]));
        assertTrue(e.getMessage().startsWith("k has 11 entries but must have m·d = 3·4 = 12"), e.getMessage());
    }

    @Test
    void refusesNonFiniteInput() {
        Attention a = implementation(2, 0.5);
        double[] q = {0, Double.NaN};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> a.attend(1, 1, 2, 2, q, new double[2], new double[2], 0.5, new double[2]));
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
    }
}
