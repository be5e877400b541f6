package org.promptlimits.check;

import java.util.ArrayList;
import java.util.List;

/**
 * Measurements of this machine (times, speed-ups, fitted growth exponents), kept apart from check tables.
 *
 * <p>A time proves nothing about a theorem: it depends on the machine, its load and the JDK. So a
 * measurement never appears in a {@link CheckTable}, never passes or fails, and is always shown with the
 * {@link Machine} it was taken on. Growth is reported as a fitted slope with its 95% confidence interval
 * ({@link Fit}), e.g. the exponent of n in the time of exact attention, rather than as a single ratio.
 *
 * <p>A measurement may say which result it illustrates ({@code about}), but never with the tag {@code [P]}:
 * a stopwatch is not a check of the paper's inequality.
 */
public final class MeasurementTable {

    /**
     * One measured value.
     *
     * @param id       short identifier, e.g. "T1"
     * @param quantity what was measured, e.g. "speed-up of the polynomial method at n = 8192"
     * @param value    the value
     * @param unit     its unit ("s", "×", "ms", or "" for a pure number)
     * @param method   how: repetitions, warm-up, statistic (median, fastest)
     */
    public record Measurement(String id, String quantity, double value, String unit, String method) {
        public Measurement {
            Require.that(id != null && !id.isBlank(), "id (" + id + ") must be a non-blank string");
            Require.notNull("quantity", quantity);
            Require.finite("value", value);
            Require.notNull("unit", unit);
            Require.notNull("method", method);
        }
    }

    /**
     * A fitted slope with its confidence interval.
     *
     * @param id       short identifier, e.g. "T2"
     * @param quantity what the slope means, e.g. "exponent of n in the time of exact attention (log-log)"
     * @param fit      the fit
     * @param method   the points: sizes, repetitions, statistic
     */
    public record Slope(String id, String quantity, Fit fit, String method) {
        public Slope {
            Require.that(id != null && !id.isBlank(), "id (" + id + ") must be a non-blank string");
            Require.notNull("quantity", quantity);
            Require.notNull("fit", fit);
            Require.notNull("method", method);
        }
    }

    private final String title;
    private final String about;
    private final Machine machine;
    private final List<Measurement> values;
    private final List<Slope> slopes;

    private MeasurementTable(String title, String about, Machine machine, List<Measurement> values, List<Slope> slopes) {
        this.title = Require.notNull("title", title);
        this.about = Require.notNull("about", about);
        Require.that(!about.contains("[P]"), "about (" + about + ") must not carry [P]: a measurement of this machine"
                + " is never a check of the paper's inequality");
        this.machine = Require.notNull("machine", machine);
        this.values = List.copyOf(values);
        this.slopes = List.copyOf(slopes);
    }

    /** An empty table titled {@code title}, illustrating {@code about} (e.g. "theory §7.3"), on this machine. */
    public static MeasurementTable of(String title, String about) {
        return new MeasurementTable(title, about, Machine.current(), List.of(), List.of());
    }

    /** An empty table measured on {@code machine}. */
    public static MeasurementTable of(String title, String about, Machine machine) {
        return new MeasurementTable(title, about, machine, List.of(), List.of());
    }

    /** A new table with one more measured value. */
    public MeasurementTable with(String id, String quantity, double value, String unit, String method) {
        List<Measurement> v = new ArrayList<>(values);
        v.add(new Measurement(id, quantity, value, unit, method));
        return new MeasurementTable(title, about, machine, v, slopes);
    }

    /** A new table with one more fitted slope. */
    public MeasurementTable withSlope(String id, String quantity, Fit fit, String method) {
        List<Slope> s = new ArrayList<>(slopes);
        s.add(new Slope(id, quantity, fit, method));
        return new MeasurementTable(title, about, machine, values, s);
    }

    public String title() {
        return title;
    }

    public String about() {
        return about;
    }

    public Machine machine() {
        return machine;
    }

    public List<Measurement> values() {
        return values;
    }

    public List<Slope> slopes() {
        return slopes;
    }

    private static final String[] HEADERS = {"id", "quantity", "value", "95% CI", "how measured"};

    private List<String[]> rows() {
        List<String[]> rows = new ArrayList<>();
        for (Measurement m : values) {
            rows.add(new String[] {m.id(), m.quantity(), Format.number(m.value()) + (m.unit().isEmpty() ? "" : " " + m.unit()),
                    "—", m.method()});
        }
        for (Slope s : slopes) {
            rows.add(new String[] {s.id(), s.quantity(), Format.number(s.fit().slope()),
                    Format.number(s.fit().low()) + " … " + Format.number(s.fit().high()),
                    s.method() + " (" + s.fit().points() + " points)"});
        }
        return rows;
    }

    /** The caption line: title, what it illustrates and the machine. */
    public String caption() {
        return title + " — measurements of this machine, not checks (" + about + "; " + machine + ")";
    }

    /** Aligned plain text: caption, header, one row per value and per slope. */
    @Override
    public String toString() {
        List<String[]> rows = rows();
        rows.add(0, HEADERS);
        int[] width = new int[HEADERS.length];
        for (String[] r : rows) {
            for (int j = 0; j < r.length; j++) {
                width[j] = Math.max(width[j], r[j].length());
            }
        }
        StringBuilder sb = new StringBuilder(caption());
        for (String[] r : rows) {
            sb.append('\n');
            for (int j = 0; j < r.length; j++) {
                sb.append(j == 0 ? "" : "  ").append(r[j]).append(" ".repeat(width[j] - r[j].length()));
            }
            while (sb.charAt(sb.length() - 1) == ' ') {
                sb.setLength(sb.length() - 1);
            }
        }
        return sb.toString();
    }

    /** An HTML fragment with {@code class="promptlimits-measurements"}: no verdict column, the machine in the caption. */
    public String toHtml() {
        StringBuilder sb = new StringBuilder("<table class=\"promptlimits-measurements\">");
        sb.append("<caption style=\"text-align:left;font-weight:bold\">").append(CheckTable.escape(caption())).append("</caption><thead><tr>");
        for (String h : HEADERS) {
            sb.append("<th style=\"text-align:left\">").append(CheckTable.escape(h)).append("</th>");
        }
        sb.append("</tr></thead><tbody>");
        for (String[] r : rows()) {
            sb.append("<tr>");
            for (String cell : r) {
                sb.append("<td style=\"text-align:left\">").append(CheckTable.escape(cell)).append("</td>");
            }
            sb.append("</tr>");
        }
        return sb.append("</tbody></table>").toString();
    }
}
