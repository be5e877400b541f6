package org.promptlimits.sweep;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.promptlimits.check.Check;
import tech.tablesaw.api.Table;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SweepTest {

    record Point(int k, double x, String tag) {
    }

    /** A sweep whose result is a draw from the point's seed, with a fake timing column. */
    record Draws(long rootSeed) implements Sweep<Point, double[]> {
        @Override
        public String name() {
            return "draws";
        }

        @Override
        public double[] run(Point p, long seed) {
            if (p.k() < 0) {
                throw new IllegalStateException("negative k");
            }
            SplittableRandom r = new SplittableRandom(seed);
            return new double[] {p.k() * p.x() + r.nextDouble(), System.nanoTime()};
        }

        @Override
        public List<Column> columns() {
            return List.of(Column.ofDouble("value"), Column.timing("clock"));
        }

        @Override
        public Object[] row(double[] r) {
            return new Object[] {r[0], r[1]};
        }
    }

    static Grid<Point> grid() {
        return Grid.product(Point.class, Map.of("k", List.of(1, 2, 3), "x", List.of(0.5, 2), "tag", List.of("a", "b")));
    }

    @Test
    void productNestsTheComponentsInDeclarationOrder() {
        Grid<Point> g = grid();
        assertEquals(12, g.size());
        assertEquals(new Point(1, 0.5, "a"), g.point(0));
        assertEquals(new Point(1, 0.5, "b"), g.point(1));
        assertEquals(new Point(1, 2.0, "a"), g.point(2));
        assertEquals(new Point(3, 2.0, "b"), g.point(11));
        assertEquals(List.of("k", "x", "tag"), g.columns().stream().map(Column::name).toList());
    }

    @Test
    void parsedGridEqualsTheProduct() {
        Grid<Point> parsed = Grid.parse(Point.class, "# a grid\nk: 1, 2, 3\nx = 0.5, 2\ntag: a, b  # two tags\n");
        assertEquals(grid().points(), parsed.points());
    }

    @Test
    void seedsDependOnTheRootAndThePointAlone() {
        Draws s = new Draws(42);
        List<Point> shuffled = new ArrayList<>(grid().points());
        Collections.shuffle(shuffled, new java.util.Random(3));
        for (Point p : shuffled) {
            assertEquals(Seeds.derive(42, p), s.seed(p));
        }
        assertNotEquals(s.seed(new Point(1, 0.5, "a")), s.seed(new Point(1, 0.5, "b")));
        assertNotEquals(s.seed(new Point(1, 0.5, "a")), new Draws(43).seed(new Point(1, 0.5, "a")));
        assertEquals(12, grid().points().stream().map(s::seed).distinct().count());
    }

    @Test
    void tableIsTheSameOnOneThreadAndOnSeveralAndForAShuffledGrid() {
        Draws s = new Draws(7);
        Table one = new LocalExecutor(1).run(s, grid());
        Table four = new LocalExecutor(4).run(s, grid());
        assertEquals(List.of("point", "k", "x", "tag", "seed", "value", "clock"), one.columnNames());
        assertEquals(12, one.rowCount());
        assertTrue(SweepTable.firstDifference(one, four).isPresent(), "the timing column differs");
        assertEquals(java.util.Optional.empty(),
                SweepTable.firstDifference(SweepTable.withoutTiming(one, s), SweepTable.withoutTiming(four, s)));
        List<Point> reversed = new ArrayList<>(grid().points());
        Collections.reverse(reversed);
        Table back = new LocalExecutor(3).run(s, Grid.of(reversed));
        for (int i = 0; i < 12; i++) {
            assertEquals(one.doubleColumn("value").getDouble(i), back.doubleColumn("value").getDouble(11 - i), 0.0);
            assertEquals(one.longColumn("seed").getLong(i), back.longColumn("seed").getLong(11 - i));
        }
    }

    @Test
    void firstDifferenceComparesDoublesByTheirBits() {
        Draws s = new Draws(7);
        Table a = SweepTable.withoutTiming(new LocalExecutor(1).run(s, grid()), s);
        Table b = a.copy();
        b.doubleColumn("value").set(5, Math.nextUp(b.doubleColumn("value").getDouble(5)));
        assertTrue(SweepTable.firstDifference(a, b).orElseThrow().startsWith("row 5, column 'value'"));
    }

    @Test
    void aFailingPointIsNamed() {
        Grid<Point> g = Grid.of(List.of(new Point(1, 1, "a"), new Point(-2, 1, "a")));
        SweepFailure f = assertThrows(SweepFailure.class, () -> new LocalExecutor(2).run(new Draws(1), g));
        assertTrue(f.getMessage().contains("point 1 Point[k=-2, x=1.0, tag=a]"), f.getMessage());
        assertTrue(f.getMessage().contains("negative k"), f.getMessage());
    }

    @Test
    void aRefusedPointReadsAsItsRuleAndAnyOtherFailureKeepsItsType() {
        assertEquals("sweep s failed at point 3 P[k=1]: k (1) must be > 2",
                new SweepFailure("s", 3, "P[k=1]", new IllegalArgumentException("k (1) must be > 2")).getMessage());
        assertEquals("sweep s failed at point 3 P[k=1]: java.lang.IllegalStateException: no convergence",
                new SweepFailure("s", 3, "P[k=1]", new IllegalStateException("no convergence")).getMessage());
    }

    @Test
    void aGridFileWithAByteOrderMarkAndWindowsLineEndsReadsAsWithout() {
        // the mark made the first line's name '\uFEFFk', refused as "'k' is not one of [k, x, tag]"
        assertEquals(Grid.parse(Point.class, "k: 1, 2\nx: 0.5\ntag: a").points(),
                Grid.parse(Point.class, "\uFEFFk: 1, 2\r\nx: 0.5\r\ntag: a\r\n").points());
    }

    @Test
    void aGridAboveTheBudgetIsRefusedBeforeAnyPointIsBuilt() {
        List<Integer> ks = java.util.stream.IntStream.rangeClosed(1, 1000).boxed().toList();
        List<Integer> xs = java.util.stream.IntStream.rangeClosed(1, 1000).boxed().toList();
        List<String> tags = java.util.stream.IntStream.rangeClosed(1, 100).mapToObj(i -> "t" + i).toList();
        bad("grid needs 1e8 points (1000 k × 1000 x × 100 tag values), above Budget.maxCells = 1e7; give fewer values",
                () -> Grid.product(Point.class, Map.of("k", ks, "x", xs, "tag", tags)));
    }

    @Test
    void aCsvTargetThatIsADirectoryIsRefusedByTheRule(@TempDir Path dir) {
        Table t = new LocalExecutor(1).run(new Draws(7), Grid.of(List.of(new Point(1, 0.5, "a"))));
        bad("file (" + dir + ") must be a file, not a directory", () -> SweepTable.writeCsv(t, dir));
        bad("--csv (" + dir + ") must be a file, not a directory", () -> SweepTable.requireCsvFile("--csv", dir));
        bad("--csv (" + dir.resolve("no/t.csv") + ") must be in an existing directory",
                () -> SweepTable.requireCsvFile("--csv", dir.resolve("no/t.csv")));
    }

    @Test
    void badGridsAreRefusedWithTheRule() {
        bad("grid (0 points) must hold at least one point", () -> Grid.of(List.<Point>of()));
        bad("grid holds the point Point[k=1, x=0.5, tag=a] twice (at 0 and 2)",
                () -> Grid.of(List.of(new Point(1, 0.5, "a"), new Point(2, 0.5, "a"), new Point(1, 0.5, "a"))));
        bad("grid parameter 'x' (0 values)", () -> Grid.product(Point.class, Map.of("k", List.of(1), "x", List.of(),
                "tag", List.of("a"))));
        bad("grid parameter 'tag' has no values", () -> Grid.product(Point.class, Map.of("k", List.of(1), "x", List.of(1))));
        bad("grid parameter 'y' is not one of", () -> Grid.product(Point.class, Map.of("y", List.of(1))));
        bad("grid parameter 'k' value 1.5 (Double) must be an int", () -> Grid.product(Point.class,
                Map.of("k", List.of(1.5), "x", List.of(1), "tag", List.of("a"))));
        bad("grid line 2: 'x' value 'one' is not a double", () -> Grid.parse(Point.class, "k: 1\nx: one\ntag: a"));
        bad("grid line 1 ('k 1')", () -> Grid.parse(Point.class, "k 1"));
        bad("grid holds the point", () -> Grid.parse(Point.class, "k: 1, 1\nx: 1\ntag: a"));
        bad("threads (0)", () -> new LocalExecutor(0));
    }

    @Test
    void csvGivesBackEveryBit(@TempDir Path dir) {
        Draws s = new Draws(7);
        Grid<Point> g = Grid.of(List.of(new Point(1, -0.0, "a, \"quoted\""), new Point(2, 4.9e-324, ""),
                new Point(3, 0.1 + 0.2, "b")));
        Table t = new LocalExecutor(1).run(s, g);
        Path file = dir.resolve("t.csv");
        SweepTable.writeCsv(t, file);
        Table back = SweepTable.readCsv("draws", SweepTable.schema(s, g), file);
        assertEquals(java.util.Optional.empty(), SweepTable.firstDifference(t, back));
        assertEquals(Double.doubleToLongBits(-0.0), Double.doubleToLongBits(back.doubleColumn("x").getDouble(0)));
    }

    @Test
    void csvWithOtherColumnsIsRefused(@TempDir Path dir) throws Exception {
        Draws s = new Draws(7);
        Path file = dir.resolve("t.csv");
        Files.writeString(file, "point,k,x\n0,1,2.0\n");
        bad("has the columns 'point,k,x'; the sweep's table has [point, k, x, tag, seed, value, clock]",
                () -> SweepTable.readCsv("draws", SweepTable.schema(s, grid()), file));
    }

    @Test
    void agreementRowsCountDifferingPointsAndFailOnOneBit() {
        Draws s = new Draws(7);
        Table a = SweepTable.withoutTiming(new LocalExecutor(1).run(s, grid()), s);
        List<Point> reversed = new ArrayList<>(grid().points());
        Collections.reverse(reversed);
        Table back = SweepTable.withoutTiming(new LocalExecutor(2).run(s, Grid.of(reversed)), s);
        assertTrue(SweepChecks.sameTable("A", "same", a, a.copy()).holds());
        assertTrue(SweepChecks.sameRows("B", "reversed", a, back).holds());
        assertTrue(!SweepChecks.sameTable("C", "in order", a, back).holds(), "grid order matters to sameTable");

        Table b = a.copy();
        b.doubleColumn("value").set(5, Math.nextUp(b.doubleColumn("value").getDouble(5)));
        Check oneBit = SweepChecks.sameTable("D", "one bit", a, b);
        assertTrue(!oneBit.holds());
        assertEquals(1, oneBit.measured().intValue());
        assertTrue(oneBit.method().contains("row 5, column 'value'"), oneBit.method());
        Check other = SweepChecks.sameRows("E", "other seed", a,
                SweepTable.withoutTiming(new LocalExecutor(2).run(new Draws(8), Grid.of(reversed)), s));
        assertEquals(12, other.measured().intValue());
        assertEquals(12, SweepChecks.sameTable("F", "fewer rows", a, a.first(3)).measured().intValue());
        assertTrue(!SweepChecks.executors(a, a.copy(), a.copy(), b).allHold());
        assertTrue(SweepChecks.executors(a, a.copy(), a.copy(), back).allHold());
        bad("is not a sweep table", () -> SweepChecks.sameRows("G", "no seed", a.copy().removeColumns("seed"), a));
    }

    private static void bad(String expected, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    /**
     * WallClock.median(Integer.MAX_VALUE) was accepted and its first timing threw OutOfMemoryError (an array of
     * reps doubles); a count of runs that fits in memory but not in the time budget is refused after the first runs.
     */
    @Test
    void aTimerRefusesRunCountsBeyondTheBudget() {
        bad("timed runs (reps doubles) needs", () -> WallClock.median(Integer.MAX_VALUE));
        bad("; lower reps", () -> WallClock.fastest(Integer.MAX_VALUE));
        IllegalArgumentException slow = assertThrows(IllegalArgumentException.class,
                () -> WallClock.median(10_000_000).seconds(() -> {
                    long t0 = System.nanoTime();
                    while (System.nanoTime() - t0 < 100_000) {
                        Thread.onSpinWait();
                    }
                }));
        assertTrue(slow.getMessage().startsWith("timing needs about"), slow.getMessage());
        assertTrue(slow.getMessage().contains("reps = 10000000")
                && slow.getMessage().endsWith("lower reps, or pass a Budget with a larger maxSeconds"),
                slow.getMessage());
        assertTrue(WallClock.median(3).seconds(() -> { }) >= 0);
    }
}
