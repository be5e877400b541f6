package org.promptlimits.verify;

import org.promptlimits.check.Check;
import org.promptlimits.check.CheckTable;
import org.promptlimits.check.Format;
import org.promptlimits.check.Require;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The outcome of a {@code verify} run: per result its check tables (or the error that stopped its construction)
 * and the time it took, rendered as aligned text, JSON or Markdown. Counts are of check rows; a result whose
 * construction threw counts as one failed row.
 */
public final class Report {

    /**
     * One result's outcome.
     *
     * @param result  the result that ran
     * @param tables  its check tables, empty when {@code error} is set
     * @param error   the exception its construction threw, or null
     * @param seconds wall-clock time of the run
     * @param cpuSeconds CPU time of the whole JVM during the run (all threads, JIT and GC included), or NaN when
     *                the JVM does not report it; on a loaded machine it is a steadier measure than wall time
     */
    public record Outcome(Result result, List<CheckTable> tables, Throwable error, double seconds, double cpuSeconds) {

        public Outcome {
            tables = Require.noNullElements("tables", tables);
        }

        /** Rows of kind check that hold (construction facts are not counted as checks). */
        public int passed() {
            return (int) tables.stream().flatMap(t -> t.checkRows().stream()).filter(Check::holds).count();
        }

        /** Rows that fail (a failed construction fact too), plus one when the construction threw or a table is empty. */
        public int failed() {
            int empty = (int) tables.stream().filter(t -> t.checks().isEmpty()).count();
            return tables.stream().mapToInt(t -> t.failures().size()).sum() + empty + (error == null ? 0 : 1);
        }
    }

    private final List<Outcome> outcomes = new ArrayList<>();
    private final boolean quick;

    Report(boolean quick) {
        this.quick = quick;
    }

    void add(Outcome o) {
        outcomes.add(o);
    }

    public List<Outcome> outcomes() {
        return List.copyOf(outcomes);
    }

    public int passed() {
        return outcomes.stream().mapToInt(Outcome::passed).sum();
    }

    public int failed() {
        return outcomes.stream().mapToInt(Outcome::failed).sum();
    }

    /** The closing line: {@code N passed, M failed}. */
    public String summary() {
        return passed() + " passed, " + failed() + " failed";
    }

    /** One result as aligned text: a heading, each table, and for each failed row its id, measured value and bound. */
    static String text(Outcome o) {
        StringBuilder sb = new StringBuilder();
        sb.append("== ").append(o.result().id()).append(" · ").append(o.result().title()).append(" (")
                .append(o.result().notebook()).append(", ").append(seconds(o.seconds())).append(cpu(o)).append(")\n");
        if (o.error() != null) {
            sb.append("FAILED: the construction threw ").append(o.error()).append('\n');
        }
        for (CheckTable t : o.tables()) {
            sb.append('\n').append(t).append('\n');
            for (Check c : t.failures()) {
                sb.append("FAILED: '").append(t.title()).append("' row ").append(c.id()).append(": measured ")
                        .append(Format.number(c.measured())).append(", required ").append(c.relation().symbol())
                        .append(' ').append(Format.number(c.bound())).append(" (").append(c.claim()).append(")\n");
            }
        }
        return sb.toString();
    }

