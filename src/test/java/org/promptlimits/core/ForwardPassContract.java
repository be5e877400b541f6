package org.promptlimits.core;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contract every forward pass on tokens-as-columns passes (one suite, as EJML's GenericQrCheck): the double
 * tier agrees with the exact BigDecimal tier, neither tier modifies its input, the buffer-reusing call (given a
 * dirty buffer) and the allocating call agree bit for bit, and permuting the input tokens permutes the output
 * tokens where the map is permutation equivariant (attention without positional encoding, token-wise layers).
 * Inputs are seeded ({@code Random(0xff + seed)}), entries uniform in [−1, 1].
 */
public abstract class ForwardPassContract {

    /** One implementation of a forward pass, seen through the calls the contract exercises. */
    protected interface ForwardPass {
        /** Token dimension d. */
        int d();

        /** The double tier, allocating its result. */
        double[][] apply(double[][] z);

        /** The double tier writing into {@code out} (d×n, reused by the caller), or null if there is none. */
        default double[][] applyInto(double[][] z, double[][] out) {
            return null;
        }

        /** The exact tier at {@code mc}. */
        BigDecimal[][] applyExact(BigDecimal[][] z, MathContext mc);

        /** Whether {@code f(ZΠ) = f(Z)Π} for every permutation Π of the tokens. */
        boolean permutationEquivariant();
    }

    /** A seeded instance of the implementation under test. */
    protected abstract ForwardPass instance(long seed);

    /** Largest allowed |double − exact| for entries of size about 1. */
    protected double tolerance() {
        return 1e-12;
    }

    /** Token counts to run on. */
    protected int[] lengths() {
        return new int[] {1, 2, 5, 9};
    }

    protected static double[][] uniform(Random rnd, int rows, int cols, double scale) {
        double[][] m = new double[rows][cols];
        for (double[] row : m) {
            for (int j = 0; j < cols; j++) {
                row[j] = scale * (2 * rnd.nextDouble() - 1);
            }
        }
        return m;
    }

    private static final MathContext MC = new MathContext(50);

    @Test
    void doubleTierAgreesWithExactTier() {
        for (long seed = 0; seed < 20; seed++) {
            ForwardPass f = instance(seed);
            for (int n : lengths()) {
                double[][] z = uniform(new Random(0xff + seed), f.d(), n, 1);
                double[][] fast = f.apply(z);
                BigDecimal[][] exact = f.applyExact(Matrices.exact(z), MC);
                for (int i = 0; i < fast.length; i++) {
                    for (int j = 0; j < fast[i].length; j++) {
                        double want = exact[i][j].doubleValue();
                        assertEquals(want, fast[i][j], tolerance() * Math.max(1, Math.abs(want)),
                                "seed " + seed + ", n = " + n + ", entry (" + i + ", " + j + ")");
                    }
                }
            }
        }
    }

    @Test
    void neitherTierModifiesItsInput() {
        ForwardPass f = instance(1);
        double[][] z = uniform(new Random(7), f.d(), 4, 1);
        double[][] keep = Matrices.copy(z);
        f.apply(z);
        double[][] out = new double[f.d()][4];
        f.applyInto(z, out);
        assertArrayEquals(keep, z, "double tier modified Z");
        BigDecimal[][] exact = Matrices.exact(z);
        BigDecimal[][] exactKeep = Matrices.copy(exact);
        f.applyExact(exact, MC);
        for (int i = 0; i < exact.length; i++) {
            assertArrayEquals(exactKeep[i], exact[i], "exact tier modified Z, row " + i);
        }
    }

    @Test
    void bufferReusingAndAllocatingCallsAgree() {
        ForwardPass f = instance(2);
        double[][] z = uniform(new Random(8), f.d(), 6, 1);
        double[][] out = uniform(new Random(9), f.d(), 6, 100); // a dirty buffer
        if (f.applyInto(z, out) == null) {
            return; // no buffer-reusing call to compare
        }
        double[][] fresh = f.apply(z);
        for (int round = 0; round < 2; round++) {
            f.applyInto(z, out);
            assertArrayEquals(fresh, out, "round " + round);
        }
    }

    @Test
    void permutingTokensPermutesOutputs() {
        ForwardPass f = instance(3);
        if (!f.permutationEquivariant()) {
            return;
        }
        int n = 7;
        int[] perm = new int[n];
        for (int k = 0; k < n; k++) {
            perm[k] = (3 * k + 2) % n; // gcd(3, 7) = 1
        }
        double[][] z = uniform(new Random(10), f.d(), n, 1);
        double[][] zp = new double[f.d()][n];
        for (int i = 0; i < f.d(); i++) {
            for (int k = 0; k < n; k++) {
                zp[i][perm[k]] = z[i][k];
            }
        }
        double[][] y = f.apply(z);
        double[][] yp = f.apply(zp);
        BigDecimal[][] ye = f.applyExact(Matrices.exact(z), MC);
        BigDecimal[][] ype = f.applyExact(Matrices.exact(zp), MC);
        for (int i = 0; i < f.d(); i++) {
            for (int k = 0; k < n; k++) {
                assertEquals(y[i][k], yp[i][perm[k]], tolerance(), "double, entry (" + i + ", " + k + ")");
                assertEquals(0, ye[i][k].compareTo(ype[i][perm[k]]), "exact tier is not exactly equivariant at ("
                        + i + ", " + k + "): " + ye[i][k] + " vs " + ype[i][perm[k]]);
            }
        }
        assertTrue(n > 1);
    }
}
