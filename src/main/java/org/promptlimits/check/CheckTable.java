package org.promptlimits.check;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A titled list of {@link Check}s, as a notebook shows them.
 *
 * <p>Renders as aligned text ({@link #toString()}) and as HTML ({@link #toHtml()}); the notebook
 * package also turns it into a Tablesaw table. {@link #assertAllHold()} throws, naming every failed
 * check, so a notebook cell ending in {@code table.assertAllHold()} fails a headless run when a
 * theorem's inequality does not hold.
 */
public final class CheckTable {

    private final String title;
    private final List<Check> checks;

    private CheckTable(String title, List<Check> checks) {
        this.title = Require.notNull("title", title);
        Require.notNull("checks", checks);
        for (int i = 0; i < checks.size(); i++) {
            Require.notNull("checks[" + i + "]", checks.get(i));
        }
        this.checks = List.copyOf(checks);
    }

    /** A table titled {@code title} holding {@code checks} in order. Neither is modified. */
    public static CheckTable of(String title, List<Check> checks) {
        return new CheckTable(title, checks);
    }

    /** A table titled {@code title} holding {@code checks} in order. */
    public static CheckTable of(String title, Check... checks) {
        return new CheckTable(title, List.of(checks));
    }

    /** A new table with the checks of this one followed by those of {@code other}; the title is this one's. */
    public CheckTable plus(CheckTable other) {
        List<Check> all = new ArrayList<>(checks);
        all.addAll(other.checks);
        return new CheckTable(title, all);
    }

    public String title() {
        return title;
    }

    /** The checks, unmodifiable. */
    public List<Check> checks() {
        return checks;
    }

    /** The checks that do not hold, in order. */
    public List<Check> failures() {
        return checks.stream().filter(c -> !c.holds()).collect(Collectors.toList());
    }

    /** True when the table is non-empty and every check holds. An empty table proves nothing and does not hold. */
    public boolean allHold() {
        return !checks.isEmpty() && failures().isEmpty();
    }

    /**
     * Returns this table if every check holds; otherwise throws.
     *
     * @throws IllegalStateException naming each failed check with its measured value and bound, or saying
     *                               that the table is empty
     */
    public CheckTable assertAllHold() {
        if (checks.isEmpty()) {
            throw new IllegalStateException("check table '" + title + "' is empty: it proves nothing");
        }
        List<Check> failed = failures();
        if (!failed.isEmpty()) {
            String list = failed.stream().map(Check::toString).collect(Collectors.joining("\n  "));
            throw new IllegalStateException(failed.size() + " of " + checks.size() + " checks failed in '"
                    + title + "':\n  " + list);
        }
        return this;
    }

    private static final String[] HEADERS = {"", "id", "claim", "measured", "rel", "bound", "source", "how measured"};

    private String[] row(Check c) {
        return new String[] {c.holds() ? "✓" : "✗", c.id(), c.claim(), Format.number(c.measured()),
                c.relation().symbol(), Format.number(c.bound()), c.spec(), c.method()};
    }

    /** The table as aligned plain text: a title line, a header, one row per check, a summary line. */
    @Override
    public String toString() {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADERS);
        checks.forEach(c -> rows.add(row(c)));
        int[] width = new int[HEADERS.length];
        for (String[] r : rows) {
            for (int j = 0; j < r.length; j++) {
                width[j] = Math.max(width[j], r[j].length());
            }
        }
        StringBuilder sb = new StringBuilder(title).append('\n');
        for (String[] r : rows) {
            for (int j = 0; j < r.length; j++) {
                sb.append(j == 0 ? "" : "  ").append(pad(r[j], width[j]));
            }
            sb.setLength(sb.length() - trailingSpaces(sb));
            sb.append('\n');
        }
        return sb.append(summary()).toString();
    }

    /** "5 of 5 checks hold" or "1 of 5 checks FAILED: B3". */
    public String summary() {
        List<Check> failed = failures();
        if (checks.isEmpty()) {
            return "no checks (an empty table proves nothing)";
        }
        if (failed.isEmpty()) {
            return checks.size() + " of " + checks.size() + " checks hold";
        }
        return failed.size() + " of " + checks.size() + " checks FAILED: "
                + failed.stream().map(Check::id).collect(Collectors.joining(", "));
    }

    /**
     * The table as an HTML fragment. Each row carries {@code data-holds="true|false"} and the table
     * {@code class="promptlimits-checks"}, so a browser test can read the verdicts without parsing text.
     */
    public String toHtml() {
        StringBuilder sb = new StringBuilder();
        sb.append("<table class=\"promptlimits-checks\" data-all-hold=\"").append(allHold()).append("\">");
        sb.append("<caption style=\"text-align:left;font-weight:bold\">").append(escape(title)).append("</caption>");
        sb.append("<thead><tr>");
        for (String h : HEADERS) {
            sb.append("<th style=\"text-align:left\">").append(escape(h)).append("</th>");
        }
        sb.append("</tr></thead><tbody>");
        for (Check c : checks) {
            String[] r = row(c);
            sb.append("<tr data-holds=\"").append(c.holds()).append("\" style=\"color:")
                    .append(c.holds() ? "#1a7f37" : "#cf222e").append("\">");
            for (String cell : r) {
                sb.append("<td style=\"text-align:left\">").append(escape(cell)).append("</td>");
            }
            sb.append("</tr>");
        }
        sb.append("</tbody></table><p class=\"promptlimits-summary\">").append(escape(summary())).append("</p>");
        return sb.toString();
    }

    private static String pad(String s, int w) {
        return s + " ".repeat(w - s.length());
    }

    private static int trailingSpaces(StringBuilder sb) {
        int n = 0;
        while (n < sb.length() && sb.charAt(sb.length() - 1 - n) == ' ') {
            n++;
        }
        return n;
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
