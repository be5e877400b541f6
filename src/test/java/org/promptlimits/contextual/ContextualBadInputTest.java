package org.promptlimits.contextual;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.linalg.factory.Nd4j;

import java.math.BigDecimal;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every bad input of issue 3 gives an IllegalArgumentException naming the parameter, the value and the rule. */
class ContextualBadInputTest {

    static final double[][] VOC = ContextualMappingTest.REFERENCE;

    static void assertMessage(Executable call, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "message '" + e.getMessage() + "' lacks '" + part + "'");
        }
    }

    @Test
    void duplicateTokenInsideASequence() {
        assertMessage(() -> TokenwiseSeparation.measure(Sequences.ofTokens(new double[][][] {{{1, 0}, {1, 0}}})),
                "sequences[0] repeats token [1.0, 0.0] at positions 0 and 1", "must be distinct");
    }

    @Test
    void sequencesOfDifferentShapes() {
        assertMessage(() -> Sequences.ofTokens(new double[][][] {{{1, 0}, {0, 1}}, {{1, 0}, {0, 1}, {1, 1}}}),
                "tokens[1] holds 3 tokens of dimension 2 but tokens[0] holds 2 of dimension 2", "same shape");
        assertMessage(() -> Sequences.of(List.of(Nd4j.create(new double[][] {{1, 2}}), Nd4j.create(new double[][] {{1}, {2}}))),
                "sequences[1] is 2×1 but sequences[0] is 1×2");
    }

    @Test
    void vocabularyThatIsNotSeparated() {
        // one token only: no two different tokens, ε = 0
        Sequences single = Sequences.ofTokens(new double[][][] {{{1, 0}}, {{1, 0}}});
        assertEquals(0, TokenwiseSeparation.measure(single).epsilon().signum());
        Sequences pairs = Sequences.allArrangements(VOC, 2, 100);
        assertMessage(() -> ContextualMapping.construct(pairs, MappingOptions.theory()
                        .withSeparation(null, null, BigDecimal.ZERO)), "epsilon (0) must be > 0", "not separated");
    }

    @Test
    void declaredConstantsMustDescribeTheSequences() {
        Sequences pairs = Sequences.allArrangements(VOC, 2, 100);
        assertMessage(() -> ContextualMapping.construct(pairs, MappingOptions.theory()
                .withSeparation(new BigDecimal("1.5"), null, null)), "gammaMin (1.5) must be <= the measured value 1");
    }

    @Test
    void zeroTokenMakesGammaMinZero() {
        Sequences withZero = Sequences.ofTokens(new double[][][] {{{0, 0}, {1, 0}}, {{1, 0}, {0, 1}}});
        assertMessage(() -> ContextualMapping.construct(withZero, ContextualMapping.Constants.EMPIRICAL),
                "gamma_min (0) must be > 0", "zero vector", "sequence 0, position 0");
    }

    @Test
    void nanOrInfiniteEntries() {
        assertMessage(() -> Sequences.ofTokens(new double[][][] {{{1, Double.NaN}, {0, 1}}}), "(NaN) must be finite");
        assertMessage(() -> Sequences.of(List.of(Nd4j.create(new double[][] {{1, Double.NEGATIVE_INFINITY}}))),
                "sequences[0][0][1] (-Infinity) must be finite");
        assertMessage(() -> MappingOptions.empirical().withU(1, Double.NaN), "u[1] (NaN) must be finite");
    }

    @Test
    void rankOutsideOneToMinSD() {
        ContextualMapping m = ContextualMapping.construct(Sequences.allArrangements(VOC, 2, 100),
                MappingOptions.empirical().withArithmetic(ContextualMapping.Arithmetic.DOUBLE));
        assertMessage(() -> m.layer(0), "rank (0) must be in [1, min(s, d)]");
        assertMessage(() -> m.layer(3), "rank (3) must be in [1, min(s, d)] = [1, 2]");
        assertMessage(() -> m.layer(2, 2), "headSize (2) must be >= 2·rank − 1 = 3");
        assertMessage(() -> m.layer(2, 1), "rank (2) must be in [1, min(s, d)] = [1, 1]");
    }

    @Test
    void emptyInput() {
        assertMessage(() -> Sequences.of(List.of()), "sequences (empty) must hold at least one sequence");
        assertMessage(() -> Sequences.ofMatrices(new double[0][][]), "z (empty)");
        assertMessage(() -> Sequences.ofTokens(new double[][][] {{}}), "tokens[0] (0 rows) must have at least one row");
        ContextualMapping m = ContextualMapping.construct(Sequences.allArrangements(VOC, 2, 100),
                MappingOptions.empirical().withArithmetic(ContextualMapping.Arithmetic.DOUBLE));
        assertMessage(() -> m.anyRankChecks(), "ranks (empty) must name at least one rank");
        assertMessage(() -> ContextualMapping.construct(Sequences.allArrangements(VOC, 2, 100),
                MappingOptions.empirical().withReadPositions()), "readPositions (empty)");
    }

    @Test
    void otherBadOptions() {
        Sequences pairs = Sequences.allArrangements(VOC, 2, 100);
        assertMessage(() -> ContextualMapping.construct(pairs, MappingOptions.empirical().withReadPositions(2)),
                "readPositions entry (2) must be in [0, 1]");
        assertMessage(() -> ContextualMapping.construct(pairs, MappingOptions.empirical().withU(1, 0, 0)),
                "u has 3 entries but d = 2");
        assertMessage(() -> ContextualMapping.construct(pairs, MappingOptions.empirical().withOutputScale(BigDecimal.TEN)),
                "outputScale (10) must be < ε/(2 b_max)");
        assertMessage(() -> ContextualMapping.construct(Sequences.ofTokens(new double[][][] {{{1, 0}}, {{0, 1}}}),
                ContextualMapping.Constants.THEORY), "n (1) must be >= 2");
        assertMessage(() -> MappingOptions.theory().withDraws(0), "draws (0) must be > 0");
    }

    /**
     * maxCount is the caller's own cap; it said nothing about memory. Twelve tokens arranged twelve at a time with
     * maxCount = Integer.MAX_VALUE (12! ≈ 4.8·10^8 sequences) ran out of memory half-way through the enumeration.
     */
    @Test
    void arrangementsAreEstimatedAgainstTheBudgetBeforeTheyAreEnumerated() {
        double[][] twelve = new double[12][];
        for (int t = 0; t < 12; t++) {
            twelve[t] = new double[] {t + 1, 12 - t};
        }
        assertMessage(() -> Sequences.allArrangements(twelve, 12, Integer.MAX_VALUE),
                "all arrangements of n = 12 of K = 12 tokens (2·count·n·(d + 2) doubles, headers included) needs",
                "above Budget.maxBytes", "lower n or K, or maxCount");
        assertEquals(132, Sequences.allArrangements(twelve, 2, Integer.MAX_VALUE).size());
    }
}
