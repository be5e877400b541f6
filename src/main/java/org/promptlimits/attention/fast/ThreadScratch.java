package org.promptlimits.attention.fast;

import org.promptlimits.check.Require;

import java.lang.ref.SoftReference;

/**
 * A working array that a kernel keeps per thread between its calls, instead of allocating it for every call: one
 * array per thread and per {@code ThreadScratch}, of at least the length asked for, whose entries are whatever this
 * thread's last use left there (the caller writes what it reads). Only for arrays that stay inside one thread's share
 * of one call: a pool thread goes on to other calls as soon as its share ends, so an array another thread may still
 * read must be allocated as before. Held through a soft reference (the collector may take an idle thread's array
 * back); a thread that ends drops its arrays.
 */
final class ThreadScratch {

    private final ThreadLocal<SoftReference<Object>> kept = new ThreadLocal<>();

    /**
     * This thread's double array of at least {@code length} entries (a new zero-filled one when it has none so long).
     *
     * @throws IllegalArgumentException if length &lt; 0
     */
    double[] doubles(int length) {
        Require.nonNegative("length", length);
        if (held() instanceof double[] a && a.length >= length) {
            return a;
        }
        double[] a = new double[length];
        kept.set(new SoftReference<>(a));
        return a;
    }

    /**
     * This thread's float array of at least {@code length} entries (a new zero-filled one when it has none so long).
     *
     * @throws IllegalArgumentException if length &lt; 0
     */
    float[] floats(int length) {
        Require.nonNegative("length", length);
        if (held() instanceof float[] a && a.length >= length) {
            return a;
        }
        float[] a = new float[length];
        kept.set(new SoftReference<>(a));
        return a;
    }

    private Object held() {
        SoftReference<Object> r = kept.get();
        return r == null ? null : r.get();
    }
}
