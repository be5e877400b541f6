package org.promptlimits.attention;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ThreadScratchTest {

    @Test
    void aThreadGetsItsOwnArrayBackWhileItIsLongEnough() throws InterruptedException {
        ThreadScratch scratch = new ThreadScratch();
        double[] a = scratch.doubles(100);
        assertEquals(100, a.length);
        a[7] = 3;
        assertSame(a, scratch.doubles(50));
        assertEquals(3, scratch.doubles(100)[7]);                  // what this thread left there
        double[] b = scratch.doubles(101);
        assertNotSame(a, b);
        assertEquals(0, b[7]);
        double[][] other = new double[1][];
        Thread t = new Thread(() -> other[0] = scratch.doubles(10));
        t.start();
        t.join();
        assertNotSame(b, other[0]);                                  // one array per thread
        float[] f = scratch.floats(10);                              // another type replaces it
        assertSame(f, scratch.floats(10));
        assertNotSame(b, scratch.doubles(10));
    }

    @Test
    void keepsAnyObjectForThisThread() throws InterruptedException {
        ThreadScratch scratch = new ThreadScratch();
        assertNull(scratch.held());
        StringBuilder kept = scratch.keep(new StringBuilder("x"));
        assertSame(kept, scratch.held());
        Object[] seen = new Object[] {"not read"};
        Thread t = new Thread(() -> seen[0] = scratch.held());
        t.start();
        t.join();
        assertNull(seen[0]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> scratch.keep(null));
        assertTrue(e.getMessage().contains("value"), e.getMessage());
    }

    @Test
    void refusesLengthsTheHeapCannotHoldBeforeAllocating() {
        ThreadScratch scratch = new ThreadScratch();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> scratch.doubles(Integer.MAX_VALUE));
        assertTrue(e.getMessage().contains("length (2147483647)"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> scratch.floats(-1));
        assertTrue(e.getMessage().contains("length"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> scratch.doubles(-1));
    }
}
