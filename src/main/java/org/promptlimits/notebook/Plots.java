package org.promptlimits.notebook;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.promptlimits.check.Require;
import org.promptlimits.precision.Budget;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;

/**
 * Charts turned into pictures that survive GitHub previews and nbviewer.
 *
 * <p>In a notebook, {@code display(Plots.png(chart));} or a cell ending in {@code Plots.png(chart)} shows an
 * XChart chart as an inline PNG under any Java kernel that renders {@link java.awt.image.RenderedImage} (the
 * project's kernel and JJava both do).
 * Rendering needs a headless AWT ({@code -Djava.awt.headless=true}, set by the installed kernel) and
 * at least one font (fontconfig and fonts-dejavu-core on Debian).
 */
public final class Plots {

    private Plots() {
    }

    /** The chart drawn at its own width and height. The chart is not modified. */
    public static BufferedImage png(Chart<?, ?> chart) {
        requireDrawable(chart);
        return BitmapEncoder.getBufferedImage(chart);
    }

    /** The chart as base64-encoded PNG bytes, as a notebook's image/png output holds them. */
    public static String pngBase64(Chart<?, ?> chart) {
        requireDrawable(chart);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("could not encode chart '" + chart.getTitle() + "' as PNG", e);
        }
        return Base64.getEncoder().encodeToString(out.toByteArray());
    }

    /**
     * A chart that can be drawn: not null, a positive size, and an image (4 bytes per pixel) that fits the budget. A
     * typing slip such as {@code width(64000)} used to fill the kernel's heap (OutOfMemoryError) before any message.
     */
    private static void requireDrawable(Chart<?, ?> chart) {
        Require.notNull("chart", chart);
        Require.that(chart.getWidth() > 0 && chart.getHeight() > 0,
                "chart size (" + chart.getWidth() + "x" + chart.getHeight() + ") must be positive");
        Budget.DEFAULT.requireArray("chart image (" + chart.getWidth() + "x" + chart.getHeight() + " pixels, 4 bytes"
                + " each)", Integer.BYTES,
                Budget.orMoreHeap("lower the chart's width or height"), chart.getWidth(), chart.getHeight());
    }
}
