package org.promptlimits.sweep;

import org.promptlimits.check.Check;
import org.promptlimits.check.CheckTable;
import org.promptlimits.check.Relation;
import org.promptlimits.check.Require;
import tech.tablesaw.api.Table;

import java.util.List;

/**
 * Check rows for sweep tables: two runs of one sweep (another executor, another thread count, the grid in
 * another order) must give every point the same row, doubles compared by their bits. A row counts the points
 * whose rows differ, so it can fail, and it is measured on the tables alone, whatever produced them.
 */
public final class SweepChecks {

    private static final String SOURCE = "docs/sweeps.md [C]";

    private SweepChecks() {
    }

    /**
     * How one sweep came out under every way notebook 09 runs it: on Spark (the table read back from its
     * Parquet output), on the local executor with every core and with one thread, and with the grid reversed.
     * Timing columns must already be dropped ({@link SweepTable#withoutTiming}).
     *
     * @param reference the local executor on every core, grid in order
     * @param spark     Spark, read back from Parquet
     * @param oneThread the local executor on one thread
     * @param reversed  the local executor on the reversed grid
     */
    public static CheckTable executors(Table reference, Table spark, Table oneThread, Table reversed) {
        Require.notNull("reference", reference);
        Require.notNull("spark", spark);
        Require.notNull("oneThread", oneThread);
        Require.notNull("reversed", reversed);
        return CheckTable.of("Sweeps: the same table however the sweep runs",
                sameTable("R1", "points whose row differs: Spark (read back from Parquet) against the local executor",
                        reference, spark),
                sameTable("R2", "points whose row differs: one thread against every core", reference, oneThread),
                sameRows("R3", "points whose row differs when the grid runs in reverse order", reference, reversed));
    }

    /**
     * A check that two tables of one sweep on one grid are identical: the number of rows that differ in any
     * cell (all rows when the columns or the row counts differ) must be 0.
     */
    public static Check sameTable(String id, String claim, Table a, Table b) {
        Require.notNull("a", a);
        Require.notNull("b", b);
        return Check.of(id, claim, SOURCE, differingRows(a, b), Relation.EQUALS, 0,
                a.rowCount() + " points × " + a.columnCount() + " columns, doubles by their bits"
                        + SweepTable.firstDifference(a, b).map(d -> "; first difference: " + d).orElse(""));
    }

    /**
     * {@link #sameTable} for two runs of one grid given in different orders: rows are matched by the point's
     * parameters (the columns between {@code point} and {@code seed}), the grid index itself is not compared.
     */
    public static Check sameRows(String id, String claim, Table a, Table b) {
        Require.notNull("a", a);
        Require.notNull("b", b);
        Table x = byParameters(a);
        Table y = byParameters(b);
        return Check.of(id, claim, SOURCE, differingRows(x, y), Relation.EQUALS, 0,
                a.rowCount() + " points matched by their parameters, doubles by their bits"
                        + SweepTable.firstDifference(x, y).map(d -> "; first difference: " + d).orElse(""));
    }

    /** The table without its grid-index column, sorted by the parameter columns. */
    private static Table byParameters(Table t) {
        List<String> names = t.columnNames();
        int seed = names.indexOf(SweepTable.SEED);
        Require.that(!names.isEmpty() && names.get(0).equals(SweepTable.POINT) && seed > 0,
                "table " + t.name() + " (columns " + names + ") is not a sweep table");
        Table sorted = t.sortAscendingOn(names.subList(1, seed).toArray(String[]::new));
        sorted.removeColumns(SweepTable.POINT);
        return sorted;
    }

    /** Rows of {@code a} that differ from the same row of {@code b}; every row when the shapes differ. */
    private static int differingRows(Table a, Table b) {
        if (!a.columnNames().equals(b.columnNames()) || a.rowCount() != b.rowCount()) {
            return Math.max(a.rowCount(), Math.max(b.rowCount(), 1));
        }
        int rows = 0;
        for (int i = 0; i < a.rowCount(); i++) {
            if (SweepTable.firstDifference(a.rows(i), b.rows(i)).isPresent()) {
                rows++;
            }
        }
        return rows;
    }
}
