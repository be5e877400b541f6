package org.promptlimits.phase;

import org.junit.jupiter.api.Test;
import org.promptlimits.attention.Apti;
import org.promptlimits.attention.SoftPromptAttention;
import org.promptlimits.attention.fast.Certificate;
import org.promptlimits.attention.fast.MonomialFeatures;
import org.promptlimits.attention.fast.PolynomialAttention;
import org.promptlimits.attention.fast.Taylor;
import org.promptlimits.check.Check;
import org.promptlimits.check.CheckTable;
import org.promptlimits.check.MeasurementTable;
import org.promptlimits.precision.Budget;

import java.math.BigInteger;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EfficiencyChecksTest {

    private static PhaseTransition.Point point(int n, double b, double exact, double poly, double err) {
        return new PhaseTransition.Point(n, 4, b, b * b, 2, BigInteger.valueOf(15), true, exact, poly, err, 1e-2);
    }

    @Test
    void rankAlongTheThresholdCrossesNBetweenTheTwoSides() {
        assertTrue(EfficiencyChecks.rankAlongThreshold(1.0, 20, 1e-2) > Math.pow(2, 20));
        assertTrue(EfficiencyChecks.rankAlongThreshold(0.25, 20, 1e-2) < Math.pow(2, 20));
        // d = 2, B = 0.25 √ln 16 = 0.4163, R = 0.1733: the smallest g with ε(g, R) ≤ δF/(2B + δF)
        double b = 0.25 * Math.sqrt(Math.log(16));
        int g = Taylor.degree(b * b, PolynomialAttention.targetEpsilon(b, 1e-2));
        assertEquals(MonomialFeatures.rank(2, g).doubleValue(), EfficiencyChecks.rankAlongThreshold(0.25, 4, 1e-2));
    }

    @Test
    void phaseTransitionTableChecksErrorsAndShowsRanksAsFacts() {
        List<PhaseTransition.Point> good = List.of(point(256, 0.25, 1e-3, 2e-3, 1e-4), point(4096, 0.5, 2.0, 1.0, 1e-3),
                point(4096, 0.25, 3.0, 1.0, 1e-3));
        CheckTable t = EfficiencyChecks.phaseTransition(good, 1e-2);
        assertEquals(List.of("E1"), t.checkRows().stream().map(Check::id).toList());
        assertEquals(List.of("R1", "R2"), t.facts().stream().map(Check::id).toList());
        assertTrue(t.allHold(), t.toString());
        assertFalse(t.toString().contains("speed-up"), "timings are not checks");
        CheckTable bad = EfficiencyChecks.phaseTransition(List.of(point(4096, 0.25, 3.0, 1.0, 0.5)), 1e-2);
        assertEquals(List.of("E1"), bad.failures().stream().map(Check::id).toList());
    }

    /**
     * E1's "how measured" said "21 points, 32 sampled rows each" for notebook 07's sweep, where 6 of the 21 points
     * are over the rank budget and never run: only the feasible points are measured, and the row now says so.
     */
    @Test
    void phaseTransitionErrorRowCountsOnlyThePointsItMeasured() {
        PhaseTransition.Point notRun = new PhaseTransition.Point(4096, 4, 3.0, 9.0, 35, BigInteger.valueOf(82251), false,
                1.0, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, 1e-2);
        CheckTable t = EfficiencyChecks.phaseTransition(List.of(point(256, 0.25, 1e-3, 2e-3, 1e-4), notRun), 1e-2);
        assertEquals("1 feasible points of 2 (the others over the rank budget, not run), 32 sampled rows each,"
                + " float64 reference", t.checks().get(0).method());
        assertEquals(1e-4, t.checks().get(0).measured().doubleValue());
        CheckTable all = EfficiencyChecks.phaseTransition(List.of(point(256, 0.25, 1e-3, 2e-3, 1e-4)), 1e-2);
        assertEquals("1 points, 32 sampled rows each, float64 reference", all.checks().get(0).method());
    }

    @Test
    void phaseTransitionTimesReadTheSmallestBoundOfTheLargestNAndFitExponents() {
        List<PhaseTransition.Point> pts = List.of(point(256, 0.25, 1e-4, 2e-4, 1e-4), point(1024, 0.25, 1.6e-3, 8e-4, 1e-4),
                point(4096, 0.25, 2.56e-2, 3.2e-3, 1e-4), point(4096, 0.5, 2.0, 1.0, 1e-3));
        MeasurementTable m = EfficiencyChecks.phaseTransitionTimes(pts);
        assertEquals(8.0, m.values().get(0).value(), 1e-12);
        assertTrue(m.values().get(0).quantity().contains("B = 0.25, n = 4096"));
        assertEquals(2.0, m.slopes().get(0).fit().slope(), 1e-9);
        assertEquals(1.0, m.slopes().get(1).fit().slope(), 1e-9);
        assertTrue(m.toString().contains("not checks"));
    }

    @Test
    void inferenceTimesPairSizesByValueNotByPosition() {
        MeasurementTable m = EfficiencyChecks.inferenceTimes(new int[] {1024, 2048, 4096, 8192}, new double[] {1, 2, 4, 8},
                new int[] {2048, 8192, 4096}, new double[] {8, 128, 32}, "fastest of 5");
        assertEquals(List.of("S1.2048", "S1.8192", "S1.4096"), m.values().stream().map(MeasurementTable.Measurement::id).toList());
        assertEquals(4.0, m.values().get(0).value());
        assertEquals(16.0, m.values().get(1).value());
        assertEquals(8.0, m.values().get(2).value());
        assertEquals(1.0, m.slopes().get(0).fit().slope(), 1e-9);
        assertThrows(IllegalArgumentException.class, () -> EfficiencyChecks.inferenceTimes(new int[] {1}, new double[] {1, 2},
                new int[0], new double[0], "x"));
    }

    @Test
    void phaseTransitionNeedsAFeasiblePoint() {
        PhaseTransition.Point none = new PhaseTransition.Point(64, 4, 3, 9, -1, BigInteger.ZERO, false, 1, 0, 0, 1e-2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EfficiencyChecks.phaseTransition(List.of(none), 1e-2));
        assertTrue(e.getMessage().contains("feasible"), e.getMessage());
    }

    @Test
    void identityGapIsRoundingSizedAndReadOutErrorIsWithinDeltaF() {
        MonomialFeatures phi = MonomialFeatures.of(3, 2, 1.0 / 3, Budget.DEFAULT);
        double gap = EfficiencyChecks.identityGap(phi, new double[] {0.3, -0.7, 0.9}, new double[] {-0.2, 0.5, 0.8});
        assertTrue(gap <= 1e-14, "gap " + gap);
        assertThrows(IllegalArgumentException.class, () -> EfficiencyChecks.identityGap(phi, new double[2], new double[3]));
        SoftPromptAttention layer = SoftPromptAttention.random(4, 3);
        Apti induced = layer.induced(SoftPromptAttention.uniformRows(16, 4, 0.5, 2),
                SoftPromptAttention.uniformRows(16, 4, 0.5, 1), 1e-3, 0.25);
        double err = EfficiencyChecks.readOutError(PolynomialAttention.forProblem(induced), induced, 16);
        assertTrue(err > 0 && err <= 1e-3, "error " + err);
    }

    @Test
    void almostLinearAppendsChecksAndTheRefusalAsAFact() {
        Apti apti = Apti.random(256, 4, 1.0, 1e-3, 0.25, 5);
        PolynomialAttention pa = PolynomialAttention.forProblem(apti);
        Certificate cert = pa.attendCertified(apti, 64, 1).certificate();
        MonomialFeatures phi = MonomialFeatures.of(3, 2, 1.0 / 3, Budget.DEFAULT);
        double[] q = {0.3, -0.7, 0.9};
        double[] k = {-0.2, 0.5, 0.8};
        CheckTable t = EfficiencyChecks.almostLinear(cert, phi, q, k, 1e-4, true);
        assertEquals(List.of("P1", "F1", "Q1"), t.checkRows().stream().map(Check::id).toList());
        assertEquals(List.of("P2", "P3", "Q2"), t.facts().stream().map(Check::id).toList());
        assertTrue(t.allHold(), t.toString());
        assertFalse(t.checks().stream().anyMatch(c -> c.spec().contains("3.1") || c.id().equals("S1")));
        CheckTable wrong = EfficiencyChecks.almostLinear(cert, phi, q, k, 1.0, false);
        assertEquals(List.of("Q1", "Q2"), wrong.failures().stream().map(Check::id).toList());
    }
}
