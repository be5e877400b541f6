package org.promptlimits.notebook;

import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.promptlimits.check.Check;
import org.promptlimits.check.CheckTable;
import org.promptlimits.check.Machine;
import org.promptlimits.check.MeasurementTable;
import org.promptlimits.check.Relation;
import tech.tablesaw.api.Table;

import java.awt.image.BufferedImage;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.*;

class DisplayTest {

    private static final MIMEType PNG = MIMEType.parse("image/png");

    private static XYChart chart() {
        XYChart chart = new XYChartBuilder().width(320).height(200).title("t").build();
        chart.addSeries("s", new double[] {1, 2, 3}, new double[] {1, 4, 9});
        return chart;
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
        DisplayData dd = Display.render(t);
        assertEquals(t.toHtml(), dd.getData(MIMEType.TEXT_HTML));
        assertEquals(t.toString(), dd.getData(MIMEType.TEXT_PLAIN));
    }

    @Test
    void measurementTableRendersWithItsMachine() {
        MeasurementTable m = MeasurementTable.of("times", "theory §7.4", new Machine("Test CPU", 2, "17"))
                .with("T1", "speed-up", 2.5, "×", "median of 3");
        DisplayData dd = Display.render(m);
        assertEquals(m.toHtml(), dd.getData(MIMEType.TEXT_HTML));
        assertTrue(((String) dd.getData(MIMEType.TEXT_HTML)).contains("Test CPU"));
        assertEquals(m.toString(), dd.getData(MIMEType.TEXT_PLAIN));
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
        DisplayData dd = Display.render(table);
        assertEquals(3, ((String) dd.getData(MIMEType.TEXT_HTML)).split("<tr>").length - 1); // header + two rows
        assertTrue(((String) dd.getData(MIMEType.TEXT_PLAIN)).contains("holds"));
    }

    @Test
    void chartsAndImagesRenderAsPngWithText() {
        DisplayData chart = Display.render(chart());
        assertTrue(chart.hasDataForType(PNG));
        assertEquals("chart: t", chart.getData(MIMEType.TEXT_PLAIN));
        DisplayData image = Display.render(Plots.png(chart()));
        byte[] png = Base64.getDecoder().decode((String) image.getData(PNG));
        assertEquals('P', png[1]);
        assertEquals("image 320x200", image.getData(MIMEType.TEXT_PLAIN));
    }

    @Test
    void anyOtherValueIsText() {
        assertEquals("2", Display.render(2).getData(MIMEType.TEXT_PLAIN));
        assertEquals("null", Display.render(null).getData(MIMEType.TEXT_PLAIN));
    }

    @Test
    void givenDisplayDataGetsATextAlternative() {
        DisplayData html = new DisplayData();
        html.putHTML("<b>x</b>");
        DisplayData shown = Display.render(html);
        assertEquals("<b>x</b>", shown.getData(MIMEType.TEXT_HTML));
        assertNotNull(shown.getData(MIMEType.TEXT_PLAIN));
    }

    /** A chart of 64000 × 64000 pixels filled the heap (OutOfMemoryError) before anything was drawn. */
    @Test
    void chartsLargerThanTheBudgetAreRefusedBeforeTheImageIsAllocated() {
        XYChart huge = new XYChartBuilder().width(64_000).height(64_000).build();
        for (org.junit.jupiter.api.function.Executable draw : new org.junit.jupiter.api.function.Executable[] {
                () -> Plots.png(huge), () -> Plots.pngBase64(huge)}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, draw);
            assertTrue(e.getMessage().startsWith("chart image (64000x64000 pixels, 4 bytes each) needs")
                    && e.getMessage().endsWith("; lower the chart's width or height, or give the JVM more heap (-Xmx)"),
                    e.getMessage());
        }
        assertEquals("chart (null) must not be null",
                assertThrows(IllegalArgumentException.class, () -> Plots.pngBase64(null)).getMessage());
    }

    /** Tables.of(null) and Tables.html(null) threw NullPointerExceptions naming Tablesaw's internals. */
    @Test
    void tablesRefuseNullByName() {
        assertEquals("checks (null) must not be null",
                assertThrows(IllegalArgumentException.class, () -> Tables.of(null)).getMessage());
        assertEquals("table (null) must not be null",
                assertThrows(IllegalArgumentException.class, () -> Tables.html(null)).getMessage());
    }

    /** An array shown with display(x) or as a cell's result read "[D@5e1b5ec5", its JVM identity. */
    @Test
    void arraysShowTheirEntries() {
        assertEquals("[0.5, 2.0]", Display.render(new double[] {0.5, 2}).getData(MIMEType.TEXT_PLAIN));
        assertEquals("[[1, 0], [0, 1]]", Display.render(new int[][] {{1, 0}, {0, 1}}).getData(MIMEType.TEXT_PLAIN));
        assertEquals("[a, null]", Display.render(new String[] {"a", null}).getData(MIMEType.TEXT_PLAIN));
        assertEquals("[]", Display.render(new long[0]).getData(MIMEType.TEXT_PLAIN));
        assertEquals("null", Display.render(null).getData(MIMEType.TEXT_PLAIN));
    }
}
