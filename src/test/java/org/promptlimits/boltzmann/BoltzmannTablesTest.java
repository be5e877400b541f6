package org.promptlimits.boltzmann;

import org.junit.jupiter.api.Test;
import org.promptlimits.check.Check;
import org.promptlimits.check.CheckTable;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BoltzmannTablesTest {

    @Test
    void softmaxAttentionStaysInsideTheTokensBoundingBox() {
        SplittableRandom rnd = new SplittableRandom(3);
        double[][] tokens = new double[3][5];
        for (double[] row : tokens) {
            for (int j = 0; j < row.length; j++) {
                row[j] = rnd.nextDouble(-2, 2);
            }
        }
        CheckTable t = BoltzmannChecks.softmaxAttention(tokens, new double[] {0, 1, 4, 16});
        assertEquals("Softmax attention, β ∈ {0, 1, 4, 16}", t.title());
        assertEquals(List.of("S1", "S2"), t.checks().stream().map(Check::id).toList());
        assertTrue(t.allHold(), t.toString());
    }

    @Test
    void softmaxAttentionRefusesARaggedMatrixAndNegativeBeta() {
        IllegalArgumentException ragged = assertThrows(IllegalArgumentException.class,
                () -> BoltzmannChecks.softmaxAttention(new double[][] {{1, 2}, {3}}, new double[] {1}));
        assertTrue(ragged.getMessage().contains("tokens[1]"), ragged.getMessage());
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> BoltzmannChecks.softmaxAttention(new double[][] {{1, 2}}, new double[] {-1}));
        assertTrue(negative.getMessage().contains("betas[0] (-1.0) must be >= 0"), negative.getMessage());
    }

    @Test
    void b3SweepHasOneCheckPerGapWithTheBoundFallingAsTheGapGrows() {
        CheckTable t = BoltzmannChecks.b3Sweep(6);
        assertEquals(6, t.checks().size());
        assertTrue(t.allHold(), t.toString());
        // (n−1)Δe^{−Δ} decreases for Δ ≥ 1
        for (int i = 1; i < 6; i++) {
            assertTrue(t.checks().get(i).bound().compareTo(t.checks().get(i - 1).bound()) < 0);
        }
    }

    @Test
    void ladderVectorsAreSeededDistinctRungs() {
        double[] ladder = {-16.5, -11, -5.5, 0, 5.5, 11, 16.5};
        double[][] v = BoltzmannChecks.ladderVectors(ladder, 40, 11);
        assertEquals(40, v.length);
        for (double[] x : v) {
            assertEquals(3, Arrays.stream(x).distinct().count());
            for (double e : x) {
                assertTrue(Arrays.stream(ladder).anyMatch(r -> r == e));
            }
        }
        assertArrayEquals(v[7], BoltzmannChecks.ladderVectors(ladder, 40, 11)[7]);
        CheckTable b4 = BoltzmannChecks.b4Table(v, 17);
        assertEquals("B4 on 40 vectors, r = 17", b4.title());
        assertTrue(b4.allHold(), b4.toString());
    }

    /**
     * B2 takes about n² exponentials at 80 + (max a − min a)/ln 10 digits and had no time limit: a = (0, 1, …, 999),
     * a valid input, ran for minutes (about 300 s here). It is now refused by the default budget's time guard
     * within a few seconds, naming n and the spread.
     */
    @Test
    void b2BeyondTheDefaultTimeIsRefusedEarly() {
        double[] a = new double[1000];
        Arrays.setAll(a, i -> i);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                java.time.Duration.ofSeconds(20), () -> assertThrows(IllegalArgumentException.class,
                        () -> BoltzmannChecks.b2(a)));
        assertTrue(e.getMessage().startsWith("B2 central differences at 518 digits needs about")
                && e.getMessage().contains("above Budget.maxSeconds") && e.getMessage().contains("n = a.length = 1000")
                && e.getMessage().contains("max a − min a"), e.getMessage());
    }

    /**
     * B1 and B3 take time linear in n at 40 digits (softmaxes of n scores in interval arithmetic) and had no time
     * limit: at n = 2^20, a valid input, B1 took about a minute and B3 from 20 s to minutes. At n = 2^22 (several
     * minutes at the fastest rate measured here, so the old code runs past the 30 s allowed here) both are now refused
     * by the default budget's time guard within a few seconds, naming n.
     */
    @Test
    void b1BeyondTheDefaultTimeIsRefusedEarly() {
        assertRefusedEarly("B1", BoltzmannChecks::b1);
    }

    @Test
    void b3BeyondTheDefaultTimeIsRefusedEarly() {
        assertRefusedEarly("B3", BoltzmannChecks::b3);
    }

    private static void assertRefusedEarly(String id, java.util.function.Function<double[], Check> check) {
        double[] a = new double[1 << 22];
        Arrays.fill(a, 1, a.length, -1);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                java.time.Duration.ofSeconds(30), () -> assertThrows(IllegalArgumentException.class,
                        () -> check.apply(a)));
        assertTrue(e.getMessage().startsWith(id + " at ") && e.getMessage().contains("above Budget.maxSeconds")
                && e.getMessage().contains("n = a.length = 4194304")
                && e.getMessage().endsWith("; use fewer scores (n = a.length)"), e.getMessage());
    }
}