    /** The whole report as JSON: every result, table and row, with the totals. */
    public String json() {
        StringBuilder sb = new StringBuilder("{\n  \"quick\": ").append(quick)
                .append(",\n  \"java\": ").append(str(System.getProperty("java.version")))
                .append(",\n  \"passed\": ").append(passed())
                .append(",\n  \"failed\": ").append(failed())
                .append(",\n  \"results\": [");
        for (int r = 0; r < outcomes.size(); r++) {
            Outcome o = outcomes.get(r);
            sb.append(r == 0 ? "\n" : ",\n").append("    {\"id\": ").append(str(o.result().id()))
                    .append(", \"title\": ").append(str(o.result().title()))
                    .append(", \"notebook\": ").append(str(o.result().notebook()))
                    .append(", \"seconds\": ").append(Math.round(o.seconds() * 1000) / 1000.0)
                    .append(", \"cpuSeconds\": ").append(Double.isNaN(o.cpuSeconds()) ? "null"
                            : String.valueOf(Math.round(o.cpuSeconds() * 1000) / 1000.0))
                    .append(", \"passed\": ").append(o.passed())
                    .append(", \"failed\": ").append(o.failed())
                    .append(", \"error\": ").append(o.error() == null ? "null" : str(o.error().toString()))
                    .append(",\n     \"tables\": [");
            for (int t = 0; t < o.tables().size(); t++) {
                CheckTable table = o.tables().get(t);
                sb.append(t == 0 ? "\n" : ",\n").append("      {\"title\": ").append(str(table.title()))
                        .append(", \"allHold\": ").append(table.allHold()).append(", \"checks\": [");
                for (int c = 0; c < table.checks().size(); c++) {
                    Check k = table.checks().get(c);
                    sb.append(c == 0 ? "\n" : ",\n").append("        {\"id\": ").append(str(k.id()))
                            .append(", \"holds\": ").append(k.holds())
                            .append(", \"kind\": ").append(str(k.kind().label()))
                            .append(", \"certified\": ").append(k.certified())
                            .append(", \"claim\": ").append(str(k.claim()))
                            .append(", \"measured\": ").append(str(k.measured().toString()))
                            .append(", \"relation\": ").append(str(k.relation().symbol()))
                            .append(", \"bound\": ").append(str(k.bound().toString()))
                            .append(", \"source\": ").append(str(k.spec()))
                            .append(", \"method\": ").append(str(k.method())).append('}');
                }
                sb.append("]}");
            }
            sb.append("]}");
        }
        return sb.append("\n  ]\n}\n").toString();
    }

    /** The whole report as Markdown: one section per result, one table per check table, the totals last. */
    public String markdown() {
        StringBuilder sb = new StringBuilder("# Theorem checks\n\n");
        sb.append("`verify").append(quick ? " --quick" : "").append("` on Java ")
                .append(System.getProperty("java.version")).append(": **").append(summary()).append("**.\n\n");
        sb.append("| result | checks | passed | failed | time (CPU) |\n|---|---|---|---|---|\n");
        for (Outcome o : outcomes) {
            sb.append("| ").append(cell(o.result().id() + " · " + o.result().title())).append(" | ")
                    .append(o.passed() + o.failed()).append(" | ").append(o.passed()).append(" | ").append(o.failed())
                    .append(" | ").append(seconds(o.seconds())).append(cpu(o)).append(" |\n");
        }
        for (Outcome o : outcomes) {
            sb.append("\n## ").append(o.result().id()).append(" · ").append(cell(o.result().title())).append("\n\n")
                    .append("Notebook: `").append(o.result().notebook()).append("`, ").append(seconds(o.seconds()))
                    .append(".\n");
            if (o.error() != null) {
                sb.append("\n**The construction failed:** `").append(o.error().toString().replace('`', '\'')).append("`\n");
            }
            for (CheckTable t : o.tables()) {
                sb.append("\n**").append(cell(t.title())).append("** — ").append(t.summary()).append("\n\n")
                        .append("| | id | kind | claim | measured | rel | bound | certified | source | how measured |\n")
                        .append("|---|---|---|---|---|---|---|---|---|---|\n");
                for (Check c : t.checks()) {
                    sb.append("| ").append(c.holds() ? "✓" : "✗ FAILED").append(" | ").append(cell(c.id()))
                            .append(" | ").append(c.kind().label())
                            .append(" | ").append(cell(c.claim())).append(" | ").append(Format.number(c.measured()))
                            .append(" | ").append(cell(c.relation().symbol())).append(" | ")
                            .append(Format.number(c.bound())).append(" | ").append(c.certified() ? "yes" : "no")
                            .append(" | ").append(cell(c.spec())).append(" | ")
                            .append(cell(c.method())).append(" |\n");
                }
            }
        }
        return sb.append("\n").append(summary()).append('\n').toString();
    }

    private static String cpu(Outcome o) {
        return Double.isNaN(o.cpuSeconds()) ? "" : " wall, " + seconds(o.cpuSeconds()) + " CPU";
    }

    static String seconds(double s) {
        return String.format(Locale.ROOT, "%.1f s", s);
    }

    private static String cell(String s) {
        return s.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String str(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (ch < 0x20) {
                        sb.append(String.format("\\u%04x", (int) ch));
                    } else {
                        sb.append(ch);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
