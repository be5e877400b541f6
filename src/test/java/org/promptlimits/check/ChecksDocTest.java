package org.promptlimits.check;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * docs/checks.md keeps in step with the code: every check id written as a literal in a library class or a notebook
 * cell ({@code Check.of("C1", ...)}, {@code Check.fact}, {@code Check.certified}, {@code Check.isTrue}) has a row
 * there, in a row that names that class (library table) or that notebook (notebook table), so each row's kind and
 * "why it can fail" are reviewed when a check is added.
 */
class ChecksDocTest {

    private static final Path ROOT = Path.of("").toAbsolutePath();
    /** A literal id as the first argument; in notebook JSON the quotes are escaped. */
    private static final Pattern ID = Pattern.compile(
            "(?:Check\\.(?:of|isTrue|fact|certified)|new Check)\\(\\s*\\\\?\"([^\"\\\\]+)\\\\?\"\\s*(\\+)?");
    private static final Pattern RANGE = Pattern.compile("([A-Za-z.]+)(\\d+)([a-z]?)–(?:[A-Za-z.]+)?(\\d+)([a-z]?)");

    /** "C1–C4, C6 and E2b–E2d (C4b)" as single ids; words in parentheses are notes and only add unused tokens. */
    static Set<String> expand(String cell) {
        Set<String> ids = new LinkedHashSet<>();
        for (String token : cell.replace("`", "").replace("*", "").split(",| and |\\(|\\)")) {
            String t = token.trim();
            Matcher r = RANGE.matcher(t);
            if (r.matches()) {
                int from = Integer.parseInt(r.group(2));
                int to = Integer.parseInt(r.group(4));
                if (!r.group(3).isEmpty() && from == to) {
                    for (char c = r.group(3).charAt(0); c <= r.group(5).charAt(0); c++) {
                        ids.add(r.group(1) + from + c);
                    }
                } else {
                    for (int i = from; i <= to; i++) {
                        ids.add(r.group(1) + i);
                    }
                }
            } else if (!t.isEmpty()) {
                ids.add(t);
            }
        }
        return ids;
    }

    /** Library rows: "where" (the built-by cell, "same" resolved) → ids; notebook rows: "07", "sol 02" → ids. */
    private static Map<String, Set<String>> documented() throws IOException {
        Map<String, Set<String>> rows = new TreeMap<>();
        String previousWhere = "";
        boolean notebookTable = false;
        for (String line : Files.readAllLines(ROOT.resolve("docs/checks.md"), StandardCharsets.UTF_8)) {
            if (line.startsWith("| notebook |")) {
                notebookTable = true;
            } else if (line.startsWith("| id |")) {
                notebookTable = false;
            }
            if (!line.startsWith("| ") || line.startsWith("|---")) {
                continue;
            }
            String[] cells = line.substring(2).split(" \\| ");
            if (cells.length < 3) {
                continue;
            }
            if (notebookTable) {
                rows.computeIfAbsent("notebook " + cells[0].trim(), k -> new TreeSet<>()).addAll(expand(cells[1]));
            } else {
                String where = cells[1].trim().equals("same") ? previousWhere : cells[1].trim();
                previousWhere = where;
                rows.computeIfAbsent(where, k -> new TreeSet<>()).addAll(expand(cells[0]));
            }
        }
        return rows;
    }

    private static List<String> literalIds(String text) {
        List<String> ids = new ArrayList<>();
        Matcher m = ID.matcher(text);
        while (m.find()) {
            if (m.group(2) == null) {          // "U2." + i: a family, documented by its pattern
                ids.add(m.group(1));
            }
        }
        return ids;
    }

    @Test
    void everyLiteralCheckIdOfTheLibraryHasARowNamingItsClass() throws IOException {
        Map<String, Set<String>> rows = documented();
        List<String> missing = new ArrayList<>();
        int seen = 0;
        try (Stream<Path> walk = Files.walk(ROOT.resolve("src/main/java"))) {
            for (Path p : (Iterable<Path>) walk.filter(f -> f.toString().endsWith(".java"))::iterator) {
                String cls = p.getFileName().toString().replace(".java", "");
                for (String id : literalIds(Files.readString(p, StandardCharsets.UTF_8))) {
                    seen++;
                    boolean found = rows.entrySet().stream()
                            .anyMatch(e -> e.getKey().contains(cls + ".") && e.getValue().contains(id));
                    if (!found) {
                        missing.add(cls + ": " + id);
                    }
                }
            }
        }
        assertTrue(seen > 40, "only " + seen + " literal ids found: the pattern no longer matches the code");
        assertTrue(missing.isEmpty(), "check ids without a row in docs/checks.md naming their class: " + missing);
    }

    @Test
    void everyLiteralCheckIdOfANotebookHasARowForThatNotebook() throws IOException {
        Map<String, Set<String>> rows = documented();
        List<String> missing = new ArrayList<>();
        int seen = 0;
        try (Stream<Path> walk = Files.walk(ROOT.resolve("notebooks"))) {
            for (Path p : (Iterable<Path>) walk.filter(f -> f.toString().endsWith(".ipynb"))
                    .filter(f -> !f.toString().contains(".ipynb_checkpoints"))::iterator) {
                String name = p.getFileName().toString();
                String key = "notebook " + (p.getParent().getFileName().toString().equals("solutions") ? "sol " : "")
                        + name.substring(0, 2);
                for (String id : literalIds(Files.readString(p, StandardCharsets.UTF_8))) {
                    seen++;
                    if (!rows.getOrDefault(key, Set.of()).contains(id)) {
                        missing.add(key + ": " + id);
                    }
                }
            }
        }
        assertTrue(seen > 40, "only " + seen + " literal ids found in notebooks");
        assertTrue(missing.isEmpty(), "notebook check ids without a row in docs/checks.md: " + missing);
    }

    @Test
    void rangesAndListsExpandToSingleIds() {
        assertEquals(Set.of("C1", "C2", "C3", "C4"), expand("C1–C4"));
        assertEquals(Set.of("E2b", "E2c", "E2d", "E1a"), expand("E1a, E2b–E2d"));
        assertEquals(Set.of("X1", "X2", "X4"), expand("X1, X2 and X4"));
        assertEquals(Set.of("L2.2-γ"), expand("L2.2-γ"));
        assertTrue(expand("C4–C7 (C4b, C6b)").containsAll(Set.of("C4", "C7", "C4b", "C6b")));
    }
}
