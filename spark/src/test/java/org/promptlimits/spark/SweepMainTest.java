package org.promptlimits.spark;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.promptlimits.sweep.SweepFailure;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line of scripts/sweep, with no Spark session: parsing, and refusals of runs on the local executor. */
class SweepMainTest {

    @Test
    void optionsAreRead() {
        SweepArgs a = SweepMain.parse(new String[] {"distance", "--grid", "g.txt", "--master", "local[2]",
                "--out", "o.parquet", "--overwrite", "--seed", "8", "--csv", "t.csv"});
        assertEquals(new SweepArgs("distance", Path.of("g.txt"), "local[2]", "o.parquet", true, 8L, false,
                Path.of("t.csv"), null, null), a);
        assertEquals(Path.of("s.ser"), SweepMain.parse(new String[] {"phase", "--settings", "s.ser"}).settings());
        assertEquals(600.0, SweepMain.parse(new String[] {"memorization", "--max-seconds", "600"}).maxSeconds());
        SweepArgs defaults = SweepMain.parse(new String[] {"phase"});
        assertTrue(defaults.out().endsWith("target/sweeps/phase.parquet"), defaults.out());
        assertEquals(null, defaults.csv());
    }

    @Test
    void badCommandLinesAreRefusedNamingTheProblem() {
        bad("no sweep named", new String[] {});
        bad("unknown sweep 'phases'", new String[] {"phases"});
        bad("--csv needs a value", new String[] {"phase", "--csv"});
        bad("--seed (x) must be an integer in [-9223372036854775808, 9223372036854775807]",
                new String[] {"phase", "--seed", "x"});
        bad("--seed (9223372036854775808) must be an integer in [-9223372036854775808, 9223372036854775807]",
                new String[] {"phase", "--seed", "9223372036854775808"});
        bad("--grid is given twice ('a.txt' and 'b.txt'); give it once",
                new String[] {"phase", "--grid", "a.txt", "--local", "--grid", "b.txt"});
        bad("--out is given twice ('o' and 'o'); give it once", new String[] {"phase", "--out", "o", "--out", "o"});
        bad("unknown option '--cores'", new String[] {"phase", "--cores", "2"});
        bad("--local runs without Spark: it takes no --master or --out",
                new String[] {"phase", "--local", "--out", "o.parquet"});
        for (String v : new String[] {"0", "-1", "x", "NaN", "Infinity"}) {
            bad("--max-seconds (" + v + ") must be a finite number of seconds > 0",
                    new String[] {"memorization", "--max-seconds", v});
        }
        bad("--max-seconds sets the time limit of a memorization or distance point; phase takes none (its points are"
                + " limited by rank)",
                new String[] {"phase", "--max-seconds", "600"});
        // the CSV file was refused as a directory after every point had run: Parquet had been written there
        bad("--csv (./t) must not be the --out directory (t); give the CSV table a file of its own",
                new String[] {"phase", "--out", "t", "--csv", "./t"});
        // an empty value was read as the working directory (--grid, --csv, --settings) or as a value to check later
        for (String option : new String[] {"--grid", "--master", "--out", "--seed", "--csv", "--max-seconds",
                "--settings"}) {
            bad(option + " ('') must not be empty", new String[] {"memorization", option, ""});
        }
        bad("--seed (3) is a setting of the sweep, and --settings s.ser holds the sweep with all of its settings;"
                + " give one or the other", new String[] {"phase", "--settings", "s.ser", "--seed", "3"});
        bad("--max-seconds (9) is a setting of the sweep, and --settings s.ser holds the sweep with all of its"
                + " settings; give one or the other", new String[] {"memorization", "--max-seconds", "9", "--settings",
                "s.ser"});
    }

