package org.promptlimits.sweep;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How SweepCommand reads the end of its child process, with a shell standing in for scripts/sweep (whose exit
 * statuses and one-line messages are SweepMain's: 1 a refused input, 2 a usage error, 3 a failed sweep).
 */
class SweepCommandTest {

    /** Runs {@code sh -c script} as SweepCommand runs scripts/sweep. */
    private static void child(Path dir, String script) {
        SweepCommand.run(List.of("sh", "-c", script), dir);
    }

    /**
     * Every non-zero exit was an IllegalStateException, so a point over its budget or a bad option read as an
     * internal failure: a refusal (status 1 or 2 with its "sweep: " line) is now an IllegalArgumentException with
     * that line's problem, and nothing else.
     */
    @Test
    void aRefusalIsAnIllegalArgumentWithTheChildsOneLine(@TempDir Path dir) {
        IllegalArgumentException point = assertThrows(IllegalArgumentException.class, () -> child(dir,
                "echo 'a log line' >&2; echo 'sweep: sweep memorization failed at point 0 Setting[d=2]: prompt search"
                        + " needs 90 seconds, above Budget.maxSeconds = 60' >&2; echo 'Shutdown hook called' >&2;"
                        + " exit 1"));
        assertEquals("scripts/sweep refused the sweep: sweep memorization failed at point 0 Setting[d=2]: prompt"
                + " search needs 90 seconds, above Budget.maxSeconds = 60", point.getMessage());
        IllegalArgumentException usage = assertThrows(IllegalArgumentException.class, () -> child(dir,
                "printf 'sweep: unknown option %s\\nusage: sweep memorization|phase|distance\\n' \"'--cores'\" >&2;"
                        + " exit 2"));
        assertEquals("scripts/sweep refused the sweep: unknown option '--cores'", usage.getMessage());
    }

    /**
     * An output directory at a file system's root ended in a NullPointerException, and one below a file in an
     * UncheckedIOException without the reason: both are refused before the child starts, naming out and the rule.
     */
    @Test
    void anOutputThatCannotBeCreatedIsRefusedBeforeTheChildStarts(@TempDir Path dir) throws IOException {
        Sweep<Point, Integer> sweep = new Ones();
        Path root = dir.getRoot();
        IllegalArgumentException atRoot = assertThrows(IllegalArgumentException.class,
                () -> SweepCommand.spark(sweep, Point.class, "x: 1", "local[1]", root));
        assertEquals("out (" + root + ") must name a directory to create, not a root", atRoot.getMessage());
        Path file = Files.writeString(dir.resolve("file"), "");
        IllegalArgumentException belowAFile = assertThrows(IllegalArgumentException.class,
                () -> SweepCommand.spark(sweep, Point.class, "x: 1", "local[1]", file.resolve("out.parquet")));
        assertEquals("out (" + file.resolve("out.parquet") + ") must be in a directory this JVM can create: " + file
                + " is a file", belowAFile.getMessage());
        IllegalArgumentException noGrid = assertThrows(IllegalArgumentException.class,
                () -> SweepCommand.spark(sweep, Point.class, null, "local[1]", dir.resolve("o.parquet")));
        assertEquals("gridText (null) must not be null", noGrid.getMessage());
    }

    /** A point of one int. */
    record Point(int x) {
    }

    /** A sweep whose every point is 1. */
    record Ones() implements Sweep<Point, Integer> {
        @Override
        public String name() {
            return "ones";
        }

        @Override
        public long rootSeed() {
            return 1;
        }

        @Override
        public Integer run(Point point, long seed) {
            return 1;
        }

        @Override
        public List<Column> columns() {
            return List.of(Column.ofInt("one"));
        }

        @Override
        public Object[] row(Integer result) {
            return new Object[] {result};
        }
    }

    @Test
    void aFailureIsStillAnIllegalStateWithTheEndOfTheErrorOutput(@TempDir Path dir) {
        IllegalStateException failed = assertThrows(IllegalStateException.class, () -> child(dir,
                "echo 'sweep: sweep memorization failed at point 0 p: java.lang.IllegalStateException: NaN' >&2;"
                        + " exit 3"));
        assertTrue(failed.getMessage().startsWith("scripts/sweep exited with status 3:\nsweep: sweep memorization"),
                failed.getMessage());
        IllegalStateException build = assertThrows(IllegalStateException.class, () -> child(dir,
                "echo '[promptlimits] error: the library build failed (see above)' >&2; exit 1"));
        assertTrue(build.getMessage().endsWith("the library build failed (see above)"), build.getMessage());
        IllegalStateException crash = assertThrows(IllegalStateException.class, () -> child(dir,
                "echo 'Exception in thread \"main\" java.lang.OutOfMemoryError: Java heap space' >&2; exit 1"));
        assertTrue(crash.getMessage().contains("OutOfMemoryError"), crash.getMessage());
        IllegalStateException killed = assertThrows(IllegalStateException.class, () -> child(dir,
                "echo 'sweep: not the end' >&2; kill -9 $$"));
        assertTrue(killed.getMessage().startsWith("scripts/sweep exited with status 137"), killed.getMessage());
        child(dir, "echo 'sweep: a line of a run that succeeded' >&2; exit 0");
    }
}
