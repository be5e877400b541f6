package org.promptlimits.contextual;

import org.promptlimits.check.Format;
import org.promptlimits.check.Require;
import org.promptlimits.contextual.ContextualMapping.Separation;
import org.promptlimits.core.Vectors;
import org.promptlimits.precision.BigMath;
import org.promptlimits.precision.Budget;
import org.promptlimits.precision.Interval;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The separation measurement of Lemma 2.2 (theory §3 [P]): the smallest distance between two outputs that must
 * differ, {@code ‖q(Z⁽ⁱ⁾)[:,k] − q(Z⁽ʲ⁾)[:,l]‖}, over pairs with the same input token and different token sets
 * (one representative output per (token, set)) and pairs with different input tokens (whose distance is at
 * least ε − 2κb_max). In double both are measured in double; when the outputs are enclosed in interval arithmetic
 * every distance is enclosed too, and the smallest is reported with its enclosure (lower end decides "> δ").
 */
final class SeparationMeasure {

    private SeparationMeasure() {
    }

    /**
     * @throws IllegalArgumentException if the (N·|read|)² pairs exceed the budget, or no pair qualifies
     */
    static Separation measure(MappingEvaluation e, ReadGeometry geometry, Budget budget) {
        int[] read = geometry.read();
        int[][] ids = geometry.index().tokenIds();
        int size = ids.length;
        Map<String, Integer> setIds = new HashMap<>();
        int[] setOf = new int[size];
        for (int i = 0; i < size; i++) {
            int[] sorted = ids[i].clone();
            Arrays.sort(sorted);
            setOf[i] = setIds.computeIfAbsent(Arrays.toString(sorted), key -> setIds.size());
        }
        long cells = (long) size * read.length;
        budget.requireCells("separation check", BigDecimal.valueOf(cells).multiply(BigDecimal.valueOf(cells)),
                "(N·|read|)^2 pairs with N·|read| = " + cells,
                Budget.orLarger("read fewer positions or use fewer sequences", "maxCells"));
        // same input token, different token sets: one representative output per (token, set)
        Map<Integer, Map<Integer, int[]>> groups = new HashMap<>();
        for (int i = 0; i < size; i++) {
            for (int j = 0; j < read.length; j++) {
                groups.computeIfAbsent(ids[i][read[j]], t -> new HashMap<>()).putIfAbsent(setOf[i], new int[] {i, j});
            }
        }
        double sameDouble = Double.POSITIVE_INFINITY;
        Interval sameEnclosure = null;
        long pairs = 0;
        for (Map<Integer, int[]> group : groups.values()) {
            List<int[]> reps = new ArrayList<>(group.values());
            for (int a = 0; a < reps.size(); a++) {
                for (int b = a + 1; b < reps.size(); b++) {
                    pairs++;
                    int[] x = reps.get(a);
                    int[] y = reps.get(b);
                    if (e.enclosed != null) {
                        sameEnclosure = smaller(sameEnclosure, distance(e.enclosed[x[0]][x[1]], e.enclosed[y[0]][y[1]]));
                    } else {
                        sameDouble = Math.min(sameDouble, Vectors.distance(e.doubles[x[0]][x[1]], e.doubles[y[0]][y[1]]));
                    }
                }
            }
        }
        // different input tokens: in double, or enclosed with the rest. Enclosed, only the pairs whose double
        // distance is within tol of the smallest can hold the smallest enclosure's ends, when (both checked here)
        // each double distance is within tol/4 of the exact one (outputs rounded to double, (d + 4) roundings of at
        // most 2^-53 relative: (d + 4)·2^-50·(1 + largest norm) ≤ tol/4) and each enclosure end within tol/4 of it
        // (the outputs' enclosures move a distance by at most 2√d·(largest width), the 50- and 40-digit roundings of
        // the distance by less than 1e-36·(1 + largest norm)): then a pair at more than smallest + tol has both ends
        // above the smallest pair's upper end. Otherwise every pair is enclosed.
        double different = Double.POSITIVE_INFINITY;
        Interval differentEnclosure = null;
        double norm = BigMath.toDouble(e.largestNorm);
        double tol = 1e-9 * (1 + norm);
        boolean screen = false;
        if (e.enclosed != null && size > 0 && read.length > 0) {
            int dim = e.doubles[0][0].length;
            BigDecimal width = BigDecimal.ZERO;
            for (Interval[][] sequence : e.enclosed) {
                for (Interval[] output : sequence) {
                    for (Interval x : output) {
                        width = width.max(x.width());
                    }
                }
            }
            double widthUp = Math.nextUp(BigMath.toDouble(width));   // an upper bound of the width, also when it underflows
            screen = (dim + 4) * 0x1p-50 * (1 + norm) <= tol / 4
                    && 2 * Math.sqrt(dim) * widthUp + 1e-36 * (1 + norm) <= tol / 4;
        }
        for (int i = 0; i < size; i++) {
            for (int j = 0; j < read.length; j++) {
                for (int i2 = i; i2 < size; i2++) {
                    for (int j2 = (i2 == i ? j + 1 : 0); j2 < read.length; j2++) {
                        if (ids[i][read[j]] != ids[i2][read[j2]]) {
                            pairs++;
                            if (e.enclosed != null && !screen) {
                                differentEnclosure = smaller(differentEnclosure,
                                        distance(e.enclosed[i][j], e.enclosed[i2][j2]));
                            } else {
                                different = Math.min(different, Vectors.distance(e.doubles[i][j], e.doubles[i2][j2]));
                            }
                        }
                    }
                }
            }
        }
        if (screen && different < Double.POSITIVE_INFINITY) {
            // outputs that share one enclosure (MappingEvaluation: the same token and multiset) give the same distance:
            // each pair of distinct enclosures is enclosed once
            Map<Interval[], Integer> shared = new IdentityHashMap<>();
            Set<Long> done = new HashSet<>();
            for (int i = 0; i < size; i++) {
                for (int j = 0; j < read.length; j++) {
                    for (int i2 = i; i2 < size; i2++) {
                        for (int j2 = (i2 == i ? j + 1 : 0); j2 < read.length; j2++) {
                            if (ids[i][read[j]] != ids[i2][read[j2]]
                                    && Vectors.distance(e.doubles[i][j], e.doubles[i2][j2]) <= different + tol) {
                                long a = shared.computeIfAbsent(e.enclosed[i][j], key -> shared.size());
                                long b = shared.computeIfAbsent(e.enclosed[i2][j2], key -> shared.size());
                                if (done.add(Math.min(a, b) << 32 | Math.max(a, b))) {
                                    differentEnclosure = smaller(differentEnclosure,
                                            distance(e.enclosed[i][j], e.enclosed[i2][j2]));
                                }
                            }
                        }
                    }
                }
            }
        }
        Interval enclosure = null;
        BigDecimal same;
        BigDecimal diff;
        if (e.enclosed != null) {
            same = sameEnclosure == null ? null : sameEnclosure.lo();
            diff = differentEnclosure == null ? null : differentEnclosure.lo();
            enclosure = sameEnclosure == null ? differentEnclosure : smaller(sameEnclosure, differentEnclosure);
        } else {
            same = sameDouble == Double.POSITIVE_INFINITY ? null : new BigDecimal(sameDouble);
            diff = different == Double.POSITIVE_INFINITY ? null : new BigDecimal(different);
        }
        Require.that(same != null || diff != null, "sequences (" + size + ") must give at least one qualifying pair of"
                + " outputs (different token sets or different input tokens) to measure a separation");
        BigDecimal smallest = same == null ? diff : diff == null ? same : same.min(diff);
        String diffHow = e.enclosed != null ? e.how() : "double";
        String method = pairs + " qualifying pairs; same input token: "
                + (same == null ? "none" : Format.number(same) + " (" + e.how() + ")")
                + "; different input tokens: " + (diff == null ? "none" : Format.number(diff) + " (" + diffHow + ")");
        BigDecimal shown = enclosure != null ? enclosure.lo().round(new MathContext(40, RoundingMode.FLOOR))
                : smallest.round(LemmaConstants.MC40);
        return new Separation(shown, same, diff, pairs, method, enclosure);
    }

    /**
     * The enclosure of ‖a − b‖ for enclosed vectors a, b: each difference computed exactly and rounded outward to
     * 50 digits (of the difference, so cancellation costs nothing), squares and sum at 50 digits, the root at 40.
     */
    private static Interval distance(Interval[] a, Interval[] b) {
        Interval sq = Interval.point(BigDecimal.ZERO);
        for (int i = 0; i < a.length; i++) {
            sq = sq.add(a[i].subtract(b[i], MC50).square(MC50), MC50);
        }
        return sq.sqrt(LemmaConstants.MC40);
    }

    private static final MathContext MC50 = new MathContext(50);

    /** The enclosure of min(x, y): [min of lower ends, min of upper ends]; a null x is no value yet. */
    private static Interval smaller(Interval x, Interval y) {
        return x == null ? y : y == null ? x : x.min(y);
    }
}