    /**
     * A memorization point above Budget.DEFAULT's 60 s could not be run from the command line: the refusal said to
     * raise a budget no option set. --max-seconds sets each point's limit, and the refusal names it.
     */
    @Test
    void maxSecondsSetsEachMemorizationPointsTimeLimit(@TempDir Path dir) throws IOException {
        // ε = 1e-6 is never reached: every length of the search runs its 3,000 steps, far more than a millisecond
        maxSecondsSetsEachPointsTimeLimit(dir, "memorization", "d: 2\nlength: 1\nepsilon: 0.000001\nsize: 1\n",
                "0.001");
    }

    /** A distance point's samples run under the same limit (d = L = 8: 2,000 samples take far over 0.1 ms). */
    @Test
    void maxSecondsSetsEachDistancePointsTimeLimit(@TempDir Path dir) throws IOException {
        maxSecondsSetsEachPointsTimeLimit(dir, "distance", "target: shift\nd: 8\nlength: 8\nepsilon: 0.25\n",
                "0.0001");
    }

    /** The sweep's one point is refused in one line under {@code tiny} seconds and runs under 600. */
    private static void maxSecondsSetsEachPointsTimeLimit(Path dir, String sweep, String gridText, String tiny)
            throws IOException {
        Path grid = Files.writeString(dir.resolve("g.txt"), gridText);
        String err = refused(null, sweep, "--local", "--grid", grid.toString(), "--max-seconds", tiny);
        assertTrue(err.startsWith("sweep: sweep " + sweep + " failed at point 0 "), err);
        assertTrue(err.contains("above Budget.maxSeconds = " + tiny + ";"), err);
        assertTrue(err.endsWith(", or pass a Budget with a larger maxSeconds (--max-seconds S sets it for each"
                + " point)\n"), err);
        assertEquals(1, err.lines().count(), err);
        PrintStream out = System.out;
        int code;
        try {
            System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            code = SweepMain.run(new String[] {sweep, "--local", "--grid", grid.toString(), "--max-seconds", "600"});
        } finally {
            System.setOut(out);
        }
        assertEquals(0, code);
    }

    @Test
    void aCsvTargetThatIsADirectoryIsAUsageErrorBeforeAnythingRuns(@TempDir Path dir) {
        bad("--csv (" + dir + ") must be a file, not a directory", new String[] {"phase", "--local", "--csv", dir.toString()});
        bad("--csv (" + dir.resolve("no/t.csv") + ") must be in an existing directory",
                new String[] {"phase", "--local", "--csv", dir.resolve("no/t.csv").toString()});
    }

    @Test
    void aGridFileThatCannotBeReadOrParsedIsOneLineNamingTheFile(@TempDir Path dir) throws IOException {
        Path missing = dir.resolve("missing.txt");
        refused("sweep: --grid (" + missing + ") must be a readable file: no such file\n",
                "memorization", "--local", "--grid", missing.toString());
        refused("sweep: --grid (" + dir + ") must be a readable file: Is a directory\n",
                "memorization", "--local", "--grid", dir.toString());
        Path bad = Files.writeString(dir.resolve("bad.txt"), "d 2\n");
        refused("sweep: --grid " + bad + ": grid line 1 ('d 2') must read 'name: v1, v2, ...'\n",
                "memorization", "--local", "--grid", bad.toString());
        Path nan = Files.writeString(dir.resolve("nan.txt"), "d: 2\nlength: 1\nepsilon: NaN\nsize: 1\n");
        refused("sweep: --grid " + nan + ": epsilon (NaN) must be in (0.0, 1.0)\n",
                "memorization", "--local", "--grid", nan.toString());
    }

