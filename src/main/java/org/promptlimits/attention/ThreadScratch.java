package org.promptlimits.attention;

import org.promptlimits.check.Require;
import org.promptlimits.precision.Budget;

import java.lang.ref.SoftReference;

/**
 * Working memory that a kernel keeps per thread between its calls, instead of allocating it for every call: one object
 * per thread and per {@code ThreadScratch}, whose contents are whatever this thread's last use left there (the caller
 * writes what it reads). Only for memory that stays inside one thread's share of one call: a pool thread goes on to
 * other calls as soon as its share ends, so an array another thread may still read must be allocated as before, or be
 * taken out of the holder for the call and put back only when every thread is done with it (the exact kernel's packed
 * keys and values, kept by the calling thread). Held through a soft reference (the collector may take an idle thread's
 * memory back); a thread that ends drops its memory. The attention kernels keep their block buffers here (the
 * polynomial method's features, the exact kernel's score tile, packed queries and accumulators, and its packed keys and
 * values), which cost a measurable part of a call when allocated and zeroed for every call (bench/RESULTS.md).
 */
public final class ThreadScratch {

    private final ThreadLocal<SoftReference<Object>> kept = new ThreadLocal<>();

    /**
     * This thread's double array of at least {@code length} entries (a new zero-filled one when it has none so long).
     *
     * @throws IllegalArgumentException if length &lt; 0, or if length doubles are more bytes than
     *                                  {@link Budget#DEFAULT}'s maxBytes (half the heap) allow
     */
    public double[] doubles(int length) {
        if (held() instanceof double[] a && a.length >= length && length >= 0) {
            return a;
        }
        double[] a = new double[require(length, Double.BYTES)];
        kept.set(new SoftReference<>(a));
        return a;
    }

    /**
     * This thread's float array of at least {@code length} entries (a new zero-filled one when it has none so long).
     *
     * @throws IllegalArgumentException if length &lt; 0, or if length floats are more bytes than
     *                                  {@link Budget#DEFAULT}'s maxBytes (half the heap) allow
     */
    public float[] floats(int length) {
        if (held() instanceof float[] a && a.length >= length && length >= 0) {
            return a;
        }
        float[] a = new float[require(length, Float.BYTES)];
        kept.set(new SoftReference<>(a));
        return a;
    }

    /** This thread's kept object (an array of {@link #doubles}/{@link #floats}, or what {@link #keep} kept), or null. */
    public Object held() {
        SoftReference<Object> r = kept.get();
        return r == null ? null : r.get();
    }

    /**
     * Keeps {@code value} for this thread in place of what it held, and returns it.
     *
     * @throws IllegalArgumentException if value is null
     */
    public <T> T keep(T value) {
        Require.notNull("value", value);
        kept.set(new SoftReference<>(value));
        return value;
    }

    /** length, checked before an array of that many items of {@code bytes} bytes is allocated. */
    private static int require(int length, int bytes) {
        Require.nonNegative("length", length);
        Budget.DEFAULT.requireArray("length (" + length + ")", bytes, Budget.orMoreHeap("ask for a shorter array"),
                length);
        return length;
    }
}
