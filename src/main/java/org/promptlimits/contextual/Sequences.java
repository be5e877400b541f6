package org.promptlimits.contextual;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.promptlimits.check.Require;
import org.promptlimits.core.Matrices;
import org.promptlimits.precision.Budget;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A set of input sequences Z^(1..N) ∈ R^{d×n} for a contextual mapping, all of one shape, tokens as columns
 * (theory §1, §3). Immutable: the entries are copied in and out.
 *
 * <p>Checked on construction: at least one sequence, every sequence d×n with d, n ≥ 1 and the same d and n,
 * every entry finite. (Whether tokens repeat inside a sequence is checked by
 * {@link TokenwiseSeparation#measure}, which names the sequence and the positions.) The value −0.0 is
 * stored as 0.0 so that equal points are equal tokens.
 */
public final class Sequences {

    private final double[][][] z; // [sequence][coordinate][position]

    private Sequences(double[][][] z) {
        this.z = z;
    }

    /**
     * Sequences given as d×n ND4J matrices (tokens are columns). Not modified.
     *
     * @throws IllegalArgumentException if the list is empty, a matrix is not 2-D, shapes differ or an entry is not finite
     */
    public static Sequences of(List<INDArray> sequences) {
        Require.notNull("sequences", sequences);
        Require.that(!sequences.isEmpty(), "sequences (empty) must hold at least one sequence");
        double[][][] z = new double[sequences.size()][][];
        for (int i = 0; i < z.length; i++) {
            z[i] = Matrices.fromNd("sequences[" + i + "]", sequences.get(i));
        }
        return ofMatrices("sequences", z);
    }

    /**
     * Sequences given as d×n matrices {@code z[i][row][column]} (tokens are columns). Not modified.
     *
     * @throws IllegalArgumentException if there is no sequence, shapes differ or an entry is not finite
     */
    public static Sequences ofMatrices(double[][][] z) {
        return ofMatrices("z", z);
    }

    private static Sequences ofMatrices(String what, double[][][] z) {
        Require.notNull(what, z);
        Require.that(z.length > 0, what + " (empty) must hold at least one sequence");
        int d = -1;
        int n = -1;
        double[][][] copy = new double[z.length][][];
        for (int i = 0; i < z.length; i++) {
            String name = what + "[" + i + "]";
            int cols = Require.rectangular(name, z[i]);
            Require.allFinite(name, z[i]);
            Require.that(cols > 0, name + " (0 columns) must hold at least one token");
            if (i == 0) {
                d = z[i].length;
                n = cols;
            }
            Require.that(z[i].length == d && cols == n, name + " is " + z[i].length + "×" + cols
                    + " but " + what + "[0] is " + d + "×" + n + "; all sequences must have the same shape d×n");
            copy[i] = new double[d][n];
            for (int r = 0; r < d; r++) {
                for (int k = 0; k < n; k++) {
                    copy[i][r][k] = z[i][r][k] + 0.0; // −0.0 becomes 0.0
                }
            }
        }
        return new Sequences(copy);
    }

    /**
     * Sequences given token by token: {@code tokens[i][k]} is the d-vector at position k of sequence i.
     * Not modified.
     */
    public static Sequences ofTokens(double[][][] tokens) {
        Require.notNull("tokens", tokens);
        Require.that(tokens.length > 0, "tokens (empty) must hold at least one sequence");
        double[][][] z = new double[tokens.length][][];
        int d0 = -1;
        for (int i = 0; i < tokens.length; i++) {
            String name = "tokens[" + i + "]";
            int d = Require.rectangular(name, tokens[i]);
            Require.allFinite(name, tokens[i]);
            if (i == 0) {
                d0 = d;
            }
            Require.that(d == d0 && tokens[i].length == tokens[0].length, name + " holds " + tokens[i].length
                    + " tokens of dimension " + d + " but tokens[0] holds " + tokens[0].length + " of dimension " + d0
                    + "; all sequences must have the same shape");
            z[i] = new double[d][tokens[i].length];
            for (int k = 0; k < tokens[i].length; k++) {
                for (int r = 0; r < d; r++) {
                    z[i][r][k] = tokens[i][k][r];
                }
            }
        }
        return ofMatrices("tokens (as d×n matrices)", z);
    }

    /**
     * Every ordered sequence of n distinct tokens from {@code vocabulary} (K!/(K−n)! of them), in
     * lexicographic order of token indices: the largest set a contextual mapping on this vocabulary can see.
     *
     * @param vocabulary K tokens of dimension d, {@code vocabulary[t]} is token t. Not modified.
     * @param n          sequence length, 1 ≤ n ≤ K
     * @param maxCount   refuse above this many sequences
     */
    public static Sequences allArrangements(double[][] vocabulary, int n, int maxCount) {
        int d = Require.rectangular("vocabulary", vocabulary);
        Require.allFinite("vocabulary", vocabulary);
        Require.that(d > 0, "vocabulary tokens (dimension 0) must have at least one coordinate");
        int k = vocabulary.length;
        Require.inRange("n", n, 1, k);
        double count = 1;
        for (int j = 0; j < n; j++) {
            count *= k - j;
        }
        Require.that(count <= maxCount, "all arrangements of n = " + n + " of K = " + k + " tokens number "
                + (long) count + ", above maxCount = " + maxCount + "; lower n or K, or raise maxCount");
        // the arrangements are held twice while they become d×n matrices: n rows of d doubles each, plus headers
        Budget.DEFAULT.requireArray("all arrangements of n = " + n + " of K = " + k + " tokens (2·count·n·(d + 2)"
                + " doubles, headers included)", Double.BYTES,
                Budget.orMoreHeap("lower n or K, or maxCount"), 2, (long) count, n, d + 2L);
        List<double[][]> out = new ArrayList<>();
        arrange(vocabulary, n, new int[n], new boolean[k], 0, out);
        return ofTokens(out.toArray(new double[0][][]));
    }

    private static void arrange(double[][] voc, int n, int[] chosen, boolean[] used, int depth, List<double[][]> out) {
        if (depth == n) {
            double[][] seq = new double[n][];
            for (int j = 0; j < n; j++) {
                seq[j] = voc[chosen[j]].clone();
            }
            out.add(seq);
            return;
        }
        for (int t = 0; t < voc.length; t++) {
            if (!used[t]) {
                used[t] = true;
                chosen[depth] = t;
                arrange(voc, n, chosen, used, depth + 1, out);
                used[t] = false;
            }
        }
    }

    /** Number of sequences N. */
    public int size() {
        return z.length;
    }

    /** Token dimension d. */
    public int d() {
        return z[0].length;
    }

    /** Sequence length n. */
    public int n() {
        return z[0][0].length;
    }

    /** Token k of sequence i, a new d-vector. */
    public double[] token(int i, int k) {
        index(i);
        Require.that(k >= 0 && k < n(), "k (" + k + ") must be in [0, n) = [0, " + n() + ")");
        double[] t = new double[d()];
        for (int r = 0; r < t.length; r++) {
            t[r] = z[i][r][k];
        }
        return t;
    }

    /** Sequence i as a new d×n double matrix. */
    public double[][] matrix(int i) {
        index(i);
        return Matrices.copy(z[i]);
    }

    /** Sequence i as a new d×n ND4J array. */
    public INDArray array(int i) {
        index(i);
        return Matrices.toNd(z[i]);
    }

    /** Sequence i as exact decimals, d×n. */
    public BigDecimal[][] exact(int i) {
        index(i);
        return Matrices.exact("sequence", z[i]);
    }

    private void index(int i) {
        Require.that(i >= 0 && i < size(), "i (" + i + ") must be in [0, N) = [0, " + size() + ")");
    }

    @Override
    public String toString() {
        return size() + " sequences of " + n() + " tokens in R^" + d() + (size() <= 4 ? ": " + Arrays.deepToString(z) : "");
    }
}
