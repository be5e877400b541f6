package org.promptlimits.memorization;

import org.promptlimits.check.Require;
import org.promptlimits.core.Matrices;
import org.promptlimits.precision.Budget;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * A finite dataset of sequence pairs (X^(i), Y^(i)), X, Y ∈ [0,1]^{d×L} (tokens are columns), to be
 * memorized by one soft prompt: {@code max_i ‖τ_P(X^(i)) − Y^(i)‖_max ≤ ε}. theory §6.
 *
 * <p>Arrays are indexed {@code [row][column]}, i.e. {@code x[j][k]} is entry j of token k. They are
 * copied in and out. Two equal inputs with different labels are refused: τ_P is a function, so no prompt
 * can memorize both.
 */
public final class Dataset {

    private final int d;
    private final int length;
    private final double[][][] inputs;
    private final double[][][] labels;

    private Dataset(int d, int length, double[][][] inputs, double[][][] labels) {
        this.d = d;
        this.length = length;
        this.inputs = inputs;
        this.labels = labels;
    }

    /**
     * The dataset of the given pairs. Neither list nor any array is modified.
     *
     * @param inputs X^(1..N), each d×L with entries in [0, 1]
     * @param labels Y^(1..N), each d×L with entries in [0, 1]
     * @throws IllegalArgumentException if the lists are empty or of different sizes, if any matrix has a
     *                                  shape other than the first input's, a non-finite entry or an entry outside [0, 1], or if
     *                                  two equal inputs have different labels (that dataset cannot be memorized)
     */
    public static Dataset of(List<double[][]> inputs, List<double[][]> labels) {
        Require.notNull("inputs", inputs);
        Require.notNull("labels", labels);
        Require.that(!inputs.isEmpty(), "inputs (empty) must hold at least one sequence");
        Require.that(inputs.size() == labels.size(), "labels (" + labels.size() + " sequences) must match inputs ("
                + inputs.size() + " sequences)");
        int n = inputs.size();
        double[][] first = Require.notNull("inputs[0]", inputs.get(0));
        int d = first.length;
        Require.that(d >= 1, "inputs[0] (0 rows) must have d >= 1 rows");
        int length = Require.rectangular("inputs[0]", first);
        Require.that(length >= 1, "inputs[0] (0 columns) must have L >= 1 columns");
        double[][][] xs = new double[n][][];
        double[][][] ys = new double[n][][];
        for (int i = 0; i < n; i++) {
            xs[i] = checked("inputs[" + i + "]", inputs.get(i), d, length);
            ys[i] = checked("labels[" + i + "]", labels.get(i), d, length);
        }
        Map<Key, Integer> seen = new HashMap<>();
        for (int i = 0; i < n; i++) {
            Integer j = seen.putIfAbsent(new Key(xs[i]), i);
            if (j != null && !Arrays.deepEquals(normalized(ys[i]), normalized(ys[j]))) {
                double gap = maxDistance(ys[i], ys[j]);
                throw new IllegalArgumentException("inputs[" + j + "] and inputs[" + i + "] are equal but their labels"
                        + " differ (max-norm distance " + gap + "): τ_P is a function, so no prompt can memorize both"
                        + " exactly, and none can ε-memorize them for ε < " + gap / 2 + "; remove or merge one of them");
            }
        }
        return new Dataset(d, length, xs, ys);
    }

    /**
     * N pairs with every entry of X and Y drawn independently and uniformly from [0, 1), seeded.
     *
     * @throws IllegalArgumentException unless N, d, L ≥ 1
     */
    public static Dataset random(int size, int d, int length, long seed) {
        Require.positive("size", size);
        Require.positive("d", d);
        Require.positive("L", length);
        // 2·size arrays of d rows, each row L doubles plus about 3 doubles' worth of header and reference
        Budget.DEFAULT.requireArray("random dataset (2·size·d·(L + 3) doubles, headers included)", Double.BYTES,
                Budget.orMoreHeap("lower size, d or L"), 2, size, d, length + 3L);
        RandomGenerator rng = new SplittableRandom(seed);
        List<double[][]> xs = new ArrayList<>();
        List<double[][]> ys = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            xs.add(uniform(rng, d, length));
            ys.add(uniform(rng, d, length));
        }
        return of(xs, ys);
    }

    private static double[][] uniform(RandomGenerator rng, int rows, int cols) {
        double[][] a = new double[rows][cols];
        for (double[] row : a) {
            for (int k = 0; k < cols; k++) {
                row[k] = rng.nextDouble();
            }
        }
        return a;
    }

    private static double[][] checked(String name, double[][] a, int d, int length) {
        Require.notNull(name, a);
        Require.that(a.length == d, name + " has " + a.length + " rows but d = " + d + " (from inputs[0])");
        int cols = Require.rectangular(name, a);
        Require.that(cols == length, name + " has " + cols + " columns but L = " + length + " (from inputs[0])");
        Require.allFinite(name, a);
        double[][] copy = new double[d][];
        for (int j = 0; j < d; j++) {
            for (int k = 0; k < length; k++) {
                double v = a[j][k];
                Require.that(v >= 0 && v <= 1, name + "[" + j + "][" + k + "] (" + v + ") must be in [0, 1]");
            }
            copy[j] = a[j].clone();
        }
        return copy;
    }

    private static double[][] normalized(double[][] a) {
        double[][] c = new double[a.length][];
        for (int j = 0; j < a.length; j++) {
            c[j] = a[j].clone();
            for (int k = 0; k < c[j].length; k++) {
                c[j][k] += 0.0; // −0.0 and 0.0 are the same input
            }
        }
        return c;
    }

    private static double maxDistance(double[][] a, double[][] b) {
        double m = 0;
        for (int j = 0; j < a.length; j++) {
            for (int k = 0; k < a[j].length; k++) {
                m = Math.max(m, Math.abs(a[j][k] - b[j][k]));
            }
        }
        return m;
    }

    /** An input as a hash key, equal by value (−0.0 = 0.0). */
    private static final class Key {
        private final double[][] a;
        private final int hash;

        Key(double[][] a) {
            this.a = normalized(a);
            this.hash = Arrays.deepHashCode(this.a);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.deepEquals(a, k.a);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /** The token dimension d. */
    public int d() {
        return d;
    }

    /** The sequence length L. */
    public int length() {
        return length;
    }

    /** The number of pairs N. */
    public int size() {
        return inputs.length;
    }

    /** A copy of X^(i), d×L. */
    public double[][] input(int i) {
        return Matrices.copy(inputs[index(i)]);
    }

    /** A copy of Y^(i), d×L. */
    public double[][] label(int i) {
        return Matrices.copy(labels[index(i)]);
    }

    double[][] inputView(int i) {
        return inputs[i];
    }

    double[][] labelView(int i) {
        return labels[i];
    }

    private int index(int i) {
        return Require.inRange("i", i, 0, inputs.length - 1);
    }

    @Override
    public String toString() {
        return "Dataset of " + size() + " pairs, d = " + d + ", L = " + length;
    }
}
