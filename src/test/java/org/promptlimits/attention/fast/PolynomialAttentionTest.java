package org.promptlimits.attention.fast;

import org.junit.jupiter.api.Test;
import org.promptlimits.ForkedJvm;
import org.promptlimits.attention.Apti;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PolynomialAttentionTest {

    @Test
    void degreeChosenForApitMeetsDeltaFAndTheMeasuredErrorIsWithinTheProvenBound() {
        Apti p = Apti.random(300, 4, 1.0, 1e-3, 0.25, 7);
        PolynomialAttention pa = PolynomialAttention.forProblem(p);
        PolynomialAttention.Certified c = pa.attendCertified(p, 300, 1);
        Certificate cert = c.certificate();
        assertTrue(cert.meetsDeltaF());
        cert.checks().assertAllHold();
        assertEquals(300, cert.sampleRows());
    }

    /**
     * Values far below δF (B = 1e-17, 1e-300): ε' = δF/(2‖V‖_max + δF) rounded to 1 in double, and forProblem was
     * refused as "epsilon (1.0) must be in (0.0, 1.0)", a value the caller never gave; targetEpsilon already kept
     * the same ratio below 1. Degree 0 meets δF here.
     */
    @Test
    void valuesFarBelowDeltaFGetDegreeZero() {
        for (double b : new double[] {1e-17, 1e-300}) {
            Apti p = Apti.random(64, 2, b, 0.5, 1, 1);
            PolynomialAttention pa = PolynomialAttention.forProblem(p);
            assertEquals(0, pa.degree(), "B = " + b);
            Certificate cert = pa.attendCertified(p, 64, 1).certificate();
            assertTrue(cert.meetsDeltaF(), cert.toString());
            cert.checks().assertAllHold();
        }
    }

    /** choose serves what forProblem serves and returns forProblem's refusal, with its numbers, as a value. */
    @Test
    void chooseReturnsTheMethodOrTheRefusal() {
        Apti small = Apti.random(200, 4, 1.0, 1e-3, 0.25, 3);
        PolynomialAttention.Choice served = PolynomialAttention.choose(small);
        assertTrue(!served.refused() && served.refusal().isEmpty());
        assertEquals(PolynomialAttention.forProblem(small).degree(), served.method().degree());
        Apti large = Apti.random(200, 16, 6.0, 1e-3, 1.0, 3);
        PolynomialAttention.Choice refused = PolynomialAttention.choose(large);
        assertTrue(refused.refused());
        String expected = assertThrows(IllegalArgumentException.class, () -> PolynomialAttention.forProblem(large))
                .getMessage();
        assertEquals(expected, refused.refusal());
        assertEquals(330, PolynomialAttention.choose(4, 7, 0.25).method().rank());
        // C(69, 5) ≈ 1.1e7 features: over Budget.DEFAULT's 10^7 cells, and its 1.8e10 bytes over half of any heap here
        PolynomialAttention.Choice wide = PolynomialAttention.choose(64, 5, 1.0 / 64);
        assertTrue(wide.refused() && wide.refusal().contains("C(69, 64)"), wide.refusal());
        assertThrows(IllegalArgumentException.class, () -> PolynomialAttention.choose(4, -1, 0.25));
    }

    /** R = 1, ε = 1e-3/(2 + 1e-3): (g+1)! ≥ e/ε ≈ 5,439 first at g + 1 = 8 (8! = 40,320; 7! = 5,040). */
    @Test
    void degreeIsTheSmallestWhoseTaylorRemainderIsBelowEpsilon() {
        PolynomialAttention pa = PolynomialAttention.forError(1, 1e-3, 0.25, 4);
        assertEquals(7, pa.degree());
        assertEquals(330, pa.rank()); // C(11, 4)
        assertTrue(Taylor.relativeError(6, 1) > PolynomialAttention.targetEpsilon(1, 1e-3));
    }

    @Test
    void taylorPolynomialIsWithinEpsilonTimesExpOnTheInterval() {
        for (int g = 0; g <= 8; g++) {
            double r = 1.5;
            double eps = Taylor.relativeError(g, r);
            for (int i = 0; i <= 200; i++) {
                double x = -r + 2 * r * i / 200;
                assertTrue(Math.abs(Taylor.polynomial(g, x) - Math.exp(x)) <= eps * Math.exp(x) * (1 + 1e-12));
            }
        }
    }

    /** With the factor e^R instead of e^{2R}: at R = 2, ε = 1e-3, e^{2R} needs g = 11 and e^R g = 10. */
    @Test
    void tighterLagrangeFactorLowersTheDegree() {
        assertEquals(10, Taylor.degree(2, 1e-3));
        assertTrue(Math.pow(2, 11) * Math.exp(4) / 39916800.0 > 1e-3); // e^{2R} with g = 10: not enough
        assertTrue(Math.pow(2, 11) * Math.exp(2) / 39916800.0 <= 1e-3);
    }

    /** The instance's own score bound R' = β·max‖q‖·max‖k‖ lowers g and its certificate still holds. */
    @Test
    void degreeFromTheInstanceIsLowerAndItsAPosterioriCertificateHolds() {
        Apti p = Apti.random(600, 8, 1.0, 1e-3, 1.0 / 8, 5);
        PolynomialAttention prior = PolynomialAttention.forError(1.0, 1e-3, 1.0 / 8, 8);
        PolynomialAttention post = PolynomialAttention.forProblem(p);
        assertEquals(7, prior.degree());
        assertTrue(post.degree() < prior.degree(), "instance degree " + post.degree());
        Certificate cert = post.attendCertified(p, 100, 3).certificate();
        assertTrue(cert.instanceScoreBound() <= cert.scoreBound());
        assertTrue(cert.instanceBound() <= 1e-3);
        assertTrue(cert.measuredError() <= cert.instanceBound());
        assertTrue(cert.instanceBound() <= cert.provenBound());
        cert.checks().assertAllHold();
    }

    /**
     * float32 where its certificate allows: at δF = 1e-3 (d = 8, the case on fewer rows) it is taken, its
     * output is within the truncation plus float32 rounding bound of exact attention, and within both rounding
     * bounds of the float64 output of the same polynomial (the rounding bound measured on its own).
     */
    @Test
    void float32IsTakenWhenItsRoundingBoundLeavesRoomAndStaysWithinIt() {
        Apti p = Apti.random(1500, 8, 1.0, 1e-3, 1.0 / 8, 11);
        PolynomialAttention f32 = PolynomialAttention.forProblem(p, PolynomialAttention.Precision.FLOAT32);
        PolynomialAttention f64 = PolynomialAttention.forProblem(p);
        assertEquals(PolynomialAttention.Precision.FLOAT32, f32.precision());
        assertTrue(f32.name().contains("float32"), f32.name());
        assertTrue(f32.degree() >= f64.degree());
        Certificate c32 = f32.attendCertified(p, 200, 4).certificate();
        c32.checks().assertAllHold();
        assertTrue(c32.meetsDeltaF());
        assertTrue(c32.roundingBound() > 1e-7 && c32.roundingBound() < 1e-3, "rho32 " + c32.roundingBound());
        PolynomialAttention same64 = PolynomialAttention.ofDegree(8, f32.degree(), 1.0 / 8);
        double[] out32 = f32.attend(p);
        double[] out64 = same64.attend(p);
        double rho64 = same64.certify(p, out64, 1, 1).roundingBound();
        assertTrue(rho64 < 1e-10, "rho64 " + rho64);
        double gap = 0;
        for (int i = 0; i < out32.length; i++) {
            gap = Math.max(gap, Math.abs(out32[i] - out64[i]));
        }
        assertTrue(gap <= c32.roundingBound() + rho64, "float32 - float64 " + gap + " > " + c32.roundingBound());
        assertTrue(gap > 1e-9, "float32 arithmetic leaves a trace: " + gap);
        double[] two = f32.withThreads(2).attend(p);
        assertTrue(java.util.Arrays.equals(two, f32.withThreads(2).attend(p)), "float32 deterministic for 2 threads");
        for (int i = 0; i < two.length; i++) {
            assertEquals(out32[i], two[i], 1e-6, "float32 threads entry " + i);
        }
    }

    /** Any rows per block (the remainder tiles of 1, 2 and 5 rows included) gives the output up to the order of sums. */
    @Test
    void rowsPerBlockChangesOnlyTheOrderOfTheSums() {
        Apti p = Apti.random(700, 5, 1.0, 1e-3, 0.2, 13);
        for (PolynomialAttention.Precision precision : PolynomialAttention.Precision.values()) {
            PolynomialAttention base = PolynomialAttention.forProblem(p, precision);
            double[] expected = base.attend(p);
            double tol = precision == PolynomialAttention.Precision.FLOAT32 ? 1e-5 : 1e-13;
            for (int rows : new int[] {1, 2, 5, 128}) {
                PolynomialAttention other = base.withRowsPerBlock(rows).withThreads(2);
                assertEquals(rows, other.rowsPerBlock());
                double[] got = other.attend(p);
                for (int i = 0; i < got.length; i++) {
                    assertEquals(expected[i], got[i], tol, precision + " rows " + rows + " entry " + i);
                }
            }
        }
        assertThrows(IllegalArgumentException.class, () -> PolynomialAttention.ofDegree(2, 2, 0.5).withRowsPerBlock(0));
    }

    /** A call with another d or β than the features were built with is refused with both values (message built only then). */
    @Test
    void dAndBetaOtherThanTheFeaturesAreRefusedWithBothValues() {
        PolynomialAttention m = PolynomialAttention.ofDegree(2, 2, 0.5);
        double[] x = new double[3 * 3];
        IllegalArgumentException d = assertThrows(IllegalArgumentException.class,
                () -> m.attend(3, 3, 3, 3, x, x, x, 0.5, new double[9]));
        assertEquals("d (3) must equal the feature dimension 2", d.getMessage());
        double[] y = new double[3 * 2];
        IllegalArgumentException beta = assertThrows(IllegalArgumentException.class,
                () -> m.attend(3, 3, 2, 2, y, y, y, 0.25, new double[6]));
        assertEquals("beta (0.25) must equal the features' beta 0.5", beta.getMessage());
        m.attend(3, 3, 2, 2, y, y, y, 0.5, new double[6]);     // the same call with the features' d and β computes
    }

    /** float32 is refused, with the bound and the rule, when its rounding alone is above δF. */
    @Test
    void float32IsRefusedWhenItsRoundingBoundExceedsDeltaF() {
        Apti p = Apti.random(400, 8, 1.0, 1e-6, 1.0 / 8, 12);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PolynomialAttention.forProblem(p, PolynomialAttention.Precision.FLOAT32));
        assertTrue(e.getMessage().startsWith("precision (FLOAT32) must meet deltaF = ") && e.getMessage().contains("FLOAT64")
                && e.getMessage().contains("theory §7.7"), e.getMessage());
        assertEquals(PolynomialAttention.Precision.FLOAT64,
                PolynomialAttention.forProblem(p, PolynomialAttention.Precision.FLOAT64).precision());
    }

    /**
     * A thread keeps its block buffers between calls: a call after calls of other degrees and precisions (longer rows,
     * whose monomials are still in the buffers) gives the bits of the same call on a thread that has never called.
     */
    @Test
    void buffersKeptBetweenCallsDoNotChangeTheOutput() throws Exception {
        Apti p = Apti.random(500, 4, 1.0, 1e-2, 0.25, 11);
        PolynomialAttention low = PolynomialAttention.ofDegree(4, 2, 0.25);
        double[][] fresh = new double[2][];
        Thread first = new Thread(() -> {
            fresh[0] = low.attend(p);
            fresh[1] = low.withThreads(2).attend(p);
        });
        first.start();
        first.join();
        PolynomialAttention high = PolynomialAttention.ofDegree(4, 5, 0.25);
        high.attend(p);
        high.withThreads(2).attend(p);
        PolynomialAttention.forProblem(p, PolynomialAttention.Precision.FLOAT32).attend(p);
        assertTrue(java.util.Arrays.equals(fresh[0], low.attend(p)), "one thread after other degrees");
        high.attend(p);
        assertTrue(java.util.Arrays.equals(fresh[1], low.withThreads(2).attend(p)), "two threads after other degrees");
    }

    /** Two and three threads give the single-threaded output up to the order of the partial sums. */
    @Test
    void threadsAgreeWithOneThread() {
        Apti p = Apti.random(1000, 4, 1.0, 1e-2, 0.25, 9);
        PolynomialAttention one = PolynomialAttention.ofDegree(4, 3, 0.25);
        double[] expected = one.attend(p);
        for (int t : new int[] {2, 3}) {
            double[] got = one.withThreads(t).attend(p);
            for (int i = 0; i < got.length; i++) {
                assertEquals(expected[i], got[i], 1e-14, "threads " + t + " entry " + i);
            }
            assertTrue(java.util.Arrays.equals(got, one.withThreads(t).attend(p)), "deterministic for " + t);
        }
    }

    /**
     * On several threads a refusal by the calling thread's checks, or its interruption, ends the call with the same
     * exception as on one thread while the other threads sum key groups or wait for S, and the method still computes
     * afterwards.
     */
    @Test
    void refusalOrInterruptionOnSeveralThreadsEndsTheCall() {
        Apti p = Apti.random(3000, 4, 1.0, 1e-2, 0.25, 9);
        PolynomialAttention one = PolynomialAttention.ofDegree(4, 3, 0.25);
        double[] q = p.q();
        double[] k = p.k();
        double[] v = p.v();
        v[v.length - 1] = Double.NaN;
        double[] out = new double[q.length];
        String message = assertThrows(IllegalArgumentException.class,
                () -> one.attend(3000, 3000, 4, 4, q, k, v, 0.25, out)).getMessage();
        double[] expected = one.attend(p);
        for (int t : new int[] {2, 3}) {
            PolynomialAttention many = one.withThreads(t);
            assertTimeoutPreemptively(java.time.Duration.ofSeconds(30), () -> {
                assertEquals(message, assertThrows(IllegalArgumentException.class,
                        () -> many.attend(3000, 3000, 4, 4, q, k, v, 0.25, out)).getMessage());
                Thread.currentThread().interrupt();
                assertThrows(org.promptlimits.check.Interrupts.Interrupted.class, () -> many.attend(p));
                assertTrue(Thread.interrupted(), "the interrupt status is kept");
                double[] again = many.attend(p);
                for (int i = 0; i < again.length; i++) {
                    assertEquals(expected[i], again[i], 1e-14, "threads " + t + " entry " + i);
                }
            });
        }
    }

    /** Key groups: one on one thread; else contiguous, every block once, shrinking down to the smallest group. */
    @Test
    void keyGroupsCoverEveryBlockOnceAndShrinkTowardsTheEnd() {
        assertArrayEquals(new int[] {0, 391}, PolynomialAttention.keyGroups(391, 1));
        // 2 threads: a quarter of the blocks left each time (98 = ⌈391/4⌉, 74 = ⌈293/4⌉, ...), at least ⌈391/64⌉ = 7
        assertArrayEquals(new int[] {0, 98, 172, 227, 268, 299, 322, 340, 353, 363, 370, 377, 384, 391},
                PolynomialAttention.keyGroups(391, 2));
        for (int threads : new int[] {2, 3, 8}) {
            for (int blocks : new int[] {1, 2, 5, 17, 391, 100_000}) {
                int[] start = PolynomialAttention.keyGroups(blocks, threads);
                int groups = start.length - 1;
                assertEquals(0, start[0]);
                assertEquals(blocks, start[groups]);
                long parts = (long) PolynomialAttention.SMALLEST_GROUP * threads;
                int smallest = (int) Math.max(1, (blocks + parts - 1) / parts);
                assertTrue(groups <= parts + 1, groups + " groups for " + blocks + " blocks on " + threads);
                for (int g = 0; g < groups; g++) {
                    int size = start[g + 1] - start[g];
                    assertTrue(size >= 1 && (g == groups - 1 || size >= smallest), "group " + g + " of " + blocks);
                    assertTrue(g == 0 || size <= start[g] - start[g - 1], "groups shrink: " + g + " of " + blocks);
                }
            }
        }
    }

    @Test
    void fixedLowDegreeStillRespectsItsOwnCertificate() {
        Apti p = Apti.random(500, 8, 1.0, 1e-2, 1.0 / 8, 3);
        PolynomialAttention pa = PolynomialAttention.ofDegree(8, 3, 1.0 / 8);
        Certificate cert = pa.attendCertified(p, 100, 2).certificate();
        assertTrue(cert.measuredError() <= cert.provenBound());
        assertTrue(cert.measuredError() < 1e-3, "measured " + cert.measuredError());
    }

    @Test
    void refusesMismatchedBetaAndDimension() {
        PolynomialAttention pa = PolynomialAttention.ofDegree(2, 2, 0.5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> pa.attend(1, 1, 2, 1, new double[2], new double[2], new double[1], 0.25, new double[1]));
        assertTrue(e.getMessage().startsWith("beta (0.25) must equal"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> pa.attend(1, 1, 3, 1, new double[3], new double[3], new double[1], 0.5, new double[1]));
        assertTrue(e.getMessage().startsWith("d (3) must equal"), e.getMessage());
    }

    @Test
    void refusesBadParameters() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PolynomialAttention.forError(0, 0.1, 1, 2))
                .getMessage().startsWith("B (0.0) must"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PolynomialAttention.forError(1, 1, 1, 2))
                .getMessage().startsWith("deltaF (1.0) must be in (0.0, 1.0)"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PolynomialAttention.forError(1, 0, 1, 2))
                .getMessage().startsWith("deltaF (0.0)"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PolynomialAttention.forError(1, 0.1, Double.NaN, 2))
                .getMessage().startsWith("beta (NaN)"));
        // d = 64, β = 1/8, B = 1: R = 8 needs a degree whose rank is far over budget
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PolynomialAttention.forError(1, 0.01, 1.0 / 8, 64));
        assertTrue(e.getMessage().contains("feature rank r = C(") && e.getMessage().contains("Budget.maxBytes"), e.getMessage());
    }

    /** n = 65536, d = 8 polynomial attention in a JVM limited to a 1 GiB heap (forked; see Heap1GiB). */
    @Test
    void sixtyFiveThousandRowsRunInAOneGibibyteHeap() throws Exception {
        String output = ForkedJvm.run(120, List.of("-Xmx1g"), Heap1GiB.class, "65536", "8", "4");
        assertTrue(output.contains("ok n=65536 d=8 g=4"), output);
    }
}
