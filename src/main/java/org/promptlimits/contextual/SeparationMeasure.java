package org.promptlimits.contextual;

import org.promptlimits.check.Format;
import org.promptlimits.check.Require;
import org.promptlimits.contextual.ContextualMapping.Arithmetic;
import org.promptlimits.contextual.ContextualMapping.Separation;
import org.promptlimits.core.Vectors;
import org.promptlimits.precision.BigMath;
import org.promptlimits.precision.Budget;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The separation measurement of Lemma 2.2 (theory §3 [P]): the smallest distance between two outputs that must
 * differ, {@code ‖q(Z⁽ⁱ⁾)[:,k] − q(Z⁽ʲ⁾)[:,l]‖}, over pairs with the same input token and different token sets
 * (measured in the evaluation's arithmetic, exact when exact; one representative output per (token, set)) and
 * pairs with different input tokens (whose distance is at least ε − 2κb_max; measured in double).
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
                "(N·|read|)^2 pairs with N·|read| = " + cells, "read fewer positions or use fewer sequences");
        // same input token, different token sets: one representative output per (token, set)
        Map<Integer, Map<Integer, int[]>> groups = new HashMap<>();
        for (int i = 0; i < size; i++) {
            for (int j = 0; j < read.length; j++) {
                groups.computeIfAbsent(ids[i][read[j]], t -> new HashMap<>()).putIfAbsent(setOf[i], new int[] {i, j});
            }
        }
        BigDecimal sameSq = null;
        double sameDouble = Double.POSITIVE_INFINITY;
        long pairs = 0;
        MathContext mc = e.arithmetic == Arithmetic.EXACT ? e.mathContext() : null;
        for (Map<Integer, int[]> group : groups.values()) {
            List<int[]> reps = new ArrayList<>(group.values());
            for (int a = 0; a < reps.size(); a++) {
                for (int b = a + 1; b < reps.size(); b++) {
                    pairs++;
                    int[] x = reps.get(a);
                    int[] y = reps.get(b);
                    if (mc != null) {
                        BigDecimal sq = Vectors.squaredDistance(e.exact[x[0]][x[1]], e.exact[y[0]][y[1]], mc);
                        sameSq = sameSq == null ? sq : sameSq.min(sq);
                    } else {
                        sameDouble = Math.min(sameDouble, Vectors.distance(e.doubles[x[0]][x[1]], e.doubles[y[0]][y[1]]));
                    }
                }
            }
        }
        // different input tokens, in double
        double different = Double.POSITIVE_INFINITY;
        for (int i = 0; i < size; i++) {
            for (int j = 0; j < read.length; j++) {
                for (int i2 = i; i2 < size; i2++) {
                    for (int j2 = (i2 == i ? j + 1 : 0); j2 < read.length; j2++) {
                        if (ids[i][read[j]] != ids[i2][read[j2]]) {
                            pairs++;
                            different = Math.min(different, Vectors.distance(e.doubles[i][j], e.doubles[i2][j2]));
                        }
                    }
                }
            }
        }
        BigDecimal same = mc != null ? (sameSq == null ? null : BigMath.sqrt(sameSq, LemmaConstants.MC40))
                : (sameDouble == Double.POSITIVE_INFINITY ? null : new BigDecimal(sameDouble));
        BigDecimal diff = different == Double.POSITIVE_INFINITY ? null : new BigDecimal(different);
        Require.that(same != null || diff != null, "sequences (" + size + ") must give at least one qualifying pair of"
                + " outputs (different token sets or different input tokens) to measure a separation");
        BigDecimal smallest = same == null ? diff : diff == null ? same : same.min(diff);
        String method = pairs + " qualifying pairs; same input token: "
                + (same == null ? "none" : Format.number(same) + " (" + e.how() + ")")
                + "; different input tokens: " + (diff == null ? "none" : Format.number(diff) + " (double)");
        return new Separation(smallest.round(LemmaConstants.MC40), same, diff, pairs, method);
    }
}
