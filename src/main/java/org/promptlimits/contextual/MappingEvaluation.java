package org.promptlimits.contextual;

import org.promptlimits.check.Format;
import org.promptlimits.check.Interrupts;
import org.promptlimits.contextual.ContextualMapping.Arithmetic;
import org.promptlimits.contextual.ContextualMapping.Constants;
import org.promptlimits.contextual.ContextualMapping.Separation;
import org.promptlimits.core.IntervalForward;
import org.promptlimits.core.SelfAttention;
import org.promptlimits.core.Vectors;
import org.promptlimits.precision.BigMath;
import org.promptlimits.precision.Budget;
import org.promptlimits.precision.Interval;
import org.promptlimits.precision.PrecisionPlan;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The outputs of a Lemma 2.2 layer at the read positions of every sequence, and their smallest separation,
 * in the arithmetic the checks use. {@link #of} picks it: DOUBLE when asked, or when EMPIRICAL AUTO finds
 * double resolves every same-token separation far above rounding; otherwise exact: outward-rounded interval
 * arithmetic over BigDecimal ({@link IntervalForward}) at the mapping's {@link PrecisionPlan}, raised once to the
 * safe plan (resolving δ itself) when the measured separation is not above the first plan's resolution. The
 * exact outputs are the enclosures' midpoints; the norms and separations the checks compare are enclosed, so
 * those checks are certified (theory §8.3). Immutable after construction; the arrays are never handed out.
 */
final class MappingEvaluation {

    final Arithmetic arithmetic;
    final int digits;                 // 0 in double
    final BigDecimal[][][] exact;     // [sequence][read index][coordinate]: enclosure midpoints; null in double
    final Interval[][][] enclosed;    // [sequence][read index][coordinate]; null in double
    final double[][][] doubles;       // [sequence][read index][coordinate]
    final BigDecimal largestNorm;     // the upper end of its enclosure when enclosed
    final Interval largestNormEnclosure;   // null in double
    final Separation separation;
    final int outputs;

    private static final MathContext MC50 = new MathContext(50);
    private static final MathContext MC60 = new MathContext(60);

    private MappingEvaluation(Arithmetic arithmetic, int digits, BigDecimal[][][] exact, Interval[][][] enclosed,
                              double[][][] doubles, BigDecimal largestNorm, Interval largestNormEnclosure,
                              ContextualMapping mapping) {
        this.arithmetic = arithmetic;
        this.digits = digits;
        this.exact = exact;
        this.enclosed = enclosed;
        this.doubles = doubles;
        this.largestNorm = largestNorm;
        this.largestNormEnclosure = largestNormEnclosure;
        this.outputs = doubles.length * mapping.geometry().read().length;
        this.separation = SeparationMeasure.measure(this, mapping.geometry(), mapping.options().budget());
    }

    /** "interval arithmetic at P digits" or "double". */
    String how() {
        return arithmetic == Arithmetic.EXACT ? "interval arithmetic at " + digits + " digits" : "double";
    }

    static MappingEvaluation of(ContextualMapping m) {
        MappingOptions options = m.options();
        long exps = (long) m.sequences().size() * m.sequences().n() * m.geometry().read().length;
        Arithmetic wanted = options.arithmetic();
        if (wanted == Arithmetic.AUTO) {
            wanted = options.constants() == Constants.THEORY ? Arithmetic.EXACT : Arithmetic.DOUBLE;
        }
        if (wanted == Arithmetic.DOUBLE) {
            MappingEvaluation e = inDouble(m);
            if (options.arithmetic() == Arithmetic.DOUBLE || e.resolvedInDouble(m.gamma())) {
                return e;
            }
            m.plan().requireWithin(options.budget(), "EMPIRICAL contextual mapping (exact outputs; double does not resolve"
                    + " the smallest separation " + Format.number(e.separation.sameToken()) + ")",
                    exps, limit -> Budget.orLarger("use fewer tokens or sequences", limit));
        }
        MappingEvaluation e = inBigDecimal(m, m.plan());
        BigDecimal rGamma = m.r().multiply(m.gammaMax());
        BigDecimal resolution = BigDecimal.ONE.movePointLeft(m.plan().digits() - PrecisionPlan.GUARD)
                .multiply(BigDecimal.ONE.add(rGamma));
        if (e.separation.sameToken() != null && e.separation.sameToken().compareTo(resolution) <= 0) {
            PrecisionPlan safe = PrecisionPlan.forResolution(Format.log10(m.delta()), m.r().doubleValue() * m.gammaMax().doubleValue(),
                    "log10(1/δ) + log10(r·γ_max) + guard");
            if (safe.digits() > m.plan().digits()) {
                safe.requireWithin(options.budget(), "contextual mapping (exact outputs at the safe precision)", exps,
                        limit -> Budget.orLarger("use fewer tokens or sequences", limit));
                e = inBigDecimal(m, safe);
            }
        }
        return e;
    }

    /** Double resolves the separations when the same-token minimum is far above rounding (1e-9 of the output size). */
    private boolean resolvedInDouble(BigDecimal gamma) {
        BigDecimal same = separation.sameToken();
        return same == null || same.compareTo(new BigDecimal(1e-9).multiply(BigDecimal.ONE.add(gamma))) > 0;
    }

    private static MappingEvaluation inDouble(ContextualMapping m) {
        Sequences sequences = m.sequences();
        int[] read = m.geometry().read();
        SelfAttention layer = m.layer();
        double[][][] doubles = new double[sequences.size()][][];
        double largest = 0;
        for (int i = 0; i < doubles.length; i++) {
            doubles[i] = readColumns(layer.applyReference(sequences.matrix(i)), read);
            for (double[] o : doubles[i]) {
                largest = Math.max(largest, Vectors.norm(o));
            }
        }
        return new MappingEvaluation(Arithmetic.DOUBLE, 0, null, null, doubles, new BigDecimal(largest), null, m);
    }

    /**
     * The enclosed outputs. The layer has no positional term, so permuting a sequence's tokens permutes its outputs
     * (SA(ZP) = SA(Z)P): the output read at a position depends only on the token there and on the multiset of the
     * sequence's tokens. Each distinct (token, multiset) is enclosed once and its enclosure shared by every output
     * that has it (the enclosure holds that one exact value whichever order it was summed in). With all
     * arrangements of n distinct tokens this encloses 1/n! ... 1/(n−1)! of the outputs: half of them for n = 2.
     */
    private static MappingEvaluation inBigDecimal(ContextualMapping m, PrecisionPlan plan) {
        MathContext mc = plan.mathContext();
        Sequences sequences = m.sequences();
        int[] read = m.geometry().read();
        int[][] ids = m.geometry().index().tokenIds();
        int size = sequences.size();
        BigDecimal[][][] exact = new BigDecimal[size][read.length][];
        Interval[][][] enclosed = new Interval[size][read.length][];
        double[][][] doubles = new double[size][read.length][];
        Map<List<Integer>, int[]> first = new HashMap<>();   // (token, sorted tokens) → {sequence, read index} enclosed
        Interval largestSq = Interval.point(BigDecimal.ZERO);
        for (int i = 0; i < size; i++) {
            Interrupts.check();
            int[] sorted = ids[i].clone();
            Arrays.sort(sorted);
            int[] fresh = new int[read.length];
            int count = 0;
            for (int j = 0; j < read.length; j++) {
                List<Integer> key = new ArrayList<>(sorted.length + 1);
                key.add(ids[i][read[j]]);
                for (int t : sorted) {
                    key.add(t);
                }
                int[] seen = first.get(key);
                if (seen != null) {
                    enclosed[i][j] = enclosed[seen[0]][seen[1]];
                    exact[i][j] = exact[seen[0]][seen[1]];
                    doubles[i][j] = doubles[seen[0]][seen[1]];
                } else {
                    first.put(key, new int[] {i, j});
                    fresh[count++] = j;
                }
            }
            if (count == 0) {
                continue;
            }
            int[] cols = new int[count];
            for (int c = 0; c < count; c++) {
                cols[c] = read[fresh[c]];
            }
            Interval[][] out = IntervalForward.attentionToAbsoluteDigits(m.layer(), IntervalForward.points(sequences.exact(i)),
                    mc, cols);
            for (int c = 0; c < count; c++) {
                int j = fresh[c];
                int d = out.length;
                Interval[] o = new Interval[d];
                BigDecimal[] mid = new BigDecimal[d];
                double[] od = new double[d];
                Interval sq = Interval.point(BigDecimal.ZERO);
                for (int row = 0; row < d; row++) {
                    o[row] = out[row][c];
                    mid[row] = BigMath.round(o[row].mid(), mc);
                    od[row] = BigMath.toDouble(mid[row]);
                    // the norm is wanted to 40 digits: square the output's 60-digit outer rounding, not its p digits
                    sq = sq.add(o[row].round(MC60).square(MC50), MC50);
                }
                enclosed[i][j] = o;
                exact[i][j] = mid;
                doubles[i][j] = od;
                largestSq = largestSq.max(sq);
            }
        }
        Interval largest = largestSq.sqrt(LemmaConstants.MC40);
        return new MappingEvaluation(Arithmetic.EXACT, plan.digits(), exact, enclosed, doubles, largest.hi(), largest, m);
    }

    /** The columns {@code cols} of a d×n matrix, as one array of length d per column. */
    static double[][] readColumns(double[][] m, int[] cols) {
        double[][] out = new double[cols.length][m.length];
        for (int j = 0; j < cols.length; j++) {
            for (int row = 0; row < m.length; row++) {
                out[j][row] = m[row][cols[j]];
            }
        }
        return out;
    }
}
