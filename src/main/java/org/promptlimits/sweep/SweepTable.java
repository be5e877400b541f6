package org.promptlimits.sweep;

import org.promptlimits.check.Require;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.io.RuntimeIOException;
import tech.tablesaw.io.csv.CsvReadOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The result table of a sweep, the same whichever executor ran it: a column {@code point} (the 0-based index in
 * the grid), the point's parameters, its {@code seed}, then the sweep's result columns; one row per point, in grid
 * order.
 */
public final class SweepTable {

    /** The name of the grid-index column. */
    public static final String POINT = "point";
    /** The name of the seed column. */
    public static final String SEED = "seed";

    private SweepTable() {
    }

    /** The full schema: point, the grid's parameter columns, seed, the sweep's columns. */
    public static List<Column> schema(Sweep<?, ?> sweep, Grid<?> grid) {
        Require.notNull("sweep", sweep);
        Require.notNull("grid", grid);
        List<Column> all = new ArrayList<>();
        all.add(Column.ofInt(POINT));
        all.addAll(grid.columns());
        all.add(Column.ofLong(SEED));
        all.addAll(sweep.columns());
        Set<String> names = new HashSet<>();
        for (Column c : all) {
            Require.that(names.add(c.name()), "sweep " + sweep.name() + " has two columns named '" + c.name()
                    + "' (grid parameters, result columns and '" + POINT + "', '" + SEED + "' must differ)");
        }
        return List.copyOf(all);
    }

    /** Evaluates point {@code i} and returns its full row (see {@link #schema}). */
    public static <P extends Record, R> Object[] evaluate(Sweep<P, R> sweep, Grid<P> grid, int i) {
        Require.notNull("sweep", sweep);
        Require.notNull("grid", grid);
        return row(sweep, grid, i, sweep.seed(grid.point(i)), result(sweep, grid, i));
    }

    /** The result of point {@code i}; a failure is rethrown as a {@link SweepFailure} naming the point. */
    static <P extends Record, R> R result(Sweep<P, R> sweep, Grid<P> grid, int i) {
        P point = grid.point(i);
        try {
            return sweep.run(point, sweep.seed(point));
        } catch (RuntimeException e) {
            throw new SweepFailure(sweep.name(), i, point, e);
        }
    }

    /** The full row of point {@code i} with its result, each value checked against its column. */
    public static <P extends Record, R> Object[] row(Sweep<P, R> sweep, Grid<P> grid, int i, long seed, R result) {
        Require.notNull("sweep", sweep);
        Require.notNull("grid", grid);
        Object[] params = grid.values(i);
        Object[] values = sweep.row(result);
        List<Column> cols = sweep.columns();
        Require.that(values != null && values.length == cols.size(), "sweep " + sweep.name() + " returned "
                + (values == null ? "null" : values.length + " values") + " for " + cols.size() + " columns");
        Object[] out = new Object[2 + params.length + values.length];
        out[0] = i;
        System.arraycopy(params, 0, out, 1, params.length);
        out[1 + params.length] = seed;
        for (int j = 0; j < values.length; j++) {
            out[2 + params.length + j] = cols.get(j).check(sweep.name(), values[j]);
        }
        return out;
    }

    /**
     * A Tablesaw table of full rows, sorted by the point column.
     *
     * @throws IllegalArgumentException if a row does not fit the schema or two rows have the same point
     */
    public static Table table(String title, List<Column> schema, List<Object[]> rows) {
        Require.noNullElements("schema", schema);
        Require.noNullElements("rows", rows);
        Require.that(!schema.isEmpty() && schema.get(0).name().equals(POINT),
                "schema must start with the column '" + POINT + "'");
        List<Object[]> sorted = new ArrayList<>(rows);
        sorted.sort(Comparator.comparingInt(r -> (Integer) r[0]));
        Table t = Table.create(title);
        for (Column c : schema) {
            t.addColumns(switch (c.type()) {
                case INT -> IntColumn.create(c.name());
                case LONG -> LongColumn.create(c.name());
                case DOUBLE -> DoubleColumn.create(c.name());
                case BOOLEAN -> BooleanColumn.create(c.name());
                case STRING -> StringColumn.create(c.name());
            });
        }
        Integer previous = null;
        for (Object[] r : sorted) {
            Require.that(r.length == schema.size(), "a row has " + r.length + " values for " + schema.size() + " columns");
            Require.that(!r[0].equals(previous), "two rows for point " + r[0]);
            previous = (Integer) r[0];
            for (int j = 0; j < r.length; j++) {
                Column c = schema.get(j);
                c.check("table", r[j]);
                switch (c.type()) {
                    case INT -> t.intColumn(j).append((Integer) r[j]);
                    case LONG -> ((LongColumn) t.column(j)).append((Long) r[j]);
                    case DOUBLE -> t.doubleColumn(j).append((Double) r[j]);
                    case BOOLEAN -> t.booleanColumn(j).append((Boolean) r[j]);
                    case STRING -> t.stringColumn(j).append((String) r[j]);
                }
            }
        }
        return t;
    }

