package org.promptlimits.notebook;

import org.knowm.xchart.internal.chartpart.Chart;
import org.promptlimits.check.CheckTable;
import org.promptlimits.check.MeasurementTable;
import org.rapaio.jupyter.kernel.display.DisplayData;
import org.rapaio.jupyter.kernel.display.DisplayRenderer;
import org.rapaio.jupyter.kernel.display.DisplayTransformer;
import org.rapaio.jupyter.kernel.display.spi.DisplayProvider;
import tech.tablesaw.api.Table;

import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * How the rapaio Java kernel shows the library's objects: check tables and Tablesaw tables as HTML (with a
 * plain-text alternative), XChart charts as PNG. Registered through {@code META-INF/services}; the kernel
 * finds it because the installed kernel puts the library on its JVM class path.
 *
 * <p>Notebooks do not depend on it: under another kernel (JJava) the same {@code display(x)} calls show
 * the objects' aligned text, and {@code display(Plots.png(chart))} shows plots under both.
 */
public final class PromptLimitsDisplay implements DisplayProvider {

    @Override
    public List<DisplayRenderer> getDisplayRenderers() {
        return List.of(
                new Renderer<>(CheckTable.class, CheckTable::toHtml, CheckTable::toString),
                new Renderer<>(MeasurementTable.class, MeasurementTable::toHtml, MeasurementTable::toString),
                new Renderer<>(Table.class, Tables::html, Table::print),
                new ChartRenderer(),
                new DisplayIdRenderer());
    }

    @Override
    public List<DisplayTransformer> getDisplayTransformers() {
        return List.of();
    }

    private static boolean textOrHtml(String mime) {
        return mime == null || mime.isBlank() || mime.equals("text/html") || mime.equals("text/plain")
                || mime.equals("html") || mime.equals("text");
    }

    /** Renders one class as HTML plus a text/plain alternative. */
    private record Renderer<T>(Class<T> type, Function<T, String> html, Function<T, String> text)
            implements DisplayRenderer {

        @Override
        public Class<?> rendererClass() {
            return type;
        }

        @Override
        public boolean canRender(String mime) {
            return textOrHtml(mime);
        }

        @Override
        public DisplayData render(String mime, Object o) {
            T value = type.cast(o);
            DisplayData dd = DisplayData.fromHtml(html.apply(value));
            dd.putText(text.apply(value));
            return dd;
        }
    }

    /**
     * Shows nothing for a display id. {@code display(x)} returns the id of the output it created, so a
     * cell ending in {@code display(x);} would otherwise print a random UUID under the picture. Any other
     * string renders as the kernel renders it.
     */
    private static final class DisplayIdRenderer implements DisplayRenderer {

        private static final Pattern UUID = Pattern.compile(
                "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

        @Override
        public Class<?> rendererClass() {
            return String.class;
        }

        @Override
        public boolean canRender(String mime) {
            return mime == null || mime.isBlank();
        }

        @Override
        public DisplayData render(String mime, Object o) {
            String s = (String) o;
            return DisplayData.fromText(UUID.matcher(s).matches() ? "" : s);
        }
    }

    /** Renders XChart charts as inline PNG. */
    private static final class ChartRenderer implements DisplayRenderer {

        @Override
        public Class<?> rendererClass() {
            return Chart.class;
        }

        @Override
        public boolean canRender(String mime) {
            return mime == null || mime.isBlank() || mime.equals("image/png") || mime.equals("png");
        }

        @Override
        public DisplayData render(String mime, Object o) {
            Chart<?, ?> chart = (Chart<?, ?>) o;
            DisplayData dd = DisplayData.withType("image/png", Plots.pngBase64(chart));
            dd.putText("chart: " + chart.getTitle());
            return dd;
        }
    }
}
