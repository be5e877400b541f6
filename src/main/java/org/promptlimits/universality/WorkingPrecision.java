package org.promptlimits.universality;

import org.promptlimits.check.Format;
import org.promptlimits.core.FeedForward;
import org.promptlimits.precision.Budget;
import org.promptlimits.precision.PrecisionPlan;
import org.promptlimits.quantize.Grid;
import org.promptlimits.quantize.GridTable;
import org.promptlimits.quantize.StaircaseQuantizer;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;

/**
 * Step 3 of Theorem 2.4 (theory §8.4): the working precision P, found in at most {@link #ROUNDS} rounds. The first
 * plan is the largest of the safe Boltzmann rule {@code ⌈2r/ln 10⌉ + 10} (r = c γ_max²), the staircase's
 * pre-activations {@code ⌈log10(n+1) − log10 η⌉ + 10} and {@code D_out + 20}. Each round builds FF_1 at P, computes
 * the context IDs, and raises P to {@code max(⌈log10(max FF_2 slope · γ_max)⌉ + D_out + 5, ⌈−log10(min ID gap)⌉ +
 * D_out + 10)} if that is larger; every plan is checked against the {@link Budget} before it is used.
 *
 * @param plan the final plan
 * @param ff1  the staircase FF_1 built at that precision
 * @param ids  the context IDs computed at that precision
 */
record WorkingPrecision(PrecisionPlan plan, FeedForward ff1, ContextIds ids) {

    /** The most rounds of raising the precision. */
    static final int ROUNDS = 3;

    static WorkingPrecision find(Grid grid, List<GridTable> tables, PromptCode code, ContextStage stage, BigDecimal eta,
                                 double gammaMax, int outputDigits, Budget budget) {
        int n = code.length() + grid.length();
        double r = stage.temperature() * gammaMax * gammaMax;
        int p = (int) Math.ceil(2 * r / Math.log(10)) + 10;
        p = Math.max(p, (int) Math.ceil(Math.log10(n + 1.0) - Format.log10(eta)) + 10);
        p = Math.max(p, outputDigits + 20);
        PrecisionPlan plan = require(budget, PrecisionPlan.fixed(p,
                "2cγ_max²/ln 10 + 10 with c = " + Format.number(stage.temperature())));
        WorkingPrecision result = null;
        // every sequence [P_i, G] + E passes SA exactly: n² exponentials at this precision each
        long exps = grid.size().multiply(BigInteger.valueOf((long) tables.size() * n * n))
                .min(BigInteger.valueOf(Long.MAX_VALUE)).longValue();
        for (int round = 0; round < ROUNDS; round++) {
            plan.requireWithin(budget, "Theorem 2.4 context IDs (m·δ^{−dL} = " + grid.size().multiply(
                    BigInteger.valueOf(tables.size())) + " sequences of n = " + n + " tokens)", exps,
                    limit -> Budget.orLarger("raise epsilon (or delta) or use fewer targets", limit));
            FeedForward first = StaircaseQuantizer.of(grid.d(), grid.steps(), 1, n + 1, eta, plan.mathContext())
                    .withBudget(budget).layer();
            ContextIds ids = ContextIds.compute(grid, tables, code, stage, first, plan.mathContext(), budget);
            result = new WorkingPrecision(plan, first, ids);
            int needed = (int) Math.ceil(Format.log10(ids.maxSlope().max(BigDecimal.ONE)) + Math.log10(gammaMax))
                    + outputDigits + 5;
            needed = Math.max(needed, (int) Math.ceil(-Format.log10(ids.minGap())) + outputDigits + 10);
            if (needed <= plan.digits()) {
                break;
            }
            plan = require(budget, PrecisionPlan.fixed(needed, "log10(max FF_2 slope · γ_max) + D_out + 5"));
        }
        return result;
    }

    private static PrecisionPlan require(Budget budget, PrecisionPlan plan) {
        budget.requireDigits("Theorem 2.4 working precision", BigDecimal.valueOf(plan.digits()), plan.rule(),
                Budget.orLarger("shrink the construction (fewer targets, larger delta)", "maxDigits"));
        return plan;
    }
}
