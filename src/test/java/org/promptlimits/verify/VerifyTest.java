package org.promptlimits.verify;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.promptlimits.check.Check;
import org.promptlimits.check.CheckTable;
import org.promptlimits.check.Relation;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VerifyTest {

    private static final List<Result> FAKE = List.of(
            new Result("1.1", "first", "a.ipynb", quick -> List.of(CheckTable.of("table one",
                    Check.of("A1", "a holds", "test", 1, Relation.AT_MOST, 2, "exact"),
                    Check.of("A2", "a also holds", "test", 3, Relation.AT_LEAST, 2, "exact")))),
            new Result("1.2", "second", "b.ipynb", quick -> List.of(CheckTable.of("table two",
                    Check.of("B1", "b fails", "test", quick ? 5 : 7, Relation.AT_MOST, 4, "exact"),
                    Check.of("B2", "b holds", "test", 0, Relation.EQUALS, 0, "exact")))),
            new Result("1.3/1.4", "third", "c.ipynb", quick -> {
                throw new IllegalArgumentException("construction refused");
            }),
            new Result("1.5", "fourth", "d.ipynb", quick -> List.of(CheckTable.of("table four",
                    Check.isTrue("D1", "d holds", "test", true, "exact")))));

    private record Run(int status, String out, String err) {
    }

    private static Run run(List<Result> results, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Verify.run(args, results, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aFailedCheckIsNamedWithItsMeasuredValueAndBoundAndEveryOtherTableStillPrints() {
        Run r = run(FAKE, "--quick");
        assertEquals(1, r.status());
        assertTrue(r.out().contains("FAILED: 'table two' row B1: measured 5, required ≤ 4"), r.out());
        assertTrue(r.out().contains("table one") && r.out().contains("table four"), r.out());
        assertTrue(r.out().contains("FAILED: the construction threw java.lang.IllegalArgumentException: construction refused"),
                r.out());
        assertTrue(r.out().indexOf("table four") > r.out().indexOf("construction refused"), "later results still run");
        // A1, A2, B2, D1 pass; B1 and the refused construction fail
        assertTrue(r.out().strip().endsWith("4 passed, 2 failed"), r.out());
    }

    @Test
    void everyCheckHoldingExitsZeroAndTheClosingLineCountsRows() {
        Run r = run(FAKE, "--result", "1.1", "--result=1.5");
        assertEquals(0, r.status(), r.out());
        assertTrue(r.out().strip().endsWith("3 passed, 0 failed"), r.out());
        assertTrue(!r.out().contains("table two"), r.out());
    }

    @Test
    void eitherHalfOfACombinedIdSelectsIt() {
        assertEquals("1.3/1.4", Verify.find("1.4", FAKE).id());
        assertEquals("1.3/1.4", Verify.find("1.3/1.4", FAKE).id());
        assertEquals("3.1/3.2", Verify.find("3.2", Results.all()).id());
        assertEquals("2.4", Verify.find("2.4", Results.all()).id());
    }

    @Test
    void anUnknownResultNamesTheValidOnes() {
        Run r = run(Results.all(), "--result", "9.9");
        assertEquals(Verify.USAGE, r.status());
        assertTrue(r.err().contains("--result (9.9) must be one of: softmax, boltzmann, 2.2, quantizer, 2.4, 2.3, 2.5, 3.1/3.2"),
                r.err());
        assertEquals("", r.out(), "nothing runs on a usage error");
    }

    @Test
    void missingValuesAndUnknownOptionsAreUsageErrors() {
        Run noValue = run(FAKE, "--json");
        assertEquals(Verify.USAGE, noValue.status());
        assertTrue(noValue.err().contains("--json needs a value"), noValue.err());
        Run unknown = run(FAKE, "--fast");
        assertEquals(Verify.USAGE, unknown.status());
        assertTrue(unknown.err().contains("unknown argument (--fast)"), unknown.err());
    }

    @Test
    void anUnwritableReportPathIsAClearErrorBeforeAnythingRuns(@TempDir Path dir) throws Exception {
        Run missing = run(FAKE, "--json", dir.resolve("no/such/folder/report.json").toString());
        assertEquals(Verify.USAGE, missing.status());
        assertTrue(missing.err().contains("--json (") && missing.err().contains("cannot be written: folder")
                && missing.err().contains("does not exist"), missing.err());
        assertEquals("", missing.out());
        Run folder = run(FAKE, "--markdown", dir.toString());
        assertEquals(Verify.USAGE, folder.status());
        assertTrue(folder.err().contains("is a folder"), folder.err());
        Path locked = Files.createDirectory(dir.resolve("locked"));
        if (locked.toFile().setWritable(false) && !Files.isWritable(locked)) {   // root can write anywhere
            Run denied = run(FAKE, "--json", locked.resolve("r.json").toString());
            assertEquals(Verify.USAGE, denied.status());
            assertTrue(denied.err().contains("permission denied"), denied.err());
        }
    }

    /**
     * "--json r --markdown r" wrote the Markdown report over the JSON one, and a second --json replaced the first,
     * both silently; each is now a usage error before anything runs.
     */
    @Test
    void reportPathsMustBeDistinctAndGivenOnce(@TempDir Path dir) {
        String same = dir.resolve("report").toString();
        Run clash = run(FAKE, "--json", same, "--markdown", same);
        assertEquals(Verify.USAGE, clash.status());
        assertTrue(clash.err().contains("--json and --markdown (" + dir.resolve("report").toAbsolutePath()
                + ") must name different files"), clash.err());
        assertEquals("", clash.out());
        Run twice = run(FAKE, "--json", dir.resolve("a.json").toString(), "--json", dir.resolve("b.json").toString());
        assertEquals(Verify.USAGE, twice.status());
        assertTrue(twice.err().contains("--json (" + dir.resolve("b.json").toAbsolutePath() + ") is given twice"),
                twice.err());
    }

    @Test
    void jsonAndMarkdownHoldTheSameRowsAsTheText(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("r.json");
        Path md = dir.resolve("r.md");
        Run r = run(FAKE, "--json", json.toString(), "--markdown", md.toString());
        assertEquals(1, r.status());
        String j = Files.readString(json);
        assertTrue(j.contains("\"passed\": 4") && j.contains("\"failed\": 2"), j);
        assertTrue(j.contains("{\"id\": \"B1\", \"holds\": false, \"kind\": \"check\", \"certified\": false, \"claim\": \"b fails\", \"measured\": \"7\""), j);
        assertTrue(j.contains("\"error\": \"java.lang.IllegalArgumentException: construction refused\""), j);
        String m = Files.readString(md);
        assertTrue(m.contains("| ✗ FAILED | B1 | check | b fails | 7 | ≤ | 4 | no | test | exact |"), m);
        assertTrue(m.strip().endsWith("4 passed, 2 failed"), m);
    }

    @Test
    void constructionFactsAreShownButNotCountedAndAFailedFactFails() {
        Check fact = new Check("S1", "layers", "theory §5 [C]", java.math.BigDecimal.valueOf(3), Relation.EQUALS,
                java.math.BigDecimal.valueOf(3), "count", Check.Kind.CONSTRUCTION_FACT, null);
        Check brokenFact = new Check("S2", "width", "theory §5 [C]", java.math.BigDecimal.valueOf(5), Relation.EQUALS,
                java.math.BigDecimal.valueOf(4), "count", Check.Kind.CONSTRUCTION_FACT, null);
        Check holds = Check.of("C1", "holds", "test", 1, Relation.AT_MOST, 2, "exact");
        Run ok = run(List.of(new Result("9", "facts", "f.ipynb", quick -> List.of(CheckTable.of("t", holds, fact)))));
        assertEquals(0, ok.status(), ok.out());
        assertTrue(ok.out().strip().endsWith("1 passed, 0 failed"), ok.out());
        Run bad = run(List.of(new Result("9", "facts", "f.ipynb", quick -> List.of(CheckTable.of("t", holds, brokenFact)))));
        assertEquals(1, bad.status(), bad.out());
        assertTrue(bad.out().contains("FAILED: 't' row S2: measured 5, required = 4"), bad.out());
        assertTrue(bad.out().strip().endsWith("1 passed, 1 failed"), bad.out());
    }
}
