package org.promptlimits.sweep;

import org.promptlimits.check.Require;

import java.nio.charset.StandardCharsets;

/**
 * Seeds derived from a root seed and a grid point's values alone, so that a point's result does not depend on
 * the order in which points run, on the executor or on the other points of the grid. The derivation folds the
 * component values (int, long and boolean as integers, double by its IEEE bits, String by its UTF-8 bytes) into
 * the root with the SplitMix64 finaliser; it is fixed, so a seed printed in a table reproduces its point.
 */
public final class Seeds {

    private Seeds() {
    }

    /** The seed of {@code point} under {@code root}. */
    public static long derive(long root, Record point) {
        Require.notNull("point", point);
        long h = mix(root ^ 0x9E3779B97F4A7C15L);
        for (Object v : Grid.valuesOf(point)) {
            h = mix(h ^ bits(v));
        }
        return h;
    }

    private static long bits(Object v) {
        if (v instanceof Double x) {
            return Double.doubleToLongBits(x);
        }
        if (v instanceof Boolean b) {
            return b ? 1 : 0;
        }
        if (v instanceof Number n) {
            return n.longValue();
        }
        long h = 0xCBF29CE484222325L;
        for (byte b : v.toString().getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001B3L;
        }
        return h;
    }

    /** The SplitMix64 finaliser: a bijection of longs that spreads every input bit over the output. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