    /**
     * Writes a sweep table as CSV with a header line: every double in its shortest round-trip form, so
     * {@link #readCsv} gives back the same bits. For readers without Parquet (the notebook kernel).
     */
    public static void writeCsv(Table table, Path file) {
        Require.notNull("table", table);
        requireCsvFile("file", file);
        try {
            table.write().csv(file.toFile());
        } catch (RuntimeIOException e) {
            throw new UncheckedIOException("cannot write the sweep table " + file, new IOException(e.getMessage(), e));
        }
    }

    /**
     * The rule {@link #writeCsv} applies to its file, for callers that check it before a sweep runs: a file (new
     * or to be replaced) in an existing directory.
     *
     * @param name the caller's name for the path, e.g. "--csv"
     * @return file
     * @throws IllegalArgumentException if file is a directory or its directory does not exist
     */
    public static Path requireCsvFile(String name, Path file) {
        Require.notNull(name, file);
        Path dir = file.toAbsolutePath().getParent();
        Require.that(dir != null && Files.isDirectory(dir), name + " (" + file + ") must be in an existing directory");
        Require.that(!Files.isDirectory(file), name + " (" + file + ") must be a file, not a directory");
        return file;
    }

    /**
     * Reads a table written by {@link #writeCsv}, each column typed by {@code schema}.
     *
     * @throws IllegalArgumentException if the file's header is not the schema's column names
     * @throws UncheckedIOException     if the file cannot be read
     */
    public static Table readCsv(String title, List<Column> schema, Path file) {
        Require.notNull("title", title);
        Require.noNullElements("schema", schema);
        Require.notNull("file", file);
        List<String> names = schema.stream().map(Column::name).toList();
        String header;
        try (var lines = Files.lines(file)) {
            header = lines.findFirst().orElse("");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the sweep table " + file, e);
        }
        Require.that(header.equals(String.join(",", names)), "file " + file + " has the columns '" + header
                + "'; the sweep's table has " + names);
        ColumnType[] types = schema.stream().map(c -> switch (c.type()) {
            case INT -> ColumnType.INTEGER;
            case LONG -> ColumnType.LONG;
            case DOUBLE -> ColumnType.DOUBLE;
            case BOOLEAN -> ColumnType.BOOLEAN;
            case STRING -> ColumnType.STRING;
        }).toArray(ColumnType[]::new);
        Table t = Table.read().usingOptions(CsvReadOptions.builder(file.toFile()).columnTypes(types));
        t.setName(title);
        return t;
    }

    /** A copy of {@code table} without the sweep's timing columns: what two runs must agree on bit for bit. */
    public static Table withoutTiming(Table table, Sweep<?, ?> sweep) {
        Require.notNull("table", table);
        Require.notNull("sweep", sweep);
        Table copy = table.copy();
        for (Column c : sweep.columns()) {
            if (c.timing() && copy.columnNames().contains(c.name())) {
                copy.removeColumns(c.name());
            }
        }
        return copy;
    }

    /**
     * The first difference between two tables (column names, types, row count, then cell by cell, doubles by
     * their bits), or empty if they are identical.
     */
    public static Optional<String> firstDifference(Table a, Table b) {
        Require.notNull("a", a);
        Require.notNull("b", b);
        if (!a.columnNames().equals(b.columnNames())) {
            return Optional.of("columns differ: " + a.columnNames() + " vs " + b.columnNames());
        }
        if (a.rowCount() != b.rowCount()) {
            return Optional.of("row counts differ: " + a.rowCount() + " vs " + b.rowCount());
        }
        for (int j = 0; j < a.columnCount(); j++) {
            var ca = a.column(j);
            var cb = b.column(j);
            if (!ca.type().equals(cb.type())) {
                return Optional.of("column '" + ca.name() + "' has types " + ca.type() + " and " + cb.type());
            }
            for (int i = 0; i < a.rowCount(); i++) {
                boolean same = ca instanceof DoubleColumn da
                        ? Double.doubleToLongBits(da.getDouble(i)) == Double.doubleToLongBits(((DoubleColumn) cb).getDouble(i))
                        : Objects.equals(ca.get(i), cb.get(i));
                if (!same) {
                    return Optional.of("row " + i + ", column '" + ca.name() + "': " + ca.get(i) + " vs " + cb.get(i));
                }
            }
        }
        return Optional.empty();
    }
}
