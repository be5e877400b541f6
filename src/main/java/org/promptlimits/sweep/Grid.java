package org.promptlimits.sweep;

import org.promptlimits.check.Require;
import org.promptlimits.precision.Budget;

import java.io.Serializable;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The points of a sweep, in a fixed order: one record per point, whose components (int, long, double, boolean or
 * String) are the point's parameters and become the first columns of the result table. A grid holds at least one
 * point and no point twice.
 *
 * @param <P> the point record type
 */
public final class Grid<P extends Record> implements Serializable {

    private static final long serialVersionUID = 1L;

    private final Class<P> type;
    private final List<P> points;

    private Grid(Class<P> type, List<P> points) {
        this.type = type;
        this.points = points;
    }

    /**
     * A grid of the given points, in this order.
     *
     * @throws IllegalArgumentException if the list is empty, holds null or the same point twice, or a component
     *                                  has a type other than int, long, double, boolean or String
     */
    @SuppressWarnings("unchecked")
    public static <P extends Record> Grid<P> of(List<P> points) {
        Require.noNullElements("points", points);
        Require.that(!points.isEmpty(), "grid (0 points) must hold at least one point");
        Class<P> type = (Class<P>) points.get(0).getClass();
        columnsOf(type);
        Map<P, Integer> seen = new HashMap<>();
        for (int i = 0; i < points.size(); i++) {
            P p = points.get(i);
            Require.that(p.getClass() == type, "grid point " + i + " is a " + p.getClass().getSimpleName()
                    + ", not a " + type.getSimpleName() + " like point 0");
            Integer before = seen.putIfAbsent(p, i);
            Require.that(before == null, "grid holds the point " + p + " twice (at " + before + " and " + i
                    + "); every point must be distinct");
        }
        return new Grid<>(type, List.copyOf(points));
    }

    /**
     * The Cartesian product of a value list per record component, the first component outermost (so the point
     * order is the nesting order of loops over the components in declaration order).
     *
     * @param values one list per component name of {@code type}; every list non-empty, values of the component's
     *               type (numbers are converted: an Integer 2 serves a double component)
     * @throws IllegalArgumentException if a component has no list, a list is empty, a name is not a component,
     *                                  a value does not fit, or the product has a duplicate point
     */
    public static <P extends Record> Grid<P> product(Class<P> type, Map<String, ? extends List<?>> values) {
        Require.notNull("type", type);
        Require.notNull("values", values);
        Require.that(type.isRecord(), "type " + type.getName() + " must be a record");
        RecordComponent[] comps = type.getRecordComponents();
        List<String> names = Arrays.stream(comps).map(RecordComponent::getName).toList();
        for (String key : values.keySet()) {
            Require.that(names.contains(key), "grid parameter '" + key + "' is not one of " + names);
        }
        BigDecimal product = BigDecimal.ONE;
        StringBuilder how = new StringBuilder();
        for (RecordComponent c : comps) {
            List<?> vs = values.get(c.getName());
            Require.that(vs != null, "grid parameter '" + c.getName() + "' has no values (parameters: " + names + ")");
            Require.that(!vs.isEmpty(), "grid parameter '" + c.getName() + "' (0 values) must hold at least one value");
            product = product.multiply(BigDecimal.valueOf(vs.size()));
            how.append(how.length() == 0 ? "" : " × ").append(vs.size()).append(' ').append(c.getName());
        }
        // the points are built (and later run) one by one: the product is refused before any is
        Budget.require("grid", product, "points", BigDecimal.valueOf(Budget.DEFAULT.maxCells()), "maxCells",
                how.append(" values").toString(), "give fewer values per parameter, or split the sweep into several grids");
        long size = product.longValueExact();
        List<List<Object>> lists = new ArrayList<>();
        for (RecordComponent c : comps) {
            List<Object> converted = new ArrayList<>();
            for (Object v : values.get(c.getName())) {
                converted.add(convert(c.getName(), c.getType(), v));
            }
            lists.add(converted);
        }
        Constructor<P> ctor = canonical(type, comps);
        List<P> points = new ArrayList<>((int) size);
        int[] at = new int[comps.length];
        for (long k = 0; k < size; k++) {
            Object[] args = new Object[comps.length];
            for (int j = 0; j < comps.length; j++) {
                args[j] = lists.get(j).get(at[j]);
            }
            points.add(construct(ctor, args));
            for (int j = comps.length - 1; j >= 0; j--) {
                if (++at[j] < lists.get(j).size()) {
                    break;
                }
                at[j] = 0;
            }
        }
        return of(points);
    }

