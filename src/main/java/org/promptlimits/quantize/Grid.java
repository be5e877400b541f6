package org.promptlimits.quantize;

import org.promptlimits.check.Format;
import org.promptlimits.check.Require;
import org.promptlimits.core.Tokens;
import org.promptlimits.precision.Budget;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * The grid {@code G_δ = {0, δ, …, 1−δ}^{d×L}} with 1/δ = k an integer; the cell of G is
 * {@code Π [G_jk, G_jk + δ)}. theory §4 [L].
 *
 * <p>Grid points are numbered 0 .. k^{dL}−1: entry (i, l) of the point (row i, token column l) is digit
 * {@code l·d + i} of the index in base k, its value that digit times δ. A d-token grid point (one column)
 * is numbered the same way in 0 .. k^d−1. Cell lookup is exact in real arithmetic: an input exactly on a
 * boundary belongs to the cell above it, and 1 (the top of [0, 1]) belongs to the last cell.
 * Sizes grow like k^{dL}: {@link #size()} is exact, enumeration refuses above a {@link Budget}. Immutable.
 */
public final class Grid {

    private final int d;
    private final int length;
    private final int k;

    private Grid(int d, int length, int k) {
        this.d = Require.positive("d", d);
        this.length = Require.positive("L", length);
        this.k = Require.positive("k = 1/delta", k);
        Require.that((long) d * length <= Integer.MAX_VALUE, "d·L (" + d + "·" + length + ") must be below 2^31");
    }

    /**
     * The grid with step δ.
     *
     * @param d     token dimension ≥ 1
     * @param L     sequence length ≥ 1
     * @param delta step in (0, 1) with 1/δ an integer (to 1e-9 relative)
     * @throws IllegalArgumentException if δ is not in (0, 1) or 1/δ is not an integer
     */
    public static Grid of(int d, int L, double delta) {
        return new Grid(d, L, stepsPerUnit("delta", delta));
    }

    /** The grid with k steps per unit, δ = 1/k. */
    public static Grid withSteps(int d, int L, int k) {
        return new Grid(d, L, k);
    }

    /** k = 1/δ after checking δ ∈ (0, 1) and that 1/δ is an integer (to 1e-9 relative). */
    public static int stepsPerUnit(String name, double delta) {
        Require.inOpen(name, delta, 0, 1);
        double inv = 1 / delta;
        long k = Math.round(inv);
        if (Math.abs(inv - k) > 1e-9 * inv || k > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + " (" + delta + ") must make 1/" + name + " an integer");
        }
        return (int) k;
    }

    public int d() {
        return d;
    }

    /** The sequence length L. */
    public int length() {
        return length;
    }

    /** k = 1/δ, the number of levels per entry. */
    public int steps() {
        return k;
    }

    /** δ = 1/k as a double. */
    public double delta() {
        return 1.0 / k;
    }

    /** δ = 1/k rounded to {@code mc} (exact when k has only the prime factors 2 and 5). */
    public BigDecimal delta(MathContext mc) {
        Require.precision("mc", mc);
        return BigDecimal.ONE.divide(BigDecimal.valueOf(k), mc);
    }

    /** The number of grid points k^{dL}, exactly. */
    public BigInteger size() {
        Require.that(log10Size() < 1e6, "the grid size k^(dL) = " + k + "^" + (d * length) + " has about "
                + Format.number(Math.floor(log10Size()) + 1) + " digits; use log10Size() for grids this large");
        return BigInteger.valueOf(k).pow(d * length);
    }

    /** The number of grid tokens k^d (values of one column). */
    public BigInteger tokenCount() {
        return BigInteger.valueOf(k).pow(d);
    }

    /** log10 of the number of grid points, dL·log10 k. */
    public double log10Size() {
        return (double) d * length * Math.log10(k);
    }

    /**
     * The number of grid points, after checking it against {@code budget.maxCells} (a grid with that many points,
     * each of dL entries, must fit), and the points held at once, one array of k^{dL} references to d×L doubles,
     * against {@code budget.maxBytes} and Java's array limit: callers index that array with an int.
     *
     * @throws IllegalArgumentException if k^{dL}·dL exceeds the budget's cells, the points its bytes, or k^{dL}
     *                                  Java's array limit, naming δ as the parameter to change
     */
    public long requireEnumerable(Budget budget) {
        Require.notNull("budget", budget);
        BigInteger entries = size().multiply(BigInteger.valueOf((long) d * length));
        budget.requireCells("grid G_delta", new BigDecimal(entries),
                "(1/delta)^(d*L) * d*L = " + k + "^" + (d * length) + " * " + (d * length),
                Budget.orLarger("increase delta (or lower d, L)", "maxCells"));
        long size = size().longValueExact();
        // each point: d rows of L doubles plus about 3 doubles' worth of header and reference (as Dataset.random)
        budget.requireArray("grid G_delta points (k^(dL) points of d·(L + 3) doubles, headers included)",
                Double.BYTES * d * (length + 3L), Budget.orLarger("increase delta (or lower d, L)", "maxBytes"), size);
        return size;
    }

    /**
     * Every grid point in index order, after checking the grid against the budget ({@link #requireEnumerable}).
     *
     * @throws IllegalArgumentException if the grid exceeds the budget or Java's array limit
     */
    public List<double[][]> enumerate(Budget budget) {
        int size = Math.toIntExact(requireEnumerable(budget));
        List<double[][]> points = new ArrayList<>(size);
        for (int g = 0; g < size; g++) {
            points.add(point(g));
        }
        return points;
    }

    /** The level index {@code floor(x·k)} of one entry x ∈ [0, 1], exact; 1 maps to k − 1. */
    public int level(double x) {
        if (!(x >= 0 && x <= 1)) {
            throw new IllegalArgumentException("x (" + x + ") must be in [0, 1]");
        }
        if (x == 1) {
            return k - 1;
        }
        double t = x * k;
        long j = (long) Math.floor(t);
        if (Math.abs(t - Math.rint(t)) < 1e-6) {
            // Near a boundary: decide exactly.
            j = new BigDecimal(x).multiply(BigDecimal.valueOf(k)).setScale(0, RoundingMode.FLOOR).longValue();
        }
        return (int) Math.min(j, k - 1);
    }

    /**
     * The index of the cell containing x ∈ [0,1]^{d×L}.
     *
     * @throws IllegalArgumentException if x is not d×L in [0, 1], or if the grid has more than 2^63 − 1 cells, whose
     *                                  indices a long cannot hold ({@link #cellPoint} needs no index)
     */
    public long indexOf(double[][] x) {
        requireInput(x);
        if (log10Size() > 19 || size().bitLength() > Long.SIZE - 1) {   // the first test keeps size() small
            throw new IllegalArgumentException("grid (" + this + ") must have at most 2^63 - 1 cells for a cell index;"
                    + " k^(dL) = " + k + "^" + (d * length) + " is more (cellPoint(x) gives the cell without one)");
        }
        long index = 0;
        long place = 1;
        for (int l = 0; l < length; l++) {
            for (int i = 0; i < d; i++) {
                index += place * level(x[i][l]);
                place *= k;
            }
        }
        return index;
    }

    /** The grid point G of the cell containing x, i.e. {@code floor(x/δ)·δ} entrywise (x = 1 to 1 − δ), as doubles from {@link #levelValue}. */
    public double[][] cellPoint(double[][] x) {
        requireInput(x);
        double[][] g = new double[d][length];
        for (int l = 0; l < length; l++) {
            for (int i = 0; i < d; i++) {
                g[i][l] = levelValue(level(x[i][l]));
            }
        }
        return g;
    }

    /** The digits (level indices) of grid point {@code index}: {@code levels[i][l]} ∈ 0..k−1. */
    public int[][] levels(long index) {
        requireIndex(index);
        int[][] g = new int[d][length];
        long r = index;
        for (int l = 0; l < length; l++) {
            for (int i = 0; i < d; i++) {
                g[i][l] = (int) (r % k);
                r /= k;
            }
        }
        return g;
    }

    /** Grid point {@code index} as a d×L array with entries j/k (as {@link #levelValue}). */
    public double[][] point(long index) {
        int[][] lv = levels(index);
        double[][] g = new double[d][length];
        for (int i = 0; i < d; i++) {
            for (int l = 0; l < length; l++) {
                g[i][l] = levelValue(lv[i][l]);
            }
        }
        return g;
    }

    /**
     * The smallest double ≥ j/k: the nearest double to j/k, moved up one ulp if it lies below j/k (as 1/3 does),
     * so that the double grid point lies in its own cell.
     */
    public double levelValue(int j) {
        Require.inRange("j", j, 0, k - 1);
        double v = (double) j / k;
        if (new BigDecimal(v).multiply(BigDecimal.valueOf(k)).compareTo(BigDecimal.valueOf(j)) < 0) {
            v = Math.nextUp(v);
        }
        return v;
    }

    /** Grid point {@code index} with entries j/k rounded to {@code mc}. */
    public BigDecimal[][] point(long index, MathContext mc) {
        Require.precision("mc", mc);
        int[][] lv = levels(index);
        BigDecimal[][] g = new BigDecimal[d][length];
        for (int i = 0; i < d; i++) {
            for (int l = 0; l < length; l++) {
                g[i][l] = level(lv[i][l], mc);
            }
        }
        return g;
    }

    /** The level value j/k rounded to {@code mc}. */
    public BigDecimal level(int j, MathContext mc) {
        Require.precision("mc", mc);
        Require.inRange("j", j, 0, k - 1);
        return BigDecimal.valueOf(j).divide(BigDecimal.valueOf(k), mc);
    }

    /** Grid token {@code code} ∈ 0..k^d−1 (one column, digit i is coordinate i) with entries rounded to mc. */
    public BigDecimal[] token(long code, MathContext mc) {
        Require.precision("mc", mc);
        Require.that(code >= 0 && BigInteger.valueOf(code).compareTo(tokenCount()) < 0,
                "code (" + code + ") must be in [0, k^d) = [0, " + tokenCount() + ")");
        BigDecimal[] t = new BigDecimal[d];
        long r = code;
        for (int i = 0; i < d; i++) {
            t[i] = level((int) (r % k), mc);
            r /= k;
        }
        return t;
    }

    /** Checks that x is d×L with entries in [0, 1]. */
    public void requireInput(double[][] x) {
        Tokens.requireShape("X", x, d, length);
        for (int i = 0; i < d; i++) {
            for (int l = 0; l < length; l++) {
                if (!(x[i][l] >= 0 && x[i][l] <= 1)) {
                    throw new IllegalArgumentException("X[" + i + "][" + l + "] (" + x[i][l] + ") must be in [0, 1]");
                }
            }
        }
    }

    private void requireIndex(long index) {
        if (index < 0 || BigInteger.valueOf(index).compareTo(size()) >= 0) {
            throw new IllegalArgumentException("index (" + index + ") must be in [0, k^(dL)) = [0, " + size() + ")");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Grid g && g.d == d && g.length == length && g.k == k;
    }

    @Override
    public int hashCode() {
        return (d * 31 + length) * 31 + k;
    }

    @Override
    public String toString() {
        // the exact count for grids up to 40 digits; beyond, its power of ten (size() refuses past a million digits)
        String points = log10Size() < 40 ? size().toString() : Format.power10(log10Size());
        return "Grid[d=" + d + ", L=" + length + ", delta=1/" + k + ", " + points + " points]";
    }
}