    /** A --settings file that is not the named sweep, serialized, is refused naming the file and what it holds. */
    @Test
    void aSettingsFileThatDoesNotHoldTheNamedSweepIsOneLineNamingTheFile(@TempDir Path dir) throws IOException {
        Path missing = dir.resolve("missing.ser");
        refused("sweep: --settings (" + missing + ") must hold a serialized DistanceSweep (as SweepCommand writes it):"
                + " no such file\n", "distance", "--local", "--settings", missing.toString());
        Path text = Files.writeString(dir.resolve("text.ser"), "d: 2\n");
        String err = refused(null, "distance", "--local", "--settings", text.toString());
        assertTrue(err.startsWith("sweep: --settings (" + text + ") must hold a serialized DistanceSweep (as"
                + " SweepCommand writes it): java.io.StreamCorruptedException"), err);
        Path phase = dir.resolve("phase.ser");
        try (ObjectOutputStream o = new ObjectOutputStream(Files.newOutputStream(phase))) {
            o.writeObject(SweepMain.phase(3));
        }
        refused("sweep: --settings (" + phase + ") must hold a serialized DistanceSweep (as SweepCommand writes it), for"
                + " sweep distance; it holds a org.promptlimits.phase.PhaseSweep\n", "distance", "--local",
                "--settings", phase.toString());
        // a class outside the library and the JDK is not even loaded
        Path foreign = dir.resolve("foreign.ser");
        try (ObjectOutputStream o = new ObjectOutputStream(Files.newOutputStream(foreign))) {
            o.writeObject(new org.apache.spark.SparkConf(false));
        }
        err = refused(null, "distance", "--local", "--settings", foreign.toString());
        assertTrue(err.startsWith("sweep: --settings (" + foreign + ") must hold a serialized DistanceSweep (as"
                + " SweepCommand writes it): java.io.InvalidClassException: filter status: REJECTED"), err);
        assertEquals(1, err.lines().count(), err);
        // a sweep of a class the child does not have (a notebook cell's own): its name in the stream, renamed
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream o = new ObjectOutputStream(bytes)) {
            o.writeObject(new Gone(1));
        }
        String stream = bytes.toString(StandardCharsets.ISO_8859_1).replace("SweepMainTest$Gone", "SweepMainTest$Nope");
        Path unknown = Files.write(dir.resolve("unknown.ser"), stream.getBytes(StandardCharsets.ISO_8859_1));
        refused("sweep: --settings (" + unknown + ") must hold a serialized DistanceSweep (as SweepCommand writes it):"
                + " it holds a org.promptlimits.spark.SweepMainTest$Nope, a class this JVM does not have (scripts/sweep"
                + " runs the library's own sweeps)\n", "distance", "--local", "--settings", unknown.toString());
    }

    /** A serializable record the settings test renames in its stream. */
    record Gone(long x) implements java.io.Serializable {
    }

    @Test
    void aPointTheLibraryRefusesIsOneLineWithItsRuleNotAStackTrace(@TempDir Path dir) throws IOException {
        // d = 10^8 asks the frozen model for 3.2e17 bytes: the budget refuses it before anything is allocated
        Path huge = Files.writeString(dir.resolve("huge.txt"), "d: 100000000\nlength: 1\nepsilon: 0.25\nsize: 1\n");
        String err = refused(null, "memorization", "--local", "--grid", huge.toString());
        assertTrue(err.startsWith("sweep: sweep memorization failed at point 0 Setting[d=100000000, length=1,"
                + " epsilon=0.25, size=1]: attention weights"), err);
        assertTrue(err.contains("above Budget.maxBytes"), err);
        assertEquals(1, err.lines().count(), err);
    }

    /**
     * Exit status 1 meant either a refused input or a failed sweep, so a caller of the script (notebook 09's
     * SweepCommand) could not tell its own mistake from a failure: a failure other than a refusal now exits with 3.
     */
    @Test
    void aRefusalIsTellableFromAFailedSweep() {
        assertTrue(SweepMain.refused(new IllegalArgumentException("d (0) must be > 0")));
        assertTrue(SweepMain.refused(new SweepFailure("memorization", 0, "p", new IllegalArgumentException("rule"))));
        assertFalse(SweepMain.refused(new SweepFailure("memorization", 0, "p", new IllegalStateException("NaN"))));
        assertFalse(SweepMain.refused(new IllegalStateException("the Spark job of sweep phase failed")));
    }

    @Test
    void masterUrlsSparkWouldNotStartOnAreRefusedWithTheFormsItTakes() {
        for (String ok : new String[] {"local", "local[1]", "local[*]", "local[2, 3]", "local-cluster[2, 1, 1024]",
                "spark://127.0.0.1:7077", "spark://a:7077,b:7078"}) {
            SparkExecutor.requireMaster(ok);
        }
        // the one reading of a spark:// URL: the masters the executor connects to, in the URL's order
        assertEquals(List.of(InetSocketAddress.createUnresolved("a", 7077), InetSocketAddress.createUnresolved("b", 7078)),
                SparkExecutor.requireMaster("spark://a:7077,b:7078"));
        assertEquals(List.of(), SparkExecutor.requireMaster("local[2]"));
        badMaster("master (foo) is not a master this Spark can start", "foo");
        badMaster("master (yarn) is not a master this Spark can start", "yarn");
        badMaster("master (local[0]) is not a local master Spark accepts", "local[0]");
        badMaster("master (local[x]) is not a local master Spark accepts", "local[x]");
        badMaster("master (spark://) must name HOST:PORT for each master, not ''", "spark://");
        badMaster("master (spark://h) must name HOST:PORT for each master, not 'h'", "spark://h");
        badMaster("master (spark://h:notaport): port 'notaport' must be a number in [1, 65535]", "spark://h:notaport");
        badMaster("master (spark://h:70000): port '70000' must be a number in [1, 65535]", "spark://h:70000");
        badMaster("master (spark://a:7077,) must name HOST:PORT for each master, not ''", "spark://a:7077,");
    }

    /**
     * Below Spark's smallest driver heap, Spark logged a stack trace and advised --driver-memory, an option
     * scripts/sweep does not take: the command now refuses before Spark starts, in one line, naming the heap, the
     * minimum and SWEEP_JAVA_OPTS.
     */
    @Test
    void aHeapTooSmallForSparkIsRefusedBeforeSparkStarts(@TempDir Path dir) throws IOException, InterruptedException {
        SweepMain.requireHeap(SweepMain.MIN_HEAP);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SweepMain.requireHeap(SweepMain.MIN_HEAP - 1));
        assertTrue(e.getMessage().startsWith("the JVM's heap (449.9 MiB, Runtime.maxMemory) must be at least 450.0 MiB"
                + " for Spark"), e.getMessage());
        assertTrue(e.getMessage().contains("SWEEP_JAVA_OPTS=-Xmx1g"), e.getMessage());

        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m"));
        for (String opt : System.getProperty("sparkOpens", "").split("\\s+")) {
            if (!opt.isEmpty()) {
                command.add(opt);
            }
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), SweepMain.class.getName(), "phase",
                "--out", dir.resolve("phase.parquet").toString()));
        Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the child JVM did not end");
        assertEquals(1, p.exitValue(), err);
        assertTrue(err.startsWith("sweep: the JVM's heap ("), err);
        assertTrue(err.contains("MiB, Runtime.maxMemory) must be at least 450.0 MiB for Spark"), err);
        assertEquals(1, err.lines().count(), err);
    }

    private static void badMaster(String expected, String master) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SparkExecutor.requireMaster(master));
        assertTrue(e.getMessage().startsWith(expected), e.getMessage());
    }

    /** Runs the command line, expects exit code 1 and returns its standard error (checked against expected). */
    private static String refused(String expected, String... argv) {
        PrintStream err = System.err;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int code;
        try {
            System.setErr(new PrintStream(buffer, true, StandardCharsets.UTF_8));
            code = SweepMain.run(argv);
        } finally {
            System.setErr(err);
        }
        String text = buffer.toString(StandardCharsets.UTF_8);
        assertEquals(1, code, text);
        if (expected != null) {
            assertEquals(expected, text);
        }
        return text;
    }

    private static void bad(String expected, String[] argv) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SweepMain.parse(argv));
        assertEquals(expected, e.getMessage());
    }
}