    /**
     * A product grid from text, one parameter per line: {@code name: v1, v2, …} ({@code =} also separates name and
     * values; {@code #} starts a comment). Every component of {@code type} needs a line; values are parsed as the
     * component's type.
     *
     * @throws IllegalArgumentException naming the line of a value that does not parse, and as {@link #product}
     */
    public static <P extends Record> Grid<P> parse(Class<P> type, String text) {
        Require.notNull("type", type);
        Require.notNull("text", text);
        Require.that(type.isRecord(), "type " + type.getName() + " must be a record");
        Map<String, Class<?>> types = new HashMap<>();
        for (RecordComponent c : type.getRecordComponents()) {
            types.put(c.getName(), c.getType());
        }
        Map<String, List<?>> values = new LinkedHashMap<>();
        // a byte-order mark (editors on Windows write one) would make the first name differ from the component's
        String[] lines = (text.startsWith("\uFEFF") ? text.substring(1) : text).split("\\R");
        for (int ln = 0; ln < lines.length; ln++) {
            String line = lines[ln].replaceFirst("#.*", "").strip();
            if (line.isEmpty()) {
                continue;
            }
            int sep = line.indexOf(':') >= 0 ? line.indexOf(':') : line.indexOf('=');
            Require.that(sep > 0, "grid line " + (ln + 1) + " ('" + line + "') must read 'name: v1, v2, ...'");
            String name = line.substring(0, sep).strip();
            Class<?> t = types.get(name);
            Require.that(t != null, "grid line " + (ln + 1) + ": '" + name + "' is not one of " + types.keySet());
            Require.that(!values.containsKey(name), "grid line " + (ln + 1) + ": '" + name + "' appears twice");
            List<Object> vs = new ArrayList<>();
            for (String raw : line.substring(sep + 1).split(",")) {
                String v = raw.strip();
                Require.that(!v.isEmpty(), "grid line " + (ln + 1) + ": '" + name + "' has an empty value");
                try {
                    vs.add(t == int.class ? (Object) Integer.parseInt(v) : t == long.class ? (Object) Long.parseLong(v)
                            : t == double.class ? (Object) Double.parseDouble(v)
                            : t == boolean.class ? (Object) parseBoolean(v) : v);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("grid line " + (ln + 1) + ": '" + name + "' value '" + v
                            + "' is not " + article(t.getSimpleName()), e);
                }
            }
            values.put(name, vs);
        }
        return product(type, values);
    }

    /** "an int", "a double". */
    private static String article(String type) {
        return ("aeiou".indexOf(type.charAt(0)) >= 0 ? "an " : "a ") + type;
    }

    private static boolean parseBoolean(String v) {
        if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(v);
        }
        throw new NumberFormatException(v);
    }

    /** Number of points. */
    public int size() {
        return points.size();
    }

    /** Point {@code i}, 0-based. */
    public P point(int i) {
        Require.that(i >= 0 && i < points.size(), "point index (" + i + ") must be in [0, " + points.size() + ")");
        return points.get(i);
    }

    /** The points in order (unmodifiable). */
    public List<P> points() {
        return points;
    }

    /** The record type of the points. */
    public Class<P> type() {
        return type;
    }

    /** One column per record component, in declaration order. */
    public List<Column> columns() {
        return columnsOf(type);
    }

    /** The component values of point {@code i}, in declaration order. */
    public Object[] values(int i) {
        return valuesOf(point(i));
    }

    /** The component values of a record, in declaration order. */
    static Object[] valuesOf(Record r) {
        RecordComponent[] comps = r.getClass().getRecordComponents();
        Object[] out = new Object[comps.length];
        for (int j = 0; j < comps.length; j++) {
            try {
                out[j] = comps[j].getAccessor().invoke(r);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("cannot read component " + comps[j].getName() + " of " + r, e);
            }
        }
        return out;
    }

    private static List<Column> columnsOf(Class<? extends Record> type) {
        List<Column> cols = new ArrayList<>();
        for (RecordComponent c : type.getRecordComponents()) {
            cols.add(new Column(c.getName(), Column.Type.of("grid parameter '" + c.getName() + "'", c.getType()), false));
        }
        Require.that(!cols.isEmpty(), "point type " + type.getSimpleName() + " must have at least one component");
        return cols;
    }

    private static Object convert(String name, Class<?> target, Object v) {
        Require.that(v != null, "grid parameter '" + name + "' holds null");
        Column.Type t = Column.Type.of("grid parameter '" + name + "'", target);
        String bad = "grid parameter '" + name + "' value " + v + " (" + v.getClass().getSimpleName()
                + ") must be " + article(t.name().toLowerCase());
        switch (t) {
            case INT, LONG -> {
                Require.that(v instanceof Integer || v instanceof Long, bad);
                long x = ((Number) v).longValue();
                if (t == Column.Type.INT) {
                    Require.that(x == (int) x, bad + " in the int range");
                    return (int) x;
                }
                return x;
            }
            case DOUBLE -> {
                Require.that(v instanceof Number, bad);
                return ((Number) v).doubleValue();
            }
            case BOOLEAN -> {
                Require.that(v instanceof Boolean, bad);
                return v;
            }
            default -> {
                Require.that(v instanceof String, bad);
                return v;
            }
        }
    }

    private static <P extends Record> Constructor<P> canonical(Class<P> type, RecordComponent[] comps) {
        Class<?>[] types = Arrays.stream(comps).map(RecordComponent::getType).toArray(Class<?>[]::new);
        try {
            return type.getDeclaredConstructor(types);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("record " + type.getName() + " has no canonical constructor", e);
        }
    }

    private static <P extends Record> P construct(Constructor<P> ctor, Object[] args) {
        try {
            return ctor.newInstance(args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof IllegalArgumentException iae) {
                throw iae;
            }
            throw new IllegalStateException("cannot build grid point " + Arrays.toString(args), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build grid point " + Arrays.toString(args), e);
        }
    }

    @Override
    public String toString() {
        return "Grid of " + points.size() + " " + type.getSimpleName() + " points";
    }
}
