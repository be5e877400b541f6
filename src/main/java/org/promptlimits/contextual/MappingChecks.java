package org.promptlimits.contextual;

import org.promptlimits.check.Check;
import org.promptlimits.check.CheckTable;
import org.promptlimits.check.Format;
import org.promptlimits.check.Relation;
import org.promptlimits.check.Require;
import org.promptlimits.contextual.ContextualMapping.Separation;
import org.promptlimits.core.Matrices;
import org.promptlimits.core.SelfAttention;
import org.promptlimits.precision.Budget;
import org.promptlimits.precision.Interval;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The check tables of a Lemma 2.2 layer: each promise of theory §3 measured on the layer itself. */
final class MappingChecks {

    private static final String SPEC = "theory §3 Lemma 2.2";
    private static final MathContext MC40 = LemmaConstants.MC40;

    private MappingChecks() {
    }

    /**
     * See {@link ContextualMapping#checks()}. THEORY: the projection, gap and score-bound rows are computed from the
     * exact projections vᵀx (no rounding) and the enclosure of 2 ln n + 3, so they are certified; EMPIRICAL chooses c
     * and r from the same gaps and projections with a 1 + 1e-9 margin, so there those two rows hold by definition
     * and are construction facts. γ and δ are certified whenever the outputs were evaluated exactly (in interval
     * arithmetic).
     */
    static CheckTable checks(ContextualMapping m, MappingEvaluation e) {
        LemmaConstants k = m.constants();
        ReadGeometry geometry = m.geometry();
        boolean theory = k.c0() != null;
        List<Check> checks = new ArrayList<>();
        if (theory) {
            Interval ratio = ProjectionSearch.certifiedProjectionRatio(geometry, m.vExact());
            checks.add(Check.certified("L2.2-v", "min |vᵀ(x−x')|/‖x−x'‖ over 𝒱∪{0} ≥ c0 = √(8/(πd))/(K+1)²",
                    SPEC + " step 1 [C]", ratio.lo(), ratio.hi(), Relation.AT_LEAST, k.c0(), (m.draws() == 0 ? "v given"
                            : "v found after " + m.draws() + " draw" + (m.draws() == 1 ? "" : "s") + " (seed "
                            + m.options().seed() + ")") + ", exact vᵀx, √ enclosed at 40 digits"));
        }
        BigDecimal[] p = geometry.projections(m.vExact(), MathContext.UNLIMITED);
        BigDecimal gap = k.c().multiply(geometry.smallestGapProduct(p, MathContext.UNLIMITED));
        BigDecimal largestScore = k.c().multiply(ReadGeometry.maxAbs(p, geometry.readQueries()))
                .multiply(ReadGeometry.maxAbs(p, geometry.allKeys()));
        String gapHow = "over " + geometry.readQueries().cardinality() + " read query tokens and their keys, c = "
                + Format.number(k.c());
        if (theory) {
            Interval threshold = Interval.point(m.sequences().n()).log(MC40).multiply(BigDecimal.valueOf(2), MC40)
                    .add(Interval.point(3), MC40);
            checks.add(Check.of("L2.2-gap", "smallest score gap c|vᵀx||vᵀ(z−z')| > 2 ln n + 3",
                    SPEC + " step 2 [C]", gap, Relation.GREATER_THAN, k.threshold(),
                    gapHow + ", exact; 2 ln n + 3 enclosed at 40 digits")
                    .certifiedBy(new Check.Enclosure(gap, gap, threshold.lo(), threshold.hi())));
            checks.add(Check.certified("L2.2-r", "largest |a_k| = c|vᵀx||vᵀz| < r", SPEC + " step 2 [C]", largestScore,
                    largestScore, Relation.LESS_THAN, k.r(), "r = c γ_max², exact"));
        } else {
            checks.add(Check.of("L2.2-gap", "smallest score gap c|vᵀx||vᵀ(z−z')| > 2 ln n + 3",
                    SPEC + " step 2 [C]", gap.round(MC40), Relation.GREATER_THAN, k.threshold(),
                    gapHow + " (EMPIRICAL: c is chosen from this gap"
                            + (m.draws() == 0 ? ", v given" : ", best of " + m.draws() + " draws") + ")").asFact());
            checks.add(Check.of("L2.2-r", "largest |a_k| = c|vᵀx||vᵀz| < r", SPEC + " step 2 [C]",
                    largestScore.round(MC40), Relation.LESS_THAN, k.r(),
                    "r = c q_max b_max (1 + 1e-9 margins, chosen from these projections)").asFact());
        }
        String claimGamma = "every output norm < γ = γ_max + κ b_max";
        String how = e.outputs + " outputs, " + e.how();
        checks.add(e.largestNormEnclosure != null
                ? Check.certified("L2.2-γ", claimGamma, SPEC + " [P]", e.largestNormEnclosure.lo(),
                        e.largestNormEnclosure.hi(), Relation.LESS_THAN, k.gamma(), how)
                : Check.of("L2.2-γ", claimGamma, SPEC + " [P]", e.largestNorm, Relation.LESS_THAN, k.gamma(),
                        how));
        Separation s = e.separation;
        String claimDelta = "smallest ‖q(Z⁽ⁱ⁾)[:,k] − q(Z⁽ʲ⁾)[:,l]‖ over qualifying pairs > δ";
        checks.add(s.enclosure() != null
                ? Check.certified("L2.2-δ", claimDelta, SPEC + " [P], δ [C]", s.enclosure().lo(), s.enclosure().hi(),
                        Relation.GREATER_THAN, k.delta(), s.method())
                : Check.of("L2.2-δ", claimDelta, SPEC + " [P], δ [C]", s.smallest(), Relation.GREATER_THAN,
                        k.delta(), s.method()));
        return CheckTable.of("Lemma 2.2: (γ, δ)-contextual mapping, " + m.options().constants() + " constants", checks);
    }

