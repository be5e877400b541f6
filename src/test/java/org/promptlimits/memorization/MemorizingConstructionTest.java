package org.promptlimits.memorization;

import org.junit.jupiter.api.Test;
import org.promptlimits.check.CheckTable;
import org.promptlimits.precision.Budget;
import org.promptlimits.universality.Theorem24;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;
import static org.promptlimits.memorization.PromptLengthBoundTest.assertMessage;

class MemorizingConstructionTest {

    @Test
    void constructionMemorizesAGivenDatasetOnAllOutputTokens() {
        Dataset data = Dataset.random(4, 1, 2, 7);
        MemorizingConstruction c = MemorizingConstruction.forDataset(data, 1, Theorem24.Options.defaults());
        CheckTable t = c.checks();
        assertTrue(t.allHold(), t.toString());
        assertEquals(1, c.promptLength());
        for (int i = 0; i < data.size(); i++) {
            double[][] out = c.output(0, data.input(i));
            double[][] y = data.label(i);
            for (int l = 0; l < 2; l++) {
                assertEquals(y[0][l], out[0][l], 1e-12);
            }
        }
    }

    @Test
    void labelingFamilyMeetsTheCountingBound() {
        // d = 1, L = 2, δ = ε = 1/4: m = 5 labelings need ⌈ln 5 / ln 4⌉ = 2 grid tokens, and the construction uses 2
        MemorizingConstruction c = MemorizingConstruction.forLabelings(1, 2, 0.25, 0.25, 5, 3, Theorem24.Options.defaults());
        assertEquals(2, c.promptLength());
        assertEquals(2, c.familyBound().minimumLength().intValueExact());
        CheckTable t = c.checks();
        assertTrue(t.allHold(), t.toString());
        assertEquals(3, t.checks().stream().filter(k -> k.id().startsWith("M")).count());
    }

    @Test
    void fullFamilyIsTheTheoremBoundAndIsRefusedByTheBudget() {
        MemorizingConstruction.FamilySize size = MemorizingConstruction.fullFamilySize(1, 2, 0.25, 0.25);
        assertEquals(16, size.promptLength().minimumLength().intValueExact());
        assertEquals(32 * Math.log10(2) + Math.log10(16) + Math.log10(2), size.log10Width(), 1e-9);
        assertTrue(MemorizingConstruction.fullFamilySize(2, 4, 0.1, 0.1).log10Width() > 1e8);
        assertMessage(() -> MemorizingConstruction.forAllLabelings(1, 2, 0.25, 0.25, Theorem24.Options.defaults()),
                "above Budget.maxCells");
    }

    /**
     * Below ε ≈ 4.7e-10 the labels were drawn as int levels: at ε = 2e-10 (|Λ| = 1666666667) 3·level wrapped and
     * gave negative labels, refused as "outputs[…] must be in [0, 1]"; at ε = 1e-12 (|Λ| ≈ 3.3e11) the count cast
     * to an int was refused by the random generator as "bound must be positive". Every label must lie in
     * Λ = {0, 3ε, 6ε, …} ∩ [0, 1], and the construction must memorize them.
     */
    @Test
    void labelCountsBeyondAnIntDrawLabelsInLambda() {
        for (double epsilon : new double[] {2e-10, 1e-12}) {
            MemorizingConstruction c = MemorizingConstruction.forLabelings(1, 1, 0.5, epsilon, 2, 3,
                    Theorem24.Options.defaults());
            for (int i = 0; i < c.labelingCount(); i++) {
                for (double x : new double[] {0, 0.5}) {
                    double y = c.output(i, new double[][] {{x}})[0][0];
                    double level = y / (3 * epsilon);
                    assertTrue(y >= 0 && y <= 1 && Math.abs(level - Math.rint(level)) < 1e-3,
                            "ε = " + epsilon + ": label " + y + " is not in Λ");
                }
            }
            CheckTable t = c.checks();
            assertTrue(t.allHold(), t.toString());
        }
    }

    @Test
    void badRequestsAreRefused() {
        assertMessage(() -> MemorizingConstruction.forLabelings(1, 2, 0.25, 0.5, 2, 1, Theorem24.Options.defaults()),
                "epsilon (0.5) must be <= 1/3");
        assertMessage(() -> MemorizingConstruction.forLabelings(1, 1, 0.5, 0.25, 5, 1, Theorem24.Options.defaults()),
                "m (5) must be <= |Λ|^(dL·N) = 4");
        assertMessage(() -> MemorizingConstruction.forLabelings(1, 2, 0.25, 0.25, 5, 1,
                Theorem24.Options.defaults().withBudget(Budget.DEFAULT.withMaxCells(100))), "above Budget.maxCells");
        Dataset close = Dataset.of(List.of(new double[][] {{0.5}}, new double[][] {{0.5 + 1e-9}}),
                List.of(new double[][] {{0.1}}, new double[][] {{0.9}}));
        assertMessage(() -> MemorizingConstruction.forDataset(close, 1,
                Theorem24.Options.defaults().withBudget(Budget.DEFAULT.withMaxCells(1000))),
                "no grid within the budget separates the inputs: inputs[0] and inputs[1] still share a cell");
    }

    /**
     * A fine grid with a small ε: the number of labelings |Λ|^(dL·N) has about 17 million digits (N = 10^6 inputs,
     * |Λ| ≈ 3·10^8), and computing it exactly just to compare it with m = 2 kept the call busy for minutes. The
     * request is now judged by the size estimate of the construction at once.
     */
    @Test
    void aFineGridWithASmallEpsilonIsJudgedByItsSizeWithoutCountingEveryLabeling() {
        IllegalArgumentException e = assertTimeoutPreemptively(java.time.Duration.ofSeconds(15),
                () -> assertThrows(IllegalArgumentException.class, () -> MemorizingConstruction.forLabelings(1, 2,
                        0.001, 1e-9, 2, 1, Theorem24.Options.defaults())));
        assertTrue(e.getMessage().startsWith("Theorem 2.4 construction needs"), e.getMessage());
        assertTrue(e.getMessage().contains("above Budget.maxCells"), e.getMessage());
    }
}
