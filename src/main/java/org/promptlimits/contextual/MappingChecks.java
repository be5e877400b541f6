package org.promptlimits.contextual;

import org.promptlimits.check.Check;
import org.promptlimits.check.Relation;
import org.promptlimits.check.CheckTable;
import org.promptlimits.check.Format;
import org.promptlimits.check.Require;
import org.promptlimits.contextual.ContextualMapping.Arithmetic;
import org.promptlimits.contextual.ContextualMapping.Separation;
import org.promptlimits.core.SelfAttention;

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

    /** See {@link ContextualMapping#checks()}. */
    static CheckTable checks(ContextualMapping m, MappingEvaluation e) {
        LemmaConstants k = m.constants();
        ReadGeometry geometry = m.geometry();
        List<Check> checks = new ArrayList<>();
        if (k.c0() != null) {
            checks.add(Check.of("L2.2-v", "min |vᵀ(x−x')|/‖x−x'‖ over 𝒱∪{0} ≥ c0 = √(8/(πd))/(K+1)²", SPEC + " step 1 [C]",
                    ProjectionSearch.exactProjectionRatio(geometry, m.vExact(), MC40), Relation.AT_LEAST, k.c0(), "v found after " + m.draws()
                            + " draw" + (m.draws() == 1 ? "" : "s") + " (seed " + m.options().seed() + "), 40 digits"));
        }
        BigDecimal[] p = geometry.projections(m.vExact(), MC40);
        checks.add(Check.of("L2.2-gap", "smallest score gap c|vᵀx||vᵀ(z−z')| > 2 ln n + 3",
                SPEC + " step 2 [C]", k.c().multiply(geometry.smallestGapProduct(p, MC40), MC40), Relation.GREATER_THAN, k.threshold(),
                "over " + geometry.readQueries().cardinality() + " read query tokens and their keys, c = " + Format.number(k.c())
                        + (k.c0() == null ? " (EMPIRICAL, best of " + m.draws() + " draws)" : "")));
        checks.add(Check.of("L2.2-r", "largest |a_k| = c|vᵀx||vᵀz| < r", SPEC + " step 2 [C]",
                k.c().multiply(ReadGeometry.maxAbs(p, geometry.readQueries()))
                        .multiply(ReadGeometry.maxAbs(p, geometry.allKeys()), MC40), Relation.LESS_THAN, k.r(),
                k.c0() != null ? "r = c γ_max²" : "r = c q_max b_max (1 + 1e-9 margins)"));
        checks.add(Check.of("L2.2-γ", "every output norm < γ = γ_max + κ b_max", SPEC + " [P]",
                e.largestNorm, Relation.LESS_THAN, k.gamma(), e.outputs + " outputs, " + e.how()));
        Separation s = e.separation;
        checks.add(Check.of("L2.2-δ", "smallest ‖q(Z⁽ⁱ⁾)[:,k] − q(Z⁽ʲ⁾)[:,l]‖ over qualifying pairs > δ",
                SPEC + " [P], δ [C]", s.smallest(), Relation.GREATER_THAN, k.delta(), s.method()));
        return CheckTable.of("Lemma 2.2: (γ, δ)-contextual mapping, " + m.options().constants() + " constants", checks);
    }

    /** See {@link ContextualMapping#anyRankChecks(int...)}. */
    static CheckTable anyRankChecks(ContextualMapping m, MappingEvaluation e, int... ranks) {
        Require.notNull("ranks", ranks);
        Require.that(ranks.length > 0, "ranks (empty) must name at least one rank");
        Sequences sequences = m.sequences();
        int[] read = m.geometry().read();
        List<Check> checks = new ArrayList<>();
        for (int rank : ranks) {
            SelfAttention lifted = m.layer(rank);
            int[] rk = lifted.ranks();
            int matching = (int) Arrays.stream(rk).filter(x -> x == rank).count();
            checks.add(Check.of("rank " + rank + ": ranks", "W_O, W_V, W_K, W_Q all have rank " + rank
                            + " (number of the four with that rank)", SPEC + " step 5 [C]", BigDecimal.valueOf(matching), Relation.EQUALS,
                    BigDecimal.valueOf(4), "exact ranks " + Arrays.toString(rk) + ", head size s = " + lifted.headSize()));
            BigDecimal worst = BigDecimal.ZERO;
            int compared;
            if (e.arithmetic == Arithmetic.EXACT) {
                compared = Math.min(sequences.size(), 6);
                MathContext mc = e.mathContext();
                for (int i = 0; i < compared; i++) {
                    BigDecimal[][] out = MappingEvaluation.readColumns(lifted.apply(sequences.exact(i), mc, read));
                    for (int j = 0; j < read.length; j++) {
                        for (int row = 0; row < out[j].length; row++) {
                            worst = worst.max(out[j][row].subtract(e.exact[i][j][row]).abs());
                        }
                    }
                }
            } else {
                compared = sequences.size();
                double w = 0;
                for (int i = 0; i < compared; i++) {
                    double[][] out = MappingEvaluation.readColumns(lifted.applyReference(sequences.matrix(i)), read);
                    for (int j = 0; j < read.length; j++) {
                        for (int row = 0; row < out[j].length; row++) {
                            w = Math.max(w, Math.abs(out[j][row] - e.doubles[i][j][row]));
                        }
                    }
                }
                worst = new BigDecimal(w);
            }
            checks.add(Check.of("rank " + rank + ": outputs", "outputs identical to the rank-1 layer (largest |difference|)",
                    SPEC + " step 5 [C]", worst, Relation.EQUALS, BigDecimal.ZERO, compared + " sequences × " + read.length + " read positions, "
                            + e.how()));
        }
        return CheckTable.of("Lemma 2.2 any rank: same outputs, rank r weights", checks);
    }
}