    /** See {@link ContextualMapping#anyRankChecks(int...)}. */
    static CheckTable anyRankChecks(ContextualMapping m, int... ranks) {
        Require.notNull("ranks", ranks);
        Require.that(ranks.length > 0, "ranks (empty) must name at least one rank");
        List<Check> checks = new ArrayList<>();
        for (int rank : ranks) {
            SelfAttention lifted = m.layer(rank);
            int[] rk = lifted.ranks();
            int matching = (int) Arrays.stream(rk).filter(x -> x == rank).count();
            BigDecimal count = BigDecimal.valueOf(matching);
            checks.add(Check.certified("rank " + rank + ": ranks", "W_O, W_V, W_K, W_Q all have rank " + rank
                            + " (number of the four with that rank)", SPEC + " step 5 [C]", count, count,
                    Relation.EQUALS, BigDecimal.valueOf(4), "exact ranks " + Arrays.toString(rk)
                            + " (fraction-free elimination), head size s = " + lifted.headSize()));
            Check outputs = sameOutputs("rank " + rank + ": outputs", lifted, m.layer(), m.options().budget());
            // rank 1 adds no rows: the "lifted" layer is built by the same call, from the same numbers, as the
            // construction's own, so comparing them cannot fail; it is shown as a fact, not counted as a check
            checks.add(rank == 1 && lifted.headSize() == m.layer().headSize() ? outputs.asFact() : outputs);
        }
        return CheckTable.of("Lemma 2.2 any rank: same outputs, rank r weights", checks);
    }

    /**
     * The certified row "{@code lifted} gives the outputs of {@code one} on every input": both layers' score matrices
     * W_KᵀW_Q and value matrices W_OW_V computed from their stored weights in exact decimal arithmetic, the row's
     * measured value the largest |difference| of their entries (exactly 0 when they agree). Equal matrices give
     * equal scores and values, hence identical outputs (theory §3.4): a proof on every input, whatever precision
     * the outputs themselves are evaluated at.
     */
    static Check sameOutputs(String id, SelfAttention lifted, SelfAttention one, Budget budget) {
        BigDecimal scores = Matrices.maxAbsDifference(lifted.scoreMatrix(budget), one.scoreMatrix(budget));
        BigDecimal values = Matrices.maxAbsDifference(lifted.valueMatrix(budget), one.valueMatrix(budget));
        BigDecimal worst = scores.max(values);
        int d = one.d();
        return Check.certified(id, "outputs identical to the rank-1 layer on every input (largest |difference| of"
                        + " W_KᵀW_Q and of W_OW_V)", SPEC + " step 5 [C]", worst, worst, Relation.EQUALS, BigDecimal.ZERO,
                "both layers' W_KᵀW_Q and W_OW_V (" + d + "×" + d + ") from the stored weights in exact decimal"
                        + " arithmetic: equal scores and values give equal outputs");
    }
}
