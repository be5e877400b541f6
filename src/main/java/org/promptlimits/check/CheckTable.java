package org.promptlimits.check;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A titled list of {@link Check} rows, as a notebook shows them.
 *
 * <p>Rows of kind {@link Check.Kind#CHECK} come first; {@linkplain Check.Kind#CONSTRUCTION_FACT construction
 * facts} are shown in their own section below them and never counted in "N of N checks hold". Every row
 * shows whether it is certified (decided by a rigorous enclosure) and the enclosure's width.
 *
 * <p>Renders as aligned text ({@link #toString()}) and as HTML ({@link #toHtml()}); the notebook
 * package also turns it into a Tablesaw table. {@link #assertAllHold()} throws, naming every failed
 * row (a fact that does not hold is a bug and fails too), so a notebook cell ending in
 * {@code table.assertAllHold()} fails a headless run when a theorem's inequality does not hold.
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
        return new CheckTable(title, Arrays.asList(Require.notNull("checks", checks)));
    }

    /** A new table with the checks of this one followed by those of {@code other}; the title is this one's. */
    public CheckTable plus(CheckTable other) {
        Require.notNull("other", other);
        List<Check> all = new ArrayList<>(checks);
        all.addAll(other.checks);
        return new CheckTable(title, all);
    }

    public String title() {
        return title;
    }

    /** Every row (checks and construction facts), in the order given, unmodifiable. */
    public List<Check> checks() {
        return checks;
    }

    /** The rows of kind {@link Check.Kind#CHECK}, in order: those counted in {@link #summary()}. */
    public List<Check> checkRows() {
        return checks.stream().filter(Check::isCheck).collect(Collectors.toUnmodifiableList());
    }

    /** The construction facts, in order: shown apart, never counted as checks. */
    public List<Check> facts() {
        return checks.stream().filter(c -> !c.isCheck()).collect(Collectors.toUnmodifiableList());
    }

    /** The rows (checks or facts) that do not hold, in order. */
    public List<Check> failures() {
        return checks.stream().filter(c -> !c.holds()).collect(Collectors.toList());
    }

    /** True when the table is non-empty and every row holds. An empty table proves nothing and does not hold. */
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
            throw new IllegalStateException(failed.size() + " of " + checks.size() + " rows failed in '"
                    + title + "':\n  " + list);
        }
        return this;
    }

    private static final String[] HEADERS = {"", "id", "claim", "measured", "rel", "bound", "certified", "width",
            "source", "how measured"};

    /** The heading of the construction-facts section. */
    public static final String FACTS_HEADING = "construction facts (hold by definition; not counted as checks)";

    private static String[] row(Check c) {
        String[] shown = Format.pair(c.measured(), c.bound());
        return new String[] {c.holds() ? "✓" : "✗", c.id(), c.claim(), shown[0],
                c.relation().symbol(), shown[1], c.certified() ? "yes" : "no",
                c.certified() ? Format.number(c.enclosure().width()) : "—", c.spec(), c.method()};
    }

    /**
     * The table as aligned plain text: a title line, a header, one row per check, then (if any) the heading
     * of the construction facts and one row per fact, and a summary line.
     */
    @Override
    public String toString() {
        List<Check> facts = facts();
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADERS);
        checkRows().forEach(c -> rows.add(row(c)));
        facts.forEach(c -> rows.add(row(c)));
        int[] width = new int[HEADERS.length];
        for (String[] r : rows) {
            for (int j = 0; j < r.length; j++) {
                width[j] = Math.max(width[j], r[j].length());
            }
        }
        int factStart = rows.size() - facts.size();
        StringBuilder sb = new StringBuilder(title).append('\n');
        for (int i = 0; i < rows.size(); i++) {
            if (i == factStart && !facts.isEmpty()) {
                sb.append(FACTS_HEADING).append('\n');
            }
            String[] r = rows.get(i);
            for (int j = 0; j < r.length; j++) {
                sb.append(j == 0 ? "" : "  ").append(pad(r[j], width[j]));
            }
            sb.setLength(sb.length() - trailingSpaces(sb));
            sb.append('\n');
        }
        return sb.append(summary()).toString();
    }

    /**
     * "5 of 5 checks hold", "1 of 5 checks FAILED: B3", followed by "; 3 construction facts" when there are
     * facts (and "(1 FAILED: S2)" if a fact does not hold). Facts are never counted as checks.
     */
    public String summary() {
        if (checks.isEmpty()) {
            return "no checks (an empty table proves nothing)";
        }
        List<Check> rows = checkRows();
        List<Check> facts = facts();
        List<Check> failed = rows.stream().filter(c -> !c.holds()).collect(Collectors.toList());
        String s;
        if (rows.isEmpty()) {
            s = "no checks";
        } else if (failed.isEmpty()) {
            s = rows.size() + " of " + rows.size() + " checks hold";
        } else {
            s = failed.size() + " of " + rows.size() + " checks FAILED: "
                    + failed.stream().map(Check::id).collect(Collectors.joining(", "));
        }
        if (!facts.isEmpty()) {
            List<Check> badFacts = facts.stream().filter(c -> !c.holds()).collect(Collectors.toList());
            s += "; " + facts.size() + " construction fact" + (facts.size() == 1 ? "" : "s")
                    + (badFacts.isEmpty() ? "" : " (" + badFacts.size() + " FAILED: "
                    + badFacts.stream().map(Check::id).collect(Collectors.joining(", ")) + ")");
        }
        return s;
    }

    /**
     * The table as an HTML fragment. Each row carries {@code data-holds="true|false"} and
     * {@code data-kind="check|fact"}, and the table {@code class="promptlimits-checks"}, so a browser test can
     * read the verdicts without parsing text. Facts follow the checks in their own {@code tbody}.
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
        checkRows().forEach(c -> htmlRow(sb, c));
        sb.append("</tbody>");
        List<Check> facts = facts();
        if (!facts.isEmpty()) {
            sb.append("<tbody class=\"promptlimits-facts\"><tr><th colspan=\"").append(HEADERS.length)
                    .append("\" style=\"text-align:left;font-style:italic\">").append(escape(FACTS_HEADING)).append("</th></tr>");
            facts.forEach(c -> htmlRow(sb, c));
            sb.append("</tbody>");
        }
        sb.append("</table><p class=\"promptlimits-summary\">").append(escape(summary())).append("</p>");
        return sb.toString();
    }

    private static void htmlRow(StringBuilder sb, Check c) {
        sb.append("<tr data-holds=\"").append(c.holds()).append("\" data-kind=\"")
                .append(c.isCheck() ? "check" : "fact").append("\" style=\"color:")
                .append(c.holds() ? (c.isCheck() ? "#1a7f37" : "#57606a") : "#cf222e").append("\">");
        for (String cell : row(c)) {
            sb.append("<td style=\"text-align:left\">").append(escape(cell)).append("</td>");
        }
        sb.append("</tr>");
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
