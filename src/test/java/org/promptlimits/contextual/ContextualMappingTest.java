package org.promptlimits.contextual;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;
import org.promptlimits.check.Check;
import org.promptlimits.check.CheckTable;
import org.promptlimits.check.Format;
import org.promptlimits.core.SelfAttention;
import org.promptlimits.precision.Budget;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Lemma 2.2 (theory §3): reference values, the checks in both modes, the any-rank lift and bad input.
 *
 * <p>Reference vocabulary {@link #REFERENCE} = {(1, 0), (−1.8, 0.45), (−0.65, −1.65)}, d = 2, n = 2, K = 3, all 6
 * ordered pairs as sequences. It was chosen to reproduce the sizes theory §3 quotes for d = 2, n = 2, K = 3
 * (c = 378, r ≈ 1300, δ ≈ 10^-1133). The values below were printed by
 * {@code src/test/resources/reference/lemma22_reference.py} (mpmath 1.3.0 at 1,300 digits, independent of this
 * library; it reads the same v, drawn with seed 1):
 * <pre>
 * gamma_min  1.0                                  gamma_max  1.85539753152794729319530242041
 * epsilon    2.33345237791560678342001263443     c          377.945064315341846739422769283
 * r          1301.07588390556437159976968755     kappa      0.314414072761266187757033190807
 * gamma      2.43876062600684898905030557902     delta      1.710540693986197182617881686e-1134
 * smallest same-token separation                 2.81808796800267951729998289736e-313
 * largest output norm                            2.30791872092663627146740550622
 * </pre>
 */
class ContextualMappingTest {

    static final double[][] REFERENCE = {{1.0, 0.0}, {-1.8, 0.45}, {-0.65, -1.65}};

    static void assertClose(String expected, BigDecimal got, int digits) {
        BigDecimal e = new BigDecimal(expected);
        BigDecimal rel = got.subtract(e).abs().divide(e.abs(), new MathContext(5));
        assertTrue(rel.compareTo(BigDecimal.ONE.movePointLeft(digits)) < 0,
                "expected " + expected + ", got " + got.round(new MathContext(digits + 3)));
    }

    static ContextualMapping reference() {
        return ContextualMapping.construct(Sequences.allArrangements(REFERENCE, 2, 100), ContextualMapping.Constants.THEORY);
    }

    @Test
    void theoryConstantsMatchTheIndependentReference() {
        ContextualMapping m = reference();
        assertClose("1.85539753152794729319530242041", m.gammaMax(), 28);
        assertClose("2.33345237791560678342001263443", m.epsilon(), 28);
        assertClose("377.945064315341846739422769283", m.c(), 28);
        assertClose("1301.07588390556437159976968755", m.r(), 28);
        assertClose("0.314414072761266187757033190807", m.kappa(), 28);
        assertClose("2.43876062600684898905030557902", m.gamma(), 28);
        assertClose("1.710540693986197182617881686e-1134", m.delta(), 25);
        assertEquals(378, m.c().setScale(0, java.math.RoundingMode.HALF_EVEN).intValue());
        assertEquals(-1134, Format.exponent10(m.delta()));
    }

    @Test
    void exactMinimumSeparationMatchesReferenceAndExceedsDelta() {
        ContextualMapping m = reference();
        ContextualMapping.Separation s = m.smallestSeparation();
        assertClose("2.81808796800267951729998289736e-313", s.sameToken(), 25);
        assertTrue(s.smallest().compareTo(m.delta()) > 0);
        CheckTable table = m.checks().assertAllHold();
        assertEquals(5, table.checks().size());
        assertTrue(m.plan().digits() >= 1134, m.plan().toString());
    }

    /**
     * Outputs that share their token and their sequence's multiset of tokens share one enclosure: each holds the
     * output enclosed directly from its own sequence at 40 more digits, and there are K·(K−1) = 6 distinct ones.
     */
    @Test
    void sharedEnclosuresHoldEachSequencesOwnOutput() {
        ContextualMapping m = reference();
        MappingEvaluation e = MappingEvaluation.of(m);
        MathContext fine = new MathContext(m.plan().digits() + 40);
        int[] read = m.readPositions();
        java.util.Set<Object> distinct = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (int i = 0; i < m.sequences().size(); i++) {
            org.promptlimits.precision.Interval[][] direct = org.promptlimits.core.IntervalForward.attention(m.layer(),
                    org.promptlimits.core.IntervalForward.points(m.sequences().exact(i)), fine, read);
            for (int j = 0; j < read.length; j++) {
                distinct.add(e.enclosed[i][j]);
                for (int row = 0; row < direct.length; row++) {
                    org.promptlimits.precision.Interval shared = e.enclosed[i][j][row];
                    assertTrue(shared.lo().compareTo(direct[row][j].lo()) <= 0 && shared.hi().compareTo(direct[row][j].hi()) >= 0,
                            "sequence " + i + ", read " + j + ", row " + row + ": " + shared + " against " + direct[row][j]);
                }
            }
        }
        assertEquals(6, distinct.size());
    }

    /** The different-token minimum (enclosed for the pairs near the double minimum only) is the minimum over all pairs. */
    @Test
    void differentTokenSeparationIsTheSmallestOverEveryPair() {
        ContextualMapping m = reference();
        BigDecimal[][][] out = m.outputsExact();
        MathContext mc = new MathContext(60);
        BigDecimal best = null;
        for (int i = 0; i < out.length; i++) {
            for (int j = 0; j < out[i].length; j++) {
                for (int i2 = 0; i2 < out.length; i2++) {
                    for (int j2 = 0; j2 < out[i2].length; j2++) {
                        if (m.inputTokenId(i, j) != m.inputTokenId(i2, j2)) {
                            BigDecimal sq = BigDecimal.ZERO;
                            for (int r = 0; r < out[i][j].length; r++) {
                                BigDecimal diff = out[i][j][r].subtract(out[i2][j2][r]);
                                sq = sq.add(diff.multiply(diff));
                            }
                            BigDecimal dist = sq.sqrt(mc);
                            best = best == null ? dist : best.min(dist);
                        }
                    }
                }
            }
        }
        BigDecimal got = m.smallestSeparation().differentTokens();
        assertTrue(got.compareTo(best) <= 0 && best.subtract(got).compareTo(best.movePointLeft(35)) < 0,
                "different-token separation " + got + " against the smallest over all pairs " + best);
    }

    /** THEORY rows are proofs: each enclosure holds mpmath's independent value, and each decides its relation. */
    @Test
    void theoryChecksAreCertifiedAndTheirEnclosuresHoldTheReferenceValues() {
        ContextualMapping m = reference();
        CheckTable table = m.checks().assertAllHold();
        for (Check c : table.checks()) {
            assertTrue(c.certified(), c.toString());
        }
        Check gamma = row(table, "L2.2-γ");
        assertInside("2.30791872092663627146740550622", gamma, 28);
        Check delta = row(table, "L2.2-δ");
        assertInside("2.81808796800267951729998289736e-313", delta, 28);
        assertTrue(delta.enclosure().width().compareTo(new BigDecimal("1e-340")) < 0, delta.toString());
    }

    private static Check row(CheckTable table, String id) {
        return table.checks().stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
    }

    /** The enclosure [lo, hi] of a certified row holds the reference value (known to {@code digits} digits). */
    private static void assertInside(String reference, Check c, int digits) {
        BigDecimal ref = new BigDecimal(reference);
        BigDecimal slack = ref.abs().movePointLeft(digits);
        assertTrue(c.enclosure().measuredLow().compareTo(ref.add(slack)) <= 0, c + " vs " + reference);
        assertTrue(c.enclosure().measuredHigh().compareTo(ref.subtract(slack)) >= 0, c + " vs " + reference);
    }

    @Test
    void aFixedProjectionReproducesTheConstructionWithoutDrawing() {
        ContextualMapping drawn = reference();
        ContextualMapping fixed = ContextualMapping.construct(Sequences.allArrangements(REFERENCE, 2, 100),
                MappingOptions.theory().withV(drawn.v()).withSeed(99));
        assertEquals(0, fixed.draws());
        assertEquals(0, fixed.c().compareTo(drawn.c()));
        assertEquals(0, fixed.delta().compareTo(drawn.delta()));
        assertEquals(0, fixed.layer().wKExact()[0][1].compareTo(drawn.layer().wKExact()[0][1]));
        assertTrue(fixed.toString().contains("v given"), fixed.toString());
    }

    @Test
    void aFixedProjectionThatMissesC0FailsTheProjectionCheck() {
        ContextualMapping m = ContextualMapping.construct(Sequences.allArrangements(REFERENCE, 2, 100),
                MappingOptions.theory().withV(0.01, 1));
        Check v = row(m.checks(), "L2.2-v");
        assertTrue(v.certified());
        assertTrue(!v.holds(), v.toString());
        assertTrue(v.measured().compareTo(new BigDecimal("0.011")) < 0, v.toString());
    }

    @Test
    void aFixedProjectionWithAZeroScoreGapIsRefusedByName() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ContextualMapping.construct(
                Sequences.allArrangements(REFERENCE, 2, 100), MappingOptions.empirical().withV(0, 1)));
        assertTrue(e.getMessage().contains("fix another v"), e.getMessage());
        IllegalArgumentException wrongLength = assertThrows(IllegalArgumentException.class,
                () -> ContextualMapping.construct(Sequences.allArrangements(REFERENCE, 2, 100),
                        MappingOptions.theory().withV(1, 0, 0)));
        assertTrue(wrongLength.getMessage().startsWith("v has 3 entries"), wrongLength.getMessage());
    }

    /** theory §3.3 closed form of δ equals the construction's δ (which is the min of two branches). */
    @Test
    void deltaEqualsSpecClosedForm() {
        ContextualMapping m = reference();
        MathContext mc = new MathContext(40);
        BigDecimal lnN = org.promptlimits.precision.BigMath.log(BigDecimal.valueOf(2), mc);
        BigDecimal pi = org.promptlimits.precision.BigMath.pi(mc);
        BigDecimal k4 = BigDecimal.valueOf(256);
        BigDecimal thr = lnN.multiply(BigDecimal.valueOf(2)).add(BigDecimal.valueOf(3));
        BigDecimal gMin = m.gammaMin();
        BigDecimal gMax = m.gammaMax();
        BigDecimal eps = m.epsilon();
        BigDecimal pre = BigDecimal.valueOf(2).multiply(lnN.pow(2)).multiply(eps.pow(2)).multiply(gMin)
                .divide(gMax.pow(2).multiply(k4).multiply(thr).multiply(pi).multiply(BigDecimal.valueOf(2)), mc);
        BigDecimal exponent = k4.multiply(thr).multiply(pi).multiply(BigDecimal.valueOf(2)).multiply(gMax.pow(2))
                .divide(BigDecimal.valueOf(4).multiply(eps).multiply(gMin), mc);
        BigDecimal delta = pre.multiply(org.promptlimits.precision.BigMath.exp(exponent.negate(), mc), mc);
        assertClose(delta.toString(), m.delta(), 25);
    }

    @Test
    void theoryChecksHoldOnTheSpecSizedVocabularyDTwoNThreeKFour() {
        double[][] voc = {{1.5, 0}, {0, 1.5}, {-1.5, 0.25}, {0.25, -1.5}};
        ContextualMapping m = ContextualMapping.construct(Sequences.allArrangements(voc, 3, 100),
                MappingOptions.theory().withReadPositions(2));
        m.checks().assertAllHold();
        m.anyRankChecks(1, 2).assertAllHold();
    }

    /**
     * Lemma 2.2 does not depend on the tokens' scale, and neither may the construction: for tokens of 1e-200 the
     * double norms ‖x − x'‖ fell to 0, so THEORY accepted a projection v below c0 and returned a mapping whose
     * L2.2-v and L2.2-gap checks failed, and EMPIRICAL's products of projections fell to 0 (then its score range,
     * c ≈ 1e400, overflowed), refused as "none of 64 random projections … raise draws"; for tokens of 1e200 both
     * were refused as "‖a − b‖ (Infinity) is not finite". c scales as 1/s².
     */
    @Test
    void theConstructionHoldsAtAnyTokenScale() {
        double[][] unit = {{1.0, 0.0}, {-1.8, 0.45}, {-0.65, -1.65}};
        for (ContextualMapping.Constants constants
                : List.of(ContextualMapping.Constants.THEORY, ContextualMapping.Constants.EMPIRICAL)) {
            BigDecimal c1 = ContextualMapping.construct(Sequences.allArrangements(unit, 2, 100), constants).c();
            for (double s : new double[] {1e-200, 1e200}) {
                double[][] scaled = new double[unit.length][];
                for (int t = 0; t < unit.length; t++) {
                    scaled[t] = new double[] {unit[t][0] * s, unit[t][1] * s};
                }
                ContextualMapping m = ContextualMapping.construct(Sequences.allArrangements(scaled, 2, 100), constants);
                CheckTable t = m.checks();
                assertTrue(t.allHold(), "scale " + s + ": " + t);
                double ratio = m.c().multiply(new BigDecimal(s).pow(2)).divide(c1, MathContext.DECIMAL64).doubleValue();
                assertEquals(1, ratio, 1e-6, "c·s²/c(1) at scale " + s + " (" + constants + ")");
            }
        }
    }

    @Test
    void empiricalModeNeedsFarSmallerTemperatureAndItsChecksHold() {
        Sequences seqs = Sequences.allArrangements(REFERENCE, 2, 100);
        ContextualMapping theory = reference();
        ContextualMapping empirical = ContextualMapping.construct(seqs, ContextualMapping.Constants.EMPIRICAL);
        assertTrue(empirical.c().compareTo(theory.c()) < 0);
        assertNull(empirical.c0());
        empirical.checks().assertAllHold();
        empirical.anyRankChecks(1, 2).assertAllHold();
    }

    @Test
    void empiricalModeInDoubleWhenDoubleResolves() {
        // well-spread projections on a line: the empirical c is small and double resolves every separation
        double[][] voc = {{1, 0.1}, {2, 0.1}, {3, 0.1}};
        ContextualMapping m = ContextualMapping.construct(Sequences.allArrangements(voc, 2, 100),
                MappingOptions.empirical().withReadPositions(1));
        m.checks().assertAllHold();
        assertEquals(ContextualMapping.Arithmetic.DOUBLE, m.resolvedArithmetic());
        assertNull(m.outputsExact());
    }

    @Test
    void readPositionsRestrictTheEmpiricalGapsAndChecks() {
        Sequences seqs = Sequences.allArrangements(new double[][] {{1, 0}, {0, 1.2}, {-1, -0.3}, {0.4, -1.1}}, 3, 100);
        ContextualMapping all = ContextualMapping.construct(seqs, ContextualMapping.Constants.EMPIRICAL);
        ContextualMapping last = ContextualMapping.construct(seqs, MappingOptions.empirical().withReadPositions(2));
        assertTrue(last.c().compareTo(all.c()) <= 0, last.c() + " vs " + all.c());
        assertEquals(1, last.outputs()[0].length);
        last.checks().assertAllHold();
    }

    @Test
    void outputDirectionAndScaleAreConfigurable() {
        Sequences seqs = Sequences.allArrangements(REFERENCE, 2, 100);
        ContextualMapping m = ContextualMapping.construct(seqs, MappingOptions.empirical()
                .withU(0, 3).withOutputScale(new BigDecimal("0.1")));
        assertEquals(0, m.kappa().compareTo(new BigDecimal("0.1")));
        assertEquals(0, m.uExact()[0].signum());
        assertEquals(0, m.uExact()[1].compareTo(BigDecimal.ONE));
        m.checks().assertAllHold();
        // W_O = κ u e_1ᵀ
        BigDecimal[][] wO = m.layer().wOExact();
        assertEquals(0, wO[1][0].compareTo(new BigDecimal("0.1")));
    }

    @Test
    void layerIsTheRankOneConstructionOfStepThree() {
        ContextualMapping m = reference();
        SelfAttention sa = m.layer();
        assertEquals(1, sa.headSize());
        int[] ranks = sa.ranks();
        for (int r : ranks) {
            assertEquals(1, r);
        }
        BigDecimal[][] wK = sa.wKExact();
        BigDecimal[] v = m.vExact();
        MathContext mc = new MathContext(50);
        // W_K = √c vᵀ: W_K[0][i]² = c v_i²
        for (int i = 0; i < 2; i++) {
            assertClose(m.c().multiply(v[i].pow(2), mc).toString(), wK[0][i].pow(2, mc), 35);
        }
    }

    @Test
    void anyRankLiftKeepsOutputsAndHasRankR() {
        double[][] voc = {{1, 0.2, 0.1}, {0.1, 1.3, -0.2}, {-0.9, 0.3, 0.8}, {0.2, -1.1, 0.5}};
        ContextualMapping m = ContextualMapping.construct(Sequences.allArrangements(voc, 2, 100),
                MappingOptions.empirical().withArithmetic(ContextualMapping.Arithmetic.DOUBLE));
        CheckTable table = m.anyRankChecks(1, 2, 3).assertAllHold();
        assertEquals(6, table.checks().size());
        for (Check c : table.checks()) {
            assertTrue(c.certified(), c.id() + " must be decided exactly");
        }
        assertEquals(0, table.checks().get(5).measured().signum());
        // rank 1 lifts nothing: its layer is the construction's own, so "same outputs" is a fact, not a check
        assertEquals(List.of("rank 1: outputs"), table.facts().stream().map(Check::id).toList());
        assertEquals(List.of("rank 1: ranks", "rank 2: ranks", "rank 2: outputs", "rank 3: ranks", "rank 3: outputs"),
                table.checkRows().stream().map(Check::id).toList());
        assertEquals(5, m.layer(3).headSize());
        assertEquals(7, m.layer(3, 7).headSize());
    }

    @Test
    void anyRankOutputsRowFailsWhenOneLiftedWeightChangesInItsLastDigit() {
        ContextualMapping m = reference();
        SelfAttention lifted = m.layer(2);
        assertTrue(MappingChecks.sameOutputs("o", lifted, m.layer(), Budget.DEFAULT).holds());
        // W_K[0][0] = √c v_0 plus one unit in its last digit: W_KᵀW_Q changes by that unit times W_Q[0][·]
        BigDecimal[][] wK = lifted.wKExact();
        BigDecimal changed = wK[0][0].add(wK[0][0].ulp());
        wK[0][0] = changed;
        SelfAttention perturbed = SelfAttention.ofExact(lifted.wOExact(), lifted.wVExact(), wK, lifted.wQExact());
        Check row = MappingChecks.sameOutputs("o", perturbed, m.layer(), Budget.DEFAULT);
        assertTrue(row.certified());
        assertTrue(!row.holds(), row.toString());
        BigDecimal expected = wK[0][0].ulp().multiply(lifted.wQExact()[0][0].abs())
                .max(wK[0][0].ulp().multiply(lifted.wQExact()[0][1].abs()));
        assertEquals(0, row.measured().compareTo(expected), row.measured() + " vs " + expected);
        // a changed value weight (W_O's extra column would meet a non-zero W_V row) fails too
        BigDecimal[][] wO = lifted.wOExact();
        wO[0][1] = wO[0][1].add(new BigDecimal("1e-30"));
        SelfAttention valueChanged = SelfAttention.ofExact(wO, lifted.wVExact(), lifted.wKExact(), lifted.wQExact());
        assertTrue(!MappingChecks.sameOutputs("o", valueChanged, m.layer(), Budget.DEFAULT).holds());
    }

    @Test
    void anyRankChecksRefuseWeightsWithTooManyDigitsForTheBudget() {
        ContextualMapping m = reference();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MappingChecks.sameOutputs(
                "o", m.layer(2), m.layer(), Budget.DEFAULT.withMaxDigits(10)));
        assertTrue(e.getMessage().contains("exact product a·b"), e.getMessage());
        assertTrue(e.getMessage().contains("Budget.maxDigits = 10"), e.getMessage());
    }

    @Test
    void theoryModeBeyondTheBudgetIsRefusedWithTheEstimate() {
        double[][] voc = {{2, 0}, {0, 1}, {-1, 0.1}, {0.1, -1}, {0.7, 0.7}};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ContextualMapping.construct(
                Sequences.allArrangements(voc, 3, 1000), MappingOptions.theory()));
        assertTrue(e.getMessage().contains("THEORY contextual mapping (exact outputs) needs"), e.getMessage());
        assertTrue(e.getMessage().contains("above Budget.max"), e.getMessage());
        assertTrue(e.getMessage().contains("use EMPIRICAL constants"), e.getMessage());
        IllegalArgumentException small = assertThrows(IllegalArgumentException.class, () -> ContextualMapping.construct(
                Sequences.allArrangements(REFERENCE, 2, 100), MappingOptions.theory().withBudget(Budget.DEFAULT.withMaxDigits(500))));
        assertTrue(small.getMessage().contains("digits"), small.getMessage());
        assertTrue(small.getMessage().contains("Budget.maxDigits = 500"), small.getMessage());
    }

    @Test
    void nd4jInputIsAccepted() {
        ContextualMapping m = ContextualMapping.construct(List.of(
                Nd4j.create(new double[][] {{1, -1.8}, {0, 0.45}}),
                Nd4j.create(new double[][] {{1, -0.65}, {0, -1.65}})), ContextualMapping.Constants.EMPIRICAL);
        assertEquals(3, m.separation().vocabularySize());
        m.checks().assertAllHold();
    }
}
