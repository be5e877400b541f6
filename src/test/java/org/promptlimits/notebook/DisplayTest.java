package org.promptlimits.notebook;

import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.promptlimits.check.Check;
import org.promptlimits.check.CheckTable;
import org.promptlimits.check.Machine;
import org.promptlimits.check.MeasurementTable;
import org.promptlimits.check.Relation;
import org.rapaio.jupyter.kernel.display.DisplayData;
import org.rapaio.jupyter.kernel.display.DisplayRenderer;
import tech.tablesaw.api.Table;

import java.awt.image.BufferedImage;
import java.util.Base64;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.*;

class DisplayTest {

    private static XYChart chart() {
        XYChart chart = new XYChartBuilder().width(320).height(200).title("t").build();
        chart.addSeries("s", new double[] {1, 2, 3}, new double[] {1, 4, 9});
        return chart;
    }

    private static DisplayData render(Object o) {
        for (DisplayRenderer r : new PromptLimitsDisplay().getDisplayRenderers()) {
            if (r.rendererClass().isInstance(o) && r.canRender(null)) {
                return r.render(null, o);
            }
        }
        return fail("no renderer for " + o.getClass());
    }

    @Test
    void chartRendersHeadlessAtItsSize() {
        BufferedImage image = Plots.png(chart());
        assertEquals(320, image.getWidth());
        assertEquals(200, image.getHeight());
        byte[] png = Base64.getDecoder().decode(Plots.pngBase64(chart()));
        assertEquals((byte) 0x89, png[0]);
        assertEquals('P', png[1]);
    }

    @Test
    void checkTableRendersAsHtmlWithTextAlternative() {
        CheckTable t = CheckTable.of("t", Check.of("A", "c", "s", 1, Relation.AT_MOST, 2, "m"));
        DisplayData dd = render(t);
        assertEquals(t.toHtml(), dd.data().get("text/html"));
        assertEquals(t.toString(), dd.data().get("text/plain"));
    }

    @Test
    void measurementTableRendersWithItsMachine() {
        MeasurementTable m = MeasurementTable.of("times", "theory §7.4", new Machine("Test CPU", 2, "17"))
                .with("T1", "speed-up", 2.5, "×", "median of 3");
        DisplayData dd = render(m);
        assertEquals(m.toHtml(), dd.data().get("text/html"));
        assertTrue(((String) dd.data().get("text/html")).contains("Test CPU"));
    }

    @Test
    void tablesawTableShowsKindAndCertification() {
        Table table = Tables.of(CheckTable.of("t", Check.of("A", "c", "s", 1, Relation.AT_MOST, 2, "m"),
                Check.fact("F", "count", "s [C]", 3, 3, "m")));
        assertEquals("check", table.stringColumn("kind").get(0));
        assertEquals("construction fact", table.stringColumn("kind").get(1));
        assertEquals("false", table.booleanColumn("certified").getString(0));
    }

    @Test
    void tablesawTableRendersEveryRowAsHtml() {
        Table table = Tables.of(CheckTable.of("t", Check.of("A", "c", "s", 1, Relation.AT_MOST, 2, "m"),
                Check.of("B", "c", "s", 3, Relation.AT_MOST, 2, "m")));
        assertEquals(2, table.rowCount());
        assertEquals("false", table.booleanColumn("holds").getString(1));
        String html = (String) render(table).data().get("text/html");
        assertEquals(3, html.split("<tr>").length - 1); // header + two rows
    }

    @Test
    void displayIdShowsNothingButOtherStringsShow() {
        assertEquals("", render(UUID.randomUUID().toString()).data().get("text/plain"));
        assertEquals("hello", render("hello").data().get("text/plain"));
    }

    @Test
    void chartRendersAsPng() {
        assertTrue(render(chart()).data().containsKey("image/png"));
    }
}
