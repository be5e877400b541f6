package org.promptlimits.notebook;

import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.knowm.xchart.internal.chartpart.Chart;
import org.promptlimits.check.CheckTable;
import org.promptlimits.check.MeasurementTable;
import tech.tablesaw.api.Table;

import java.awt.image.RenderedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Base64;
import java.util.function.Consumer;
import javax.imageio.ImageIO;

/**
 * How the notebook kernel shows values: check tables, measurement tables and Tablesaw tables as HTML, XChart charts and images
 * as PNG, anything else as text. Every bundle carries {@code text/plain} beside its richer type, so consoles,
 * {@code nbconvert --to markdown} and tests that read text see the value too.
 *
 * <p>In a cell, {@code display(x);} shows {@code x} at that point of the cell's output; a cell that ends
 * with a bare expression ({@code table}, no semicolon) shows its value as the cell's result. The kernel
 * imports {@link #display(Object)} statically at start-up.
 */
public final class Display {

    private static volatile Consumer<DisplayData> sink;

    private Display() {
    }

    /** Where {@link #display(Object)} sends its bundles; set by the kernel, null outside a kernel. */
    static void sink(Consumer<DisplayData> target) {
        sink = target;
    }

    /**
     * Shows the value in the running cell's output. Outside the notebook kernel (a plain JVM) it prints the
     * value's text to standard output instead.
     */
    public static void display(Object value) {
        Consumer<DisplayData> target = sink;
        if (target == null) {
            System.out.println(value);
        } else {
            target.accept(render(value));
        }
    }

    /** The MIME bundle for a value: always {@code text/plain}, plus HTML or PNG for the types above. */
    public static DisplayData render(Object value) {
        if (value instanceof DisplayData) {
            DisplayData given = (DisplayData) value;
            DisplayData copy = new DisplayData(given);
            if (!given.hasDataForType(MIMEType.TEXT_PLAIN)) {
                copy.putText("display data");
            }
            return copy;
        }
        DisplayData data = new DisplayData();
        if (value instanceof CheckTable) {
            CheckTable table = (CheckTable) value;
            data.putHTML(table.toHtml());
            data.putText(table.toString());
        } else if (value instanceof MeasurementTable) {
            MeasurementTable table = (MeasurementTable) value;
            data.putHTML(table.toHtml());
            data.putText(table.toString());
        } else if (value instanceof Table) {
            Table table = (Table) value;
            data.putHTML(Tables.html(table));
            data.putText(table.print());
        } else if (value instanceof Chart) {
            Chart<?, ?> chart = (Chart<?, ?>) value;
            data.putData("image/png", Plots.pngBase64(chart));
            data.putText("chart: " + chart.getTitle());
        } else if (value instanceof RenderedImage) {
            RenderedImage image = (RenderedImage) value;
            data.putData("image/png", pngBase64(image));
            data.putText("image " + image.getWidth() + "x" + image.getHeight());
        } else if (value != null && value.getClass().isArray()) {
            data.putText(arrayText(value));
        } else {
            data.putText(String.valueOf(value));
        }
        return data;
    }

    /**
     * An array's entries, {@code [0.1, 0.2]} or {@code [[1.0, 0.0], [0.0, 1.0]]}, where {@code String.valueOf} gives
     * only its JVM identity ({@code [D@5e1b5ec5}).
     */
    static String arrayText(Object array) {
        if (array instanceof Object[] objects) {
            return Arrays.deepToString(objects);
        }
        // a primitive array: wrapped in a one-element Object[] so that deepToString formats it, then unwrapped
        String wrapped = Arrays.deepToString(new Object[] {array});
        return wrapped.substring(1, wrapped.length() - 1);
    }

    static String pngBase64(RenderedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException("could not encode a " + image.getWidth() + "x" + image.getHeight()
                    + " image as PNG", e);
        }
        return Base64.getEncoder().encodeToString(out.toByteArray());
    }
}
