package org.promptlimits.check;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Every "theory §x.y" citation in the code, check tables, notebooks, scripts, tests, benchmarks, README and the
 * theory pages themselves names a heading of docs/theory, and no citation of a document outside the
 * repository ("SPEC §n") is left.
 */
class TheoryCitationsTest {

    private static final Path ROOT = Path.of("").toAbsolutePath();
    private static final Pattern HEADING = Pattern.compile("^#+ §(\\d+(?:\\.\\d+)?) ", Pattern.MULTILINE);
    /** "theory §3.2", then any chained ", §8.4" / " and §5" / "–§2.4". */
    private static final Pattern CITATION = Pattern.compile("theory §(\\d+(?:\\.\\d+)?)((?:(?:,| and| or|–) ?§\\d+(?:\\.\\d+)?)*)");
    private static final Pattern CHAINED = Pattern.compile("§(\\d+(?:\\.\\d+)?)");
    /** Inside the theory pages a bare "§3.5" is a citation too. */
    private static final Pattern BARE = Pattern.compile("§(\\d+(?:\\.\\d+)?)");

    static Set<String> sections() throws IOException {
        Set<String> s = new TreeSet<>();
        try (Stream<Path> pages = Files.list(ROOT.resolve("docs/theory"))) {
            for (Path p : (Iterable<Path>) pages.filter(p -> p.toString().endsWith(".md"))::iterator) {
                Matcher m = HEADING.matcher(Files.readString(p, StandardCharsets.UTF_8));
                while (m.find()) {
                    s.add(m.group(1));
                }
            }
        }
        return s;
    }

    private static List<Path> sources() throws IOException {
        List<Path> out = new ArrayList<>();
        for (String dir : List.of("src", "notebooks", "scripts", "tests", "bench", "docs")) {
            Path d = ROOT.resolve(dir);
            if (!Files.isDirectory(d)) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(d)) {
                walk.filter(Files::isRegularFile)
                        .filter(p -> p.toString().matches(".*\\.(java|ipynb|py|md|txt|sh)$") || !p.getFileName().toString().contains("."))
                        .filter(p -> !p.toString().contains("/target/") && !p.toString().contains("/.ipynb_checkpoints/"))
                        .filter(p -> !p.toString().endsWith("_reference.txt"))
                        .forEach(out::add);
            }
        }
        out.add(ROOT.resolve("README.md"));
        return out;
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void theoryPagesHaveTheSectionsTheIndexPromises() throws IOException {
        Set<String> s = sections();
        for (int i = 1; i <= 8; i++) {
            assertTrue(s.contains(Integer.toString(i)), "docs/theory has no heading §" + i + ": " + s);
        }
        assertTrue(s.contains("3.2") && s.contains("5.2") && s.contains("8.3"), s.toString());
    }

    @Test
    void everyCitationNamesAnExistingSection() throws IOException {
        Set<String> sections = sections();
        List<String> broken = new ArrayList<>();
        int citations = 0;
        for (Path p : sources()) {
            String text = read(p);
            String rel = ROOT.relativize(p).toString();
            Matcher m = CITATION.matcher(text);
            while (m.find()) {
                citations++;
                List<String> cited = new ArrayList<>(List.of(m.group(1)));
                Matcher c = CHAINED.matcher(m.group(2));
                while (c.find()) {
                    cited.add(c.group(1));
                }
                for (String s : cited) {
                    if (!sections.contains(s)) {
                        broken.add(rel + ": '" + m.group() + "' (no heading §" + s + ")");
                    }
                }
            }
            if (rel.startsWith("docs/theory/")) {
                Matcher b = BARE.matcher(text);
                while (b.find()) {
                    if (!sections.contains(b.group(1))) {
                        broken.add(rel + ": '§" + b.group(1) + "' (no heading)");
                    }
                }
            }
        }
        assertTrue(citations > 100, "only " + citations + " citations found: is the scan looking in the right place?");
        assertTrue(broken.isEmpty(), broken.size() + " citations lead nowhere:\n  " + String.join("\n  ", broken));
    }

    @Test
    void noCitationOfADocumentOutsideTheRepository() throws IOException {
        List<String> left = new ArrayList<>();
        for (Path p : sources()) {
            if (p.endsWith("TheoryCitationsTest.java")) {
                continue;
            }
            String text = read(p);
            int i = text.indexOf("SPEC §");
            if (i >= 0 || text.contains("SPEC.md")) {
                left.add(ROOT.relativize(p).toString());
            }
        }
        assertTrue(left.isEmpty(), "files still citing SPEC instead of docs/theory: " + left);
    }

    @Test
    void theHeadingPatternFindsSectionsAndRejectsTheRest() {
        assertTrue(HEADING.matcher("## §3.2 The rank-one construction").find());
        assertFalse(HEADING.matcher("see §3.2 below").find());
        Matcher m = CITATION.matcher("(theory §5, §8.4 [C])");
        assertTrue(m.find());
        assertEquals("5", m.group(1));
        assertEquals(", §8.4", m.group(2));
    }
}
