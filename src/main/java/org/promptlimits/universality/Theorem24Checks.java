package org.promptlimits.universality;

import org.promptlimits.check.Check;
import org.promptlimits.check.Relation;
import org.promptlimits.check.CheckTable;
import org.promptlimits.check.Format;
import org.promptlimits.core.Matrices;
import org.promptlimits.core.Tokens;
import org.promptlimits.core.Transformer;
import org.promptlimits.quantize.Grid;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;

/** The checks of a {@link Theorem24} construction: U1 (grid), U2 (Monte Carlo distance), S1–S5 (sizes). theory §5, §8.4. */
final class Theorem24Checks {

    private Theorem24Checks() {
    }

    /**
     * max over grid inputs G and targets i of |τ_{P_i}(G) − f̄_i(G)| for {@code model}, re-run in BigDecimal at
     * {@code work} (rounding to nearest, as the construction computed): not certified. Used only for a transformer
     * with a layer that has no interval evaluation (a caller's own Layer); {@link GridEnclosure} does the rest.
     */
    static Check roundedGridCheck(Theorem24 t, String id, Transformer model, String what, MathContext work) {
        Grid grid = t.grid();
        BigDecimal worst = BigDecimal.ZERO;
        long size = grid.size().longValueExact();
        for (int i = 0; i < t.targetCount(); i++) {
            BigDecimal[][] prompt = t.promptCode().prompt(i, work);
            for (long g = 0; g < size; g++) {
                BigDecimal[][] out = model.tau(prompt, Matrices.exact(t.clamp(grid.point(g))), work);
                double[][] want = t.tables().get(i).output(g);
                worst = worst.max(Matrices.maxAbsDifference(out, Matrices.exact(want)));
            }
        }
        return Check.of(id, "max over grid inputs G and targets i of |τ_{P_i}(G) − f̄_i(G)|, " + what, "theory §5.7 [C]",
                worst, Relation.AT_MOST, BigDecimal.ONE.scaleByPowerOfTen(-t.options().outputDigits()),
                t.targetCount() + " targets × " + size + " grid inputs, BigDecimal at P = " + work.getPrecision()
                        + " digits");
    }

    /**
     * S1–S5, construction facts (the build chooses each by the formula shown, so they hold by definition and are
     * never counted as checks): three layers, FF_2 width m·δ^{−dL}·L, FF_1 width 2dn/δ, Lp, precision.
     */
    static List<Check> sizeChecks(Theorem24 t) {
        Grid grid = t.grid();
        int m = t.targetCount();
        long expectedM = grid.size().longValueExact() * m * grid.length();
        PromptCode code = t.promptCode();
        int n = code.length() + grid.length();
        Transformer transformer = t.transformer();
        List<Check> cs = new ArrayList<>();
        cs.add(Check.fact("S1", "layers: one SA and two FF", "theory §5.2 [C]", transformer.depth(), 3,
                transformer.layerCounts().toString()));
        cs.add(Check.fact("S2", "FF_2 width = m·δ^{−dL}·L (one knot per X-position ID)", "theory §5.2 [C]",
                t.secondFeedForward().width(), expectedM, "m = " + m + ", δ = 1/" + grid.steps()));
        cs.add(Check.fact("S3", "FF_1 width = 2dn/δ", "theory §4.3 [C]", t.firstFeedForward().width(),
                2L * grid.d() * n * grid.steps(), "n = " + n));
        cs.add(Check.fact("S4", "Lp = max(1, ⌈log m / log δ^{−d}⌉)", "theory §5.3 [C]", code.length(),
                PromptCode.lengthFor(grid, m), "prompt tokens are grid tokens"));
        BigDecimal maxSlope = t.maximumSlope();
        double need = Format.log10(maxSlope.max(BigDecimal.ONE)) + Math.log10(t.gammaMax()) + t.options().outputDigits() + 5;
        cs.add(Check.of("S5", "precision P ≥ log10(max FF_2 slope · γ_max) + D_out + 5", "theory §5.5",
                BigDecimal.valueOf(t.precision().getPrecision()), Relation.AT_LEAST, BigDecimal.valueOf(Math.ceil(need)),
                "max slope " + Format.number(maxSlope) + ", min ID gap " + Format.number(t.minimumIdGap())).asFact());
        return cs;
    }

    /** U1, U2 per target (when built from targets), S1–S5 in one table. */
    static CheckTable checks(Theorem24 t, int samples, long seed) {
        List<Check> cs = new ArrayList<>();
        cs.add(t.gridCheck());
        for (int i = 0; i < t.targets().size(); i++) {
            cs.add(t.distance(i, samples, seed + i).atMost("U2." + i, "d_p(τ_{P_" + i + "}, " + t.targets().get(i).name()
                    + ") ≤ ε", "theory §5 [P]", t.epsilon()));
        }
        cs.addAll(sizeChecks(t));
        Grid grid = t.grid();
        return CheckTable.of("Theorem 2.4: τ = FF_2 ∘ SA ∘ FF_1 with " + t.targetCount() + " prompts (d = " + grid.d()
                + ", L = " + grid.length() + ", δ = 1/" + grid.steps() + ")", cs);
    }
}
