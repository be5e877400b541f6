package org.promptlimits.quantize;

import org.junit.jupiter.api.Test;
import org.promptlimits.precision.Budget;
import org.promptlimits.precision.CallersBudget;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.*;

class Seq2SeqTest {

    @Test
    void aRefutedLipschitzConstantIsRejectedWithTheCounterexample() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Seq2Seq.of("square claimed 1", 1, 2, 2, 1.0, x -> {
                    for (double[] r : x) {
                        for (int l = 0; l < r.length; l++) {
                            r[l] = r[l] * r[l];
                        }
                    }
                    return x;
                }));
        assertTrue(e.getMessage().startsWith("lipschitz (1.0) must bound"), e.getMessage());
        assertTrue(e.getMessage().contains("X = [["), e.getMessage());
        assertTrue(e.getMessage().contains("gives ratio"), e.getMessage());
    }

    @Test
    void everyCatalogueTargetPassesItsSpotCheckAndStaysInTheCube() {
        for (double p : new double[] {1, 2}) {
            List<Seq2Seq> all = Targets.catalogue(2, 3, p);
            assertEquals(5, all.size());
            for (Seq2Seq f : all) {
                LipschitzSpotCheck.Result r = LipschitzSpotCheck.search(f, 300, 11);
                assertFalse(r.refutes(), f + ": " + r.describePair());
                assertTrue(r.check("lip").holds());
            }
        }
    }

    @Test
    void cumulativeMaxAttainsItsConstantLToTheOneOverP() {
        Seq2Seq f = Targets.cumulativeMax(1, 4, 2);
        double[][] x = {{0.5, 0.1, 0.1, 0.1}};
        double[][] y = {{0.6, 0.1, 0.1, 0.1}};
        double ratio = org.promptlimits.core.Tokens.pDistance(f.apply(x), f.apply(y), 2)
                / org.promptlimits.core.Tokens.pDistance(x, y, 2);
        assertEquals(2.0, ratio, 1e-12);
        assertEquals(2.0, f.lipschitz(), 1e-9);
    }

    @Test
    void wrongShapeNonFiniteOrOutOfRangeOutputsAreRejected() {
        Seq2Seq wrongShape = Seq2Seq.of("ok", 1, 2, 1, 1, x -> x);
        assertThrows(IllegalArgumentException.class, () -> wrongShape.apply(new double[][] {{0.1, 0.2, 0.3}}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Seq2Seq.of("shape", 1, 2, 1, 1, x -> new double[][] {{0.1}}));
        assertTrue(e.getMessage().contains("must be d×L = 1×2"), e.getMessage());
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class,
                () -> Seq2Seq.of("nan", 1, 2, 1, 1, x -> new double[][] {{Double.NaN, 0}}));
        assertTrue(e2.getMessage().contains("must be finite"), e2.getMessage());
        IllegalArgumentException e3 = assertThrows(IllegalArgumentException.class,
                () -> Seq2Seq.of("big", 1, 2, 1, 1, x -> new double[][] {{x[0][0] + 1, 0}}));
        assertTrue(e3.getMessage().contains("must be in [0, 1]"), e3.getMessage());
    }


    /**
     * The Lipschitz spot check ran under Budget.DEFAULT's cells with no time limit at all. The caller's budget now
     * holds both: 10,000 cheap pairs are refused under 1 ms, 2·10^6 pairs of a target that takes 1 ms a call (about
     * 100 minutes, refused under DEFAULT after a second) run on under a larger budget, and pairs whose arrays DEFAULT's
     * cells refuse are admitted by a larger maxCells (and then refused here by the tiny time limit).
     */
    @Test
    void theCallersBudgetSetsTheSpotChecksLimits() {
        Seq2Seq shift = Targets.shift(1, 2, 2);
        Budget tinyTime = Budget.DEFAULT.withMaxSeconds(1e-3);
        IllegalArgumentException tiny = CallersBudget.smallRefusesWhatDefaultRuns(
                b -> LipschitzSpotCheck.search(shift, 10_000, 1, b), tinyTime);
        assertTrue(tiny.getMessage().startsWith("Lipschitz spot check needs about ") && tiny.getMessage().contains(
                "(pairs + pairs / 2 (hill climb) = 15000 × ") && tiny.getMessage().endsWith("; lower pairs, or pass a"
                + " Budget with a larger maxSeconds"), tiny.getMessage());
        CallersBudget.largerAdmitsWhatDefaultRefuses(
                b -> LipschitzSpotCheck.search(identityTakingAMillisecond(), 2_000_000, 1, b));
        IllegalArgumentException cells = assertThrows(IllegalArgumentException.class,
                () -> LipschitzSpotCheck.search(shift, 2_000_000, 1));
        assertTrue(cells.getMessage().contains("above Budget.maxCells = 1e7; lower pairs, d or L, or pass a Budget"
                + " with a larger maxCells"), cells.getMessage());
        IllegalArgumentException time = assertThrows(IllegalArgumentException.class,
                () -> LipschitzSpotCheck.search(shift, 2_000_000, 1, tinyTime.withMaxCells(100_000_000)));
        assertTrue(time.getMessage().contains("above Budget.maxSeconds = 0.001;"), time.getMessage());
    }

    /** The identity on d = L = 1 (L_f = 1) taking 1 ms a call, once its own spot check has passed at full speed. */
    static Seq2Seq identityTakingAMillisecond() {
        AtomicBoolean slow = new AtomicBoolean();
        Seq2Seq identity = Seq2Seq.of("identity, 1 ms a call", 1, 1, 2, 1.0, x -> {
            if (slow.get()) {
                CallersBudget.spin(1_000_000);
            }
            return x;
        });
        slow.set(true);
        return identity;
    }
}
