package org.promptlimits.contextual;

import org.promptlimits.check.Format;
import org.promptlimits.check.Require;
import org.promptlimits.precision.BigMath;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The measured tokenwise separatedness of a set of sequences: (γ_min, γ_max, ε), the vocabulary 𝒱 and its
 * size K, and how many sequences repeat another. theory §3 [P]: sequences are (γ_min, γ_max, ε)-tokenwise
 * separated if every token norm lies in (γ_min, γ_max) and different tokens (also across sequences) are more
 * than ε apart.
 *
 * <p>The values are the tight ones — γ_min the smallest token norm, γ_max the largest, ε the smallest distance
 * between two different tokens — computed from exact squared norms and distances and rounded to 34 digits
 * outward (γ_min and ε down, γ_max up). The strict inequalities of the definition then hold for any slightly
 * wider triple; the constructions use these tight values, and their checks measure the resulting bounds
 * directly.
 *
 * @param d                  token dimension
 * @param n                  sequence length
 * @param sequences          number of sequences N
 * @param vocabularySize     K = |𝒱|, the number of distinct tokens
 * @param gammaMin           smallest token norm (rounded down)
 * @param gammaMax           largest token norm (rounded up)
 * @param epsilon            smallest distance between two different tokens (rounded down); 0 when K = 1
 * @param duplicateSequences how many sequences equal an earlier one
 */
public record TokenwiseSeparation(int d, int n, int sequences, int vocabularySize, BigDecimal gammaMin,
                                  BigDecimal gammaMax, BigDecimal epsilon, int duplicateSequences) {

    static final MathContext DOWN = new MathContext(34, RoundingMode.FLOOR);
    static final MathContext UP = new MathContext(34, RoundingMode.CEILING);

    /**
     * Measures (γ_min, γ_max, ε), K and duplicates of {@code sequences}.
     *
     * @throws IllegalArgumentException if a sequence repeats a token (naming the sequence and the positions)
     */
    public static TokenwiseSeparation measure(Sequences sequences) {
        return index(sequences).separation();
    }

    /** γ_min as a double (rounded down). */
    public double gammaMinValue() {
        return gammaMin.doubleValue();
    }

    /** γ_max as a double. */
    public double gammaMaxValue() {
        return gammaMax.doubleValue();
    }

    /** ε as a double. */
    public double epsilonValue() {
        return epsilon.doubleValue();
    }

    @Override
    public String toString() {
        return "N = " + sequences + " sequences of n = " + n + " tokens in R^" + d + ", K = " + vocabularySize
                + " distinct tokens, γ_min = " + Format.number(gammaMin) + ", γ_max = " + Format.number(gammaMax)
                + ", ε = " + Format.number(epsilon) + ", duplicate sequences: " + duplicateSequences;
    }

    /** Builds the vocabulary index of {@code sequences} (token ids per position) and the measurement. */
    static Index index(Sequences sequences) {
        Require.notNull("sequences", sequences);
        int size = sequences.size();
        int n = sequences.n();
        int d = sequences.d();
        Map<List<Double>, Integer> ids = new HashMap<>();
        List<double[]> vocabulary = new ArrayList<>();
        int[][] tokenIds = new int[size][n];
        Set<List<Integer>> seen = new HashSet<>();
        int duplicates = 0;
        for (int i = 0; i < size; i++) {
            Map<Integer, Integer> positionOf = new HashMap<>();
            List<Integer> key = new ArrayList<>(n);
            for (int k = 0; k < n; k++) {
                double[] t = sequences.token(i, k);
                List<Double> boxed = new ArrayList<>(d);
                for (double x : t) {
                    boxed.add(x);
                }
                Integer id = ids.get(boxed);
                if (id == null) {
                    id = vocabulary.size();
                    ids.put(boxed, id);
                    vocabulary.add(t);
                }
                Integer earlier = positionOf.put(id, k);
                if (earlier != null) {   // the message only when it is thrown: it formats the token
                    throw new IllegalArgumentException("sequences[" + i + "] repeats token " + Arrays.toString(t)
                            + " at positions " + earlier + " and " + k + "; tokens inside a sequence must be distinct");
                }
                tokenIds[i][k] = id;
                key.add(id);
            }
            if (!seen.add(key)) {
                duplicates++;
            }
        }
        double[][] voc = vocabulary.toArray(new double[0][]);
        BigDecimal[][] exact = new BigDecimal[voc.length][d];
        BigDecimal minSq = null;
        BigDecimal maxSq = null;
        for (int t = 0; t < voc.length; t++) {
            BigDecimal sq = BigDecimal.ZERO;
            for (int r = 0; r < d; r++) {
                exact[t][r] = new BigDecimal(voc[t][r]);
                sq = sq.add(exact[t][r].multiply(exact[t][r]));
            }
            minSq = minSq == null ? sq : minSq.min(sq);
            maxSq = maxSq == null ? sq : maxSq.max(sq);
        }
        BigDecimal epsSq = smallestSquaredDistance(voc, exact);
        TokenwiseSeparation sep = new TokenwiseSeparation(d, n, size, voc.length, BigMath.sqrt(minSq, DOWN),
                BigMath.sqrt(maxSq, UP), epsSq == null ? BigDecimal.ZERO : BigMath.sqrt(epsSq, DOWN), duplicates);
        return new Index(voc, exact, tokenIds, sep);
    }

    /**
     * The smallest exact squared distance between two vocabulary tokens: doubles find the candidate pairs
     * (within a relative 1e-6 of the double minimum), exact decimals decide among them. Null when K = 1.
     */
    private static BigDecimal smallestSquaredDistance(double[][] voc, BigDecimal[][] exact) {
        int k = voc.length;
        if (k < 2) {
            return null;
        }
        double[] sq = new double[k * (k - 1) / 2];
        double min = Double.POSITIVE_INFINITY;
        int p = 0;
        for (int a = 0; a < k; a++) {
            for (int b = a + 1; b < k; b++) {
                double s = 0;
                for (int r = 0; r < voc[a].length; r++) {
                    double diff = voc[a][r] - voc[b][r];
                    s += diff * diff;
                }
                sq[p++] = s;
                min = Math.min(min, s);
            }
        }
        double limit = min * (1 + 1e-6) + Double.MIN_NORMAL;
        BigDecimal best = null;
        p = 0;
        for (int a = 0; a < k; a++) {
            for (int b = a + 1; b < k; b++) {
                if (sq[p++] <= limit) {
                    BigDecimal s = BigDecimal.ZERO;
                    for (int r = 0; r < voc[a].length; r++) {
                        BigDecimal diff = exact[a][r].subtract(exact[b][r]);
                        s = s.add(diff.multiply(diff));
                    }
                    best = best == null ? s : best.min(s);
                }
            }
        }
        return best;
    }

    /** The vocabulary (exact and double), the token id at every position, and the measurement. */
    record Index(double[][] vocabulary, BigDecimal[][] exact, int[][] tokenIds, TokenwiseSeparation separation) {
    }
}
