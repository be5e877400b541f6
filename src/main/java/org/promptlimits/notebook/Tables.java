package org.promptlimits.notebook;

import org.promptlimits.check.Check;
import org.promptlimits.check.CheckTable;
import org.promptlimits.check.Format;
import org.promptlimits.check.Require;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/** Tablesaw views of the library's results, and HTML for Tablesaw tables. */
public final class Tables {

    private Tables() {
    }

    /**
     * The check table as a Tablesaw table with columns holds, kind (check or construction fact), id, claim,
     * measured, relation, bound, certified, width (of the certified enclosure, "—" when not certified), source,
     * method. Numbers are formatted as text ({@link Format#number}) since many underflow a double.
     */
    public static Table of(CheckTable checks) {
        Require.notNull("checks", checks);
        Table t = Table.create(checks.title());
        BooleanColumn holds = BooleanColumn.create("holds");
        StringColumn kind = StringColumn.create("kind");
        BooleanColumn certified = BooleanColumn.create("certified");
        StringColumn width = StringColumn.create("width");
        StringColumn id = StringColumn.create("id");
        StringColumn claim = StringColumn.create("claim");
        StringColumn measured = StringColumn.create("measured");
        StringColumn relation = StringColumn.create("relation");
        StringColumn bound = StringColumn.create("bound");
        StringColumn spec = StringColumn.create("source");
        StringColumn method = StringColumn.create("method");
        for (Check c : checks.checks()) {
            holds.append(c.holds());
            kind.append(c.kind().label());
            certified.append(c.certified());
            width.append(c.certified() ? Format.number(c.enclosure().width()) : "—");
            id.append(c.id());
            claim.append(c.claim());
            String[] shown = Format.pair(c.measured(), c.bound());
            measured.append(shown[0]);
            relation.append(c.relation().symbol());
            bound.append(shown[1]);
            spec.append(c.spec());
            method.append(c.method());
        }
        return t.addColumns(holds, kind, id, claim, measured, relation, bound, certified, width, spec, method);
    }

    /** An HTML table of a Tablesaw table: a caption with its name, a header row, and every row. */
    public static String html(Table table) {
        Require.notNull("table", table);
        StringBuilder sb = new StringBuilder("<table class=\"promptlimits-table\">");
        sb.append("<caption style=\"text-align:left;font-weight:bold\">").append(escape(table.name())).append("</caption><thead><tr>");
        for (Column<?> c : table.columns()) {
            sb.append("<th style=\"text-align:right\">").append(escape(c.name())).append("</th>");
        }
        sb.append("</tr></thead><tbody>");
        for (int r = 0; r < table.rowCount(); r++) {
            sb.append("<tr>");
            for (Column<?> c : table.columns()) {
                sb.append("<td style=\"text-align:right\">").append(escape(c.getString(r))).append("</td>");
            }
            sb.append("</tr>");
        }
        return sb.append("</tbody></table>").toString();
    }

    static String escape(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
