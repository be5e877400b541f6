package org.promptlimits.spark;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.apache.spark.sql.Row;
import org.promptlimits.memorization.MemorizationSweep;
import org.promptlimits.sweep.Column;
import org.promptlimits.sweep.Grid;
import org.promptlimits.sweep.LocalExecutor;
import org.promptlimits.sweep.SweepFailure;
import org.promptlimits.sweep.SweepTable;
import tech.tablesaw.api.Table;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Spark on local[2] against the library's local executor: the same tables, bit for bit. */
class SparkExecutorTest {

    static SparkExecutor spark;

    @BeforeAll
    static void start() {
        spark = SparkExecutor.start("local[2]");
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.close();
        }
    }

    @Test
    void memorizationSweepEqualsTheLocalExecutorsBitForBit(@TempDir Path dir) throws IOException {
        String out = dir.resolve("memorization.parquet").toString();
        Table local = new LocalExecutor(2).run(Sweeps.MEMORIZATION, Sweeps.memorizationGrid());
        Table onSpark = spark.run(Sweeps.MEMORIZATION, Sweeps.memorizationGrid(), out, false);
        assertEquals(Optional.empty(), SweepTable.firstDifference(local, onSpark));
        assertEquals(8, onSpark.rowCount());
        Table withoutOutput = spark.run(Sweeps.MEMORIZATION, Sweeps.memorizationGrid());
        assertEquals(Optional.empty(), SweepTable.firstDifference(local, withoutOutput));
        try (Stream<Path> files = Files.list(Path.of(out))) {
            assertTrue(files.anyMatch(p -> p.getFileName().toString().endsWith(".parquet")), "Parquet part files");
        }
    }

    @Test
    void phaseErrorSweepEqualsTheLocalExecutorsWithoutTimingColumns(@TempDir Path dir) {
        Table local = new LocalExecutor(1).run(Sweeps.PHASE, Sweeps.phaseGrid());
        Table onSpark = spark.run(Sweeps.PHASE, Sweeps.phaseGrid(), dir.resolve("phase.parquet").toString(), false);
        assertTrue(onSpark.columnNames().contains("exact_seconds"));
        Table a = SweepTable.withoutTiming(local, Sweeps.PHASE);
        Table b = SweepTable.withoutTiming(onSpark, Sweeps.PHASE);
        assertFalse(b.columnNames().contains("exact_seconds"));
        assertEquals(Optional.empty(), SweepTable.firstDifference(a, b));
        assertTrue(b.booleanColumn("feasible").countTrue() >= 2, b.print());
    }

    @Test
    void anExistingOutputDirectoryIsRefusedUnlessOverwriteIsAsked(@TempDir Path dir) throws IOException {
        Path out = Files.createDirectories(dir.resolve("taken"));
        Files.writeString(out.resolve("keep.txt"), "not a sweep");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> spark.run(Sweeps.PHASE, Sweeps.phaseGrid(), out.toString(), false));
        assertTrue(e.getMessage().contains("output directory " + out + " exists"), e.getMessage());
        assertTrue(e.getMessage().contains("--overwrite"), e.getMessage());
        assertTrue(Files.exists(out.resolve("keep.txt")), "nothing was touched");
        Table t = spark.run(Sweeps.PHASE, Sweeps.phaseGrid(), out.toString(), true);
        assertEquals(6, t.rowCount());
        assertFalse(Files.exists(out.resolve("keep.txt")), "overwritten");
    }

    @Test
    void sparksOwnParquetReaderReadsTheSameTable(@TempDir Path dir) {
        String out = dir.resolve("phase.parquet").toString();
        Table ours = spark.run(Sweeps.PHASE, Sweeps.phaseGrid(), out, false);
        List<Column> schema = SweepTable.schema(Sweeps.PHASE, Sweeps.phaseGrid());
        List<Object[]> rows = new ArrayList<>();
        for (Row r : spark.session().read().parquet(out).collectAsList()) {
            Object[] values = new Object[schema.size()];
            for (int j = 0; j < values.length; j++) {
                values[j] = r.get(r.fieldIndex(schema.get(j).name()));
            }
            rows.add(values);
        }
        assertEquals(Optional.empty(), SweepTable.firstDifference(ours, SweepTable.table("phase", schema, rows)));
    }

    @Test
    void aParquetFileWithoutAColumnOfTheSweepIsRefusedByName(@TempDir Path dir) {
        String out = dir.resolve("short.parquet").toString();
        List<Column> all = SweepTable.schema(Sweeps.PHASE, Sweeps.phaseGrid());
        ParquetTable.write(List.<Object[]>of(new Object[] {0}), all.subList(0, 1), out, false,
                spark.session().sparkContext().hadoopConfiguration());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> spark.read("phase", all, out));
        assertTrue(e.getMessage().contains("has no column '" + all.get(1).name() + "' (it has [point])"), e.getMessage());
    }

    @Test
    void aPointTheLibraryRefusesEndsTheSweepWithItsRuleNotWithSparksJobFailure() {
        // d = 10^8 asks the frozen model for 3.2e17 bytes: refused by the budget on the executor
        Grid<MemorizationSweep.Setting> g = Grid.of(List.of(new MemorizationSweep.Setting(2, 1, 0.25, 1),
                new MemorizationSweep.Setting(100_000_000, 1, 0.25, 1)));
        SweepFailure f = assertThrows(SweepFailure.class, () -> spark.run(Sweeps.MEMORIZATION, g));
        assertTrue(f.getMessage().startsWith("sweep memorization failed at point 1 Setting[d=100000000"), f.getMessage());
        assertTrue(f.getMessage().contains("above Budget.maxBytes"), f.getMessage());
        assertTrue(f.getCause() instanceof IllegalArgumentException, String.valueOf(f.getCause()));
    }

    @Test
    void anOutputDirectoryThatCannotBeCreatedIsRefusedBeforeAnyPointRuns(@TempDir Path dir) throws IOException {
        Path blocker = Files.writeString(dir.resolve("a-file"), "in the way");
        String out = blocker.resolve("phase.parquet").toString();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> spark.run(Sweeps.PHASE, Sweeps.phaseGrid(), out, false));
        assertTrue(e.getMessage().startsWith("output directory (" + out + ") cannot be created"), e.getMessage());
        assertEquals("in the way", Files.readString(blocker));
        Path fresh = dir.resolve("fresh/phase.parquet");
        Table t = spark.run(Sweeps.PHASE, Sweeps.phaseGrid(), fresh.toString(), false); // the check leaves nothing behind
        assertEquals(6, t.rowCount());
    }

    @Test
    void tasksAreAFewPerCoreAndAtMostOnePerPoint() {
        assertEquals(8, spark.tasks(32));
        assertEquals(3, spark.tasks(3));
        assertEquals(1, spark.tasks(1));
    }

    @Test
    void everyPointGoesToExactlyOneTask() {
        for (int n : new int[] {1, 7, 32, 33, 100}) {
            for (int tasks = 1; tasks <= Math.min(n, 12); tasks++) {
                int[] seen = new int[n];
                for (int j = 0; j < tasks; j++) {
                    for (int i : SparkExecutor.points(j, tasks, n)) {
                        seen[i]++;
                    }
                }
                for (int i = 0; i < n; i++) {
                    assertEquals(1, seen[i], "point " + i + " of " + n + " in " + tasks + " tasks");
                }
            }
        }
    }

    @Test
    void pointsAreDealtInASerpentineSoThatGrowingCostsEvenOut() {
        assertArrayEquals(new int[] {0, 7, 8, 15}, SparkExecutor.points(0, 4, 16));
        assertArrayEquals(new int[] {3, 4, 11, 12}, SparkExecutor.points(3, 4, 16));
        // points whose cost is their index: over two full rounds every task carries the same cost
        for (int j = 0; j < 8; j++) {
            assertEquals(2 * 8 - 1, IntStream.of(SparkExecutor.points(j, 8, 16)).sum(), "task " + j);
        }
    }
}
