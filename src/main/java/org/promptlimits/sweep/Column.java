package org.promptlimits.sweep;

import org.promptlimits.check.Require;

import java.io.Serializable;

/**
 * One column of a sweep's result table: a name, a value type and whether it holds a timing. Timing columns are
 * measurements of this machine at this moment; {@link SweepTable#withoutTiming} drops them before two runs of a
 * sweep are compared for reproducibility.
 *
 * @param name   column name, unique within a table
 * @param type   the type of every value
 * @param timing whether the column holds wall-clock times
 */
public record Column(String name, Type type, boolean timing) implements Serializable {

    /** The value types a sweep table holds (they map one to one onto Tablesaw and Parquet types). */
    public enum Type {
        INT(Integer.class), LONG(Long.class), DOUBLE(Double.class), BOOLEAN(Boolean.class), STRING(String.class);

        private final Class<?> javaType;

        Type(Class<?> javaType) {
            this.javaType = javaType;
        }

        /** The boxed Java type of the values. */
        public Class<?> javaType() {
            return javaType;
        }

        /** The type of a record component or value class, or an error naming the unsupported class. */
        static Type of(String what, Class<?> c) {
            if (c == int.class || c == Integer.class) {
                return INT;
            }
            if (c == long.class || c == Long.class) {
                return LONG;
            }
            if (c == double.class || c == Double.class) {
                return DOUBLE;
            }
            if (c == boolean.class || c == Boolean.class) {
                return BOOLEAN;
            }
            if (c == String.class) {
                return STRING;
            }
            throw new IllegalArgumentException(what + " has type " + c.getName()
                    + "; sweep columns must be int, long, double, boolean or String");
        }
    }

    public Column {
        Require.notNull("name", name);
        Require.notNull("type", type);
        Require.that(!name.isBlank(), "column name must not be blank");
    }

    public static Column ofInt(String name) {
        return new Column(name, Type.INT, false);
    }

    public static Column ofLong(String name) {
        return new Column(name, Type.LONG, false);
    }

    public static Column ofDouble(String name) {
        return new Column(name, Type.DOUBLE, false);
    }

    public static Column ofBoolean(String name) {
        return new Column(name, Type.BOOLEAN, false);
    }

    public static Column ofString(String name) {
        return new Column(name, Type.STRING, false);
    }

    /** A double column of wall-clock seconds, excluded from reproducibility comparisons. */
    public static Column timing(String name) {
        return new Column(name, Type.DOUBLE, true);
    }

    /** Checks that {@code value} has this column's type, naming the column and the value otherwise. */
    Object check(String sweep, Object value) {
        Require.that(value != null, "sweep " + sweep + " returned null for column '" + name + "'");
        Require.that(type.javaType.isInstance(value), "sweep " + sweep + " returned " + value + " ("
                + value.getClass().getSimpleName() + ") for column '" + name + "' of type " + type);
        return value;
    }
}
