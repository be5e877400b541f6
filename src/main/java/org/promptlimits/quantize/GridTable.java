package org.promptlimits.quantize;

import org.promptlimits.check.Require;
import org.promptlimits.core.Matrices;
import org.promptlimits.core.Tokens;
import org.promptlimits.precision.Budget;

import java.util.Arrays;
import java.util.List;

/**
 * A finite table assigning an output {@code Y ∈ [0,1]^{d×L}} to every point of a {@link Grid}: the
 * piecewise-constant function {@code X ↦ Y[index of the cell of X]}. theory §4, §6.
 *
 * <p>This is what the constructions of theory §5 interpolate: a quantized target f̄ gives one
 * ({@link QuantizedFunction#table}), and a finite dataset gives one ({@link #fromDataset}). Immutable; arrays
 * are copied in and out.
 */
public final class GridTable {

    private final Grid grid;
    private final double[][][] outputs;

    private GridTable(Grid grid, double[][][] outputs) {
        this.grid = Require.notNull("grid", grid);
        Require.notNull("outputs", outputs);
        long size = grid.size().bitLength() < 63 ? grid.size().longValue() : -1;
        if (outputs.length != size) {
            throw new IllegalArgumentException("outputs has " + outputs.length + " entries but the grid has "
                    + grid.size() + " points");
        }
        this.outputs = new double[outputs.length][][];
        for (int g = 0; g < outputs.length; g++) {
            double[][] y = outputs[g];
            Tokens.requireShape("outputs[" + g + "]", y, grid.d(), grid.length());
            for (int i = 0; i < grid.d(); i++) {
                for (int l = 0; l < grid.length(); l++) {
                    if (!(y[i][l] >= 0 && y[i][l] <= 1)) {
                        throw new IllegalArgumentException("outputs[" + g + "][" + i + "][" + l + "] (" + y[i][l]
                                + ") must be in [0, 1]");
                    }
                }
            }
            this.outputs[g] = Matrices.copy(y);
        }
    }

    /**
     * A table with {@code outputs[index]} for every grid point.
     *
     * @param outputs one d×L array with entries in [0, 1] per grid point, in grid index order. Not modified.
     */
    public static GridTable of(Grid grid, double[][][] outputs) {
        return new GridTable(grid, outputs);
    }

    /**
     * The table of a finite dataset {@code (X_j, Y_j)}: each Y_j is stored at the cell of X_j, every other cell
     * gets {@code fill} in every entry. Two inputs in the same cell must have the same label.
     *
     * @throws IllegalArgumentException if the lists differ in length, an input or label is malformed, two labels
     *                                  collide in one cell, or the grid exceeds the budget
     */
    public static GridTable fromDataset(Grid grid, List<double[][]> inputs, List<double[][]> labels, double fill,
                                        Budget budget) {
        Require.notNull("grid", grid);
        Require.notNull("inputs", inputs);
        Require.notNull("labels", labels);
        Require.that(inputs.size() == labels.size(), "labels has " + labels.size() + " entries but inputs has "
                + inputs.size() + "; they must have the same length");
        Require.that(fill >= 0 && fill <= 1, "fill (" + fill + ") must be in [0, 1]");
        int size = Math.toIntExact(grid.requireEnumerable(budget));   // below Java's array limit
        double[][][] out = new double[size][][];
        for (int j = 0; j < inputs.size(); j++) {
            long g = grid.indexOf(inputs.get(j));
            double[][] y = labels.get(j);
            Tokens.requireShape("labels[" + j + "]", y, grid.d(), grid.length());
            if (out[(int) g] != null && Tokens.pDistance(out[(int) g], y, 1) != 0) {
                throw new IllegalArgumentException("inputs[" + j + "] (" + Tokens.toString(inputs.get(j))
                        + ") must not share grid cell " + g + " with an earlier input that has a different label");
            }
            out[(int) g] = Matrices.copy(y);
        }
        for (int g = 0; g < size; g++) {
            if (out[g] == null) {
                out[g] = new double[grid.d()][grid.length()];
                for (double[] row : out[g]) {
                    Arrays.fill(row, fill);
                }
            }
        }
        return new GridTable(grid, out);
    }

    public Grid grid() {
        return grid;
    }

    /** The number of grid points (rows of the table). */
    public int size() {
        return outputs.length;
    }

    /** The output stored for grid point {@code index} (a copy). */
    public double[][] output(long index) {
        Require.that(index >= 0 && index < outputs.length,
                "index (" + index + ") must be in [0, " + outputs.length + ")");
        return Matrices.copy(outputs[(int) index]);
    }

    /** The piecewise-constant function: the output of the cell containing x ∈ [0,1]^{d×L}. */
    public double[][] apply(double[][] x) {
        return output(grid.indexOf(x));
    }
}
