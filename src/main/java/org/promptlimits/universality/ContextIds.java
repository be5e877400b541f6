package org.promptlimits.universality;

import org.promptlimits.core.FeedForward;
import org.promptlimits.core.Matrices;
import org.promptlimits.core.PositionalEncoding;
import org.promptlimits.core.Tokens;
import org.promptlimits.precision.Budget;
import org.promptlimits.quantize.Grid;
import org.promptlimits.quantize.GridTable;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * The context IDs of Theorem 2.4 (theory §5): for every prompt P_i, grid input G and X-position l, the number
 * {@code vᵀ SA(FF_1([P_i, G] + E))[:, Lp + l]}. Sorted, they are the knots FF_2 interpolates; the smallest gap
 * between two of them and the largest slope of the interpolant fix the working precision.
 *
 * @param knots  every knot, sorted by ID (unmodifiable)
 * @param minGap the smallest gap between consecutive IDs (1 if there is a single knot)
 * @param maxSlope the largest |slope| of the interpolant between consecutive knots, over all coordinates
 */
record ContextIds(List<Knot> knots, BigDecimal minGap, BigDecimal maxSlope) {

    /**
     * One interpolation knot: the context ID of X-position l of grid input g under prompt i.
     *
     * @param residual the SA output column whose projection is the ID (FF_2 adds to it)
     * @param value    the target's output column at (i, g, l)
     */
    record Knot(int target, long gridIndex, int position, BigDecimal id, BigDecimal[] residual, double[] value) {
    }

    /**
     * The ID of one column: {@code vᵀ h} with every product and sum rounded to {@code work}.
     *
     * @param v unit direction, length d. Not modified.
     * @param h column, length d. Not modified.
     */
    static BigDecimal project(BigDecimal[] v, BigDecimal[] h, MathContext work) {
        BigDecimal id = BigDecimal.ZERO;
        for (int r = 0; r < v.length; r++) {
            id = id.add(v[r].multiply(h[r], work), work);
        }
        return id;
    }

    /**
     * Runs FF_1 and SA on every {@code [P_i, G] + E} (G given exactly as the double grid point) and reads the IDs.
     *
     * @throws IllegalStateException if two IDs coincide at the working precision (less 20 guard digits)
     */
    static ContextIds compute(Grid grid, List<GridTable> tables, PromptCode code, ContextStage stage, FeedForward first,
                              MathContext work, Budget budget) {
        List<Knot> ks = new ArrayList<>();
        long size = grid.size().longValueExact();
        int lp = code.length();
        BigDecimal[] v = stage.direction();
        long count = size * tables.size();
        // the exact pass over every sequence, estimated from the ones done (the budget's guard of a loop)
        Budget.Repetitions guard = budget.repetitions("Theorem 2.4 context IDs at " + work.getPrecision() + " digits",
                count, "m·δ^{−dL} sequences",
                Budget.orLarger("raise epsilon (or delta) or use fewer targets", "maxSeconds"));
        long done = 0;
        for (int i = 0; i < tables.size(); i++) {
            BigDecimal[][] prompt = code.prompt(i, work);
            for (long g = 0; g < size; g++) {
                guard.before(done++);
                BigDecimal[][] z = PositionalEncoding.add(Tokens.concat(prompt, Matrices.exact(grid.point(g))));
                BigDecimal[][] y = stage.layer().apply(first.apply(z, work), work);
                double[][] out = tables.get(i).output(g);
                for (int l = 0; l < grid.length(); l++) {
                    BigDecimal[] h = Tokens.column(y, lp + l);
                    double[] value = new double[grid.d()];
                    for (int r = 0; r < grid.d(); r++) {
                        value[r] = out[r][l];
                    }
                    ks.add(new Knot(i, g, l, project(v, h, work), h, value));
                }
            }
        }
        ks.sort(Comparator.comparing(Knot::id));
        return new ContextIds(Collections.unmodifiableList(ks), minimumGap(ks, work), maximumSlope(ks, grid.d(), work));
    }

    /** The smallest gap between consecutive IDs; throws if two coincide at the working precision. */
    private static BigDecimal minimumGap(List<Knot> ks, MathContext work) {
        BigDecimal tolerance = BigDecimal.ONE.scaleByPowerOfTen(-(work.getPrecision() - 20));
        BigDecimal min = null;
        for (int j = 1; j < ks.size(); j++) {
            BigDecimal gap = ks.get(j).id().subtract(ks.get(j - 1).id(), work);
            if (gap.compareTo(tolerance) <= 0) {
                Knot a = ks.get(j - 1);
                Knot b = ks.get(j);
                throw new IllegalStateException("context IDs coincide to " + (work.getPrecision() - 20)
                        + " digits: (target " + a.target() + ", grid point " + a.gridIndex() + ", position " + a.position()
                        + ") and (target " + b.target() + ", grid point " + b.gridIndex() + ", position " + b.position()
                        + ") both give " + a.id().round(MathContext.DECIMAL64)
                        + "; the attention layer does not separate these contexts");
            }
            min = min == null ? gap : min.min(gap);
        }
        return min == null ? BigDecimal.ONE : min;
    }

    /** The largest |slope| of the interpolant between consecutive knots (all coordinates). */
    private static BigDecimal maximumSlope(List<Knot> ks, int d, MathContext work) {
        BigDecimal max = BigDecimal.ZERO;
        for (int j = 1; j < ks.size(); j++) {
            BigDecimal gap = ks.get(j).id().subtract(ks.get(j - 1).id(), work);
            for (int r = 0; r < d; r++) {
                BigDecimal ta = target(ks.get(j - 1), r, work);
                BigDecimal tb = target(ks.get(j), r, work);
                max = max.max(tb.subtract(ta, work).abs().divide(gap, work));
            }
        }
        return max;
    }

    /** What FF_2 must add at a knot, coordinate r: the target value minus the residual. */
    static BigDecimal target(Knot k, int r, MathContext work) {
        return new BigDecimal(k.value()[r]).subtract(k.residual()[r], work);
    }
}
