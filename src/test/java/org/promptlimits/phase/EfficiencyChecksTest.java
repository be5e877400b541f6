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
    void phaseTransitionTableReadsTheSmallestBoundOfTheLargestNAndFailsOnAnErrorAboveDeltaF() {
        List<PhaseTransition.Point> good = List.of(point(256, 0.25, 1e-3, 2e-3, 1e-4), point(4096, 0.5, 2.0, 1.0, 1e-3),
                point(4096, 0.25, 3.0, 1.0, 1e-3));
        CheckTable t = EfficiencyChecks.phaseTransition(good, 1e-2);
        assertEquals(List.of("E1", "T1", "R1", "R2"), t.checks().stream().map(Check::id).toList());
        assertEquals(3.0, t.checks().get(1).measured().doubleValue());
        assertEquals("speed-up at B = 0.25, n = 4096 ≥ 1", t.checks().get(1).claim());
        assertTrue(t.allHold(), t.toString());
        CheckTable bad = EfficiencyChecks.phaseTransition(List.of(point(4096, 0.25, 3.0, 1.0, 0.5)), 1e-2);
        assertEquals(List.of("E1"), bad.failures().stream().map(Check::id).toList());
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
    void almostLinearAppendsFourChecksToTheCertificate() {
        Apti apti = Apti.random(256, 4, 1.0, 1e-3, 0.25, 5);
        PolynomialAttention pa = PolynomialAttention.forProblem(apti);
        Certificate cert = pa.attendCertified(apti, 64, 1).certificate();
        MonomialFeatures phi = MonomialFeatures.of(3, 2, 1.0 / 3, Budget.DEFAULT);
        double[] q = {0.3, -0.7, 0.9};
        double[] k = {-0.2, 0.5, 0.8};
        CheckTable t = EfficiencyChecks.almostLinear(cert, phi, q, k, 2.0, 8192, 1e-4, true);
        assertEquals(List.of("P1", "P2", "P3", "F1", "S1", "Q1", "Q2"), t.checks().stream().map(Check::id).toList());
        assertTrue(t.allHold(), t.toString());
        CheckTable slow = EfficiencyChecks.almostLinear(cert, phi, q, k, 0.5, 8192, 1e-4, false);
        assertEquals(List.of("S1", "Q2"), slow.failures().stream().map(Check::id).toList());
        assertFalse(slow.allHold());
    }

    @Test
    void exerciseTablesFailWhenTheExpectedEffectIsAbsent() {
        assertTrue(EfficiencyChecks.phaseTransitionExercises(true, 5, 7, 126, 1287).allHold());
        assertEquals(List.of("X2"), EfficiencyChecks.phaseTransitionExercises(true, 7, 7, 126, 1287).failures()
                .stream().map(Check::id).toList());
        assertTrue(EfficiencyChecks.inferenceExercises(true, 1e-3, 1e-7, 3.0, 1.0, 35, 165).allHold());
        assertEquals(List.of("X1b", "X2"), EfficiencyChecks.inferenceExercises(true, 1e-3, 1e-4, 0, 1.0, 35, 165)
                .failures().stream().map(Check::id).toList());
    }
}
