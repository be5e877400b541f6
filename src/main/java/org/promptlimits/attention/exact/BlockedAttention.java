package org.promptlimits.attention.exact;

import org.promptlimits.attention.Attention;
import org.promptlimits.attention.Parallel;
import org.promptlimits.attention.ThreadScratch;
import org.promptlimits.check.Interrupts;
import org.promptlimits.check.Require;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntToDoubleFunction;
import java.util.function.ToIntFunction;

/**
 * Exact softmax attention, fused and blocked over query rows: out = D^{−1} exp(β Q K^T) V computed tile by
 * tile with an online softmax, so no n×m matrix is ever stored (memory per thread: queryTile × keyTile scores
 * plus queryBlock × (d + dv) packed queries and accumulators, the sizes chosen from this machine's cache sizes by
 * {@link TilePlan}). theory §7 [P] (the exact algorithm the polynomial method is compared with).
 *
 * <p>Two backends give the same results up to rounding: plain Java loops, and the JDK Vector API
 * ({@code jdk.incubator.vector}). {@link Backend#AUTO} picks the vector backend when the module is in the
 * boot layer (JVM started with {@code --add-modules jdk.incubator.vector}) and the system property
 * {@code promptlimits.vector} is not {@code false}; otherwise the scalar one. float32 and float64 entry
 * points; the work is split over query blocks when {@code threads > 1}.
 *
 * <p>Cost: 4·n·m·d multiply-adds counted as flops for d = dv (2·n·m·d for Q K^T and 2·n·m·dv for the
 * product with V) plus n·m exponentials.
 */
public final class BlockedAttention implements Attention {

    /** Which inner loops run. */
    public enum Backend {
        /** Vector API when available, else scalar. */
        AUTO,
        /** Plain Java loops. */
        SCALAR,
        /** The JDK Vector API; refused when the module is absent. */
        VECTOR
    }

    private static final TileKernel VECTOR_TILES = loadVectorTiles();
    /** Key ranges per worker when several workers pack the keys and values ({@link #run}). */
    private static final int PACKS_PER_THREAD = 4;

    private final TileKernel tiles;
    private final int threads;

    private BlockedAttention(TileKernel tiles, int threads) {
        this.tiles = tiles;
        this.threads = threads;
    }

    /** Single-threaded, {@link Backend#AUTO}. */
    public static BlockedAttention create() {
        return of(Backend.AUTO, 1);
    }

    /**
     * Blocked attention with the given backend and thread count.
     *
     * @throws IllegalArgumentException if threads &lt; 1, or VECTOR is asked for and the module is absent
     */
    public static BlockedAttention of(Backend backend, int threads) {
        Require.notNull("backend", backend);
        Require.positive("threads", threads);
        TileKernel k = switch (backend) {
            case SCALAR -> ScalarTiles.INSTANCE;
            case AUTO -> vectorAvailable() && !"false".equals(System.getProperty("promptlimits.vector"))
                    ? VECTOR_TILES : ScalarTiles.INSTANCE;
            case VECTOR -> {
                Require.that(vectorAvailable(), "backend (VECTOR) must have the module jdk.incubator.vector; "
                        + "start the JVM with --add-modules jdk.incubator.vector or use AUTO/SCALAR");
                yield VECTOR_TILES;
            }
        };
        return new BlockedAttention(k, threads);
    }

    /** Whether the Vector API backend can run in this JVM. */
    public static boolean vectorAvailable() {
        return VECTOR_TILES != null;
    }

    private static TileKernel loadVectorTiles() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return null;
        }
        try {
            return (TileKernel) Class.forName("org.promptlimits.attention.exact.VectorTiles")
                    .getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;
        }
    }

    /** The backend actually used: "scalar" or "vector(f32xL, f64xL)". */
    public String backend() {
        return tiles.name();
    }

    public int threads() {
        return threads;
    }

    @Override
    public String name() {
        return "exact-blocked(" + tiles.name() + ", " + threads + " thread" + (threads == 1 ? "" : "s") + ")";
    }

    @Override
    public void attend(int n, int m, int d, int dv, double[] q, double[] k, double[] v, double beta, double[] out) {
        Attention.requireShapes(n, m, d, dv, q, k, v, beta, out);
        attend(Numbers.F64, n, m, d, dv, q, k, v, beta, out);
    }

    /**
     * float32 attention: out = softmax_rows(β Q K^T) V with float32 arithmetic (the shapes and conventions
     * of {@link #attend(int, int, int, int, double[], double[], double[], double, double[])}). One exception,
     * chosen by measurement: on JDK 17 with AVX-512 and dv = 8 the vector backend computes in float64 and
     * rounds the output to float32, which is 5× faster there.
     *
     * @throws IllegalArgumentException on a shape mismatch, a non-finite input, or scores so large that
     *                                  float32 overflows (the message says to use float64)
     */
    public void attend(int n, int m, int d, int dv, float[] q, float[] k, float[] v, double beta, float[] out) {
        Attention.requireShapes(n, m, d, dv, q, k, v, beta, out);
        if (tiles.floatViaDouble(dv)) {
            double[] o = new double[out.length];
            attend(n, m, d, dv, toDouble(q), toDouble(k), toDouble(v), beta, o);
            for (int i = 0; i < o.length; i++) {
                out[i] = (float) o[i];
            }
            return;
        }
        attend(Numbers.F32, n, m, d, dv, q, k, v, beta, out);
    }

    /**
     * Both entry points after their shape checks, for arrays of type A: checks and packs the keys and values (kept
     * for the calling thread's next call), runs the blocks, refuses a non-finite input by its first bad entry and an
     * output that left the floating-point range.
     */
    private <A> void attend(Numbers<A> num, int n, int m, int d, int dv, A q, A k, A v, double beta, A out) {
        Packed kept = Packed.checkOut(num.type(), m, d, dv);
        A kt = kept != null ? num.cast(kept.keys) : num.keyBuffer().make(tiles, k, m, d);
        A vp = kept != null ? num.cast(kept.values) : num.valueBuffer().make(tiles, v, m, dv);
        boolean finite = run(n, m, num.bytes(), d, dv, (i0, i1, j0, j1) -> {
            if (!num.allFinite().test(tiles, q, i0 * d, i1 * d) || !num.allFinite().test(tiles, k, j0 * d, j1 * d)
                    || !num.allFinite().test(tiles, v, j0 * dv, j1 * dv)) {
                return false;
            }
            num.packKeys().pack(tiles, k, m, d, j0, j1, kt);
            num.packValues().pack(tiles, v, m, dv, j0, j1, vp);
            return true;
        }, (i0, i1, plan) -> num.rows().rows(tiles, i0, i1, m, d, dv, q, beta, kt, v, vp, out, plan));
        if (vp != v) {
            Packed.checkIn(kt, vp, m, d, dv);
        }
        if (!finite) {
            refuseNonFinite(num, q, k, v, d, dv);
        }
        int length = num.length().applyAsInt(out);
        if (!num.allFinite().test(tiles, out, 0, length)) {
            requireFiniteOutput(length, i -> num.get().at(out, i));
        }
    }

    /**
     * Refuses q, k (rows of d) or v (rows of dv) for their first entry that is not finite, found in that order (the
     * packing found one; a scan of all three names the first). Should none be found, the arrays changed during
     * the call.
     */
    private static <A> void refuseNonFinite(Numbers<A> num, A q, A k, A v, int d, int dv) {
        requireFinite("q", num, q, d);
        requireFinite("k", num, k, d);
        requireFinite("v", num, v, dv);
        throw new IllegalStateException("q, k or v held a non-finite entry that is gone: they must not change while "
                + "attend runs");
    }

    /** Every entry finite; the message names the first bad one as name[row][column] (rows of width w). */
    private static <A> void requireFinite(String name, Numbers<A> num, A a, int w) {
        for (int i = 0, length = num.length().applyAsInt(a); i < length; i++) {
            double x = num.get().at(a, i);
            if (!Double.isFinite(x)) {
                Require.finite(name + "[" + i / w + "][" + i % w + "]", x);
            }
        }
    }

    private static double[] toDouble(float[] a) {
        double[] b = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            b[i] = a[i];
        }
        return b;
    }

    /**
     * The operations of {@link #attend(Numbers, int, int, int, int, Object, Object, Object, double, Object)} on arrays
     * of one type, A = double[] ({@link #F64}) or float[] ({@link #F32}): the kernel's overloads for that type, picked
     * once by the method references below, so one implementation of the call serves both precisions without a
     * per-call look-up.
     *
     * @param get entry i widened to double (exactly: float32 to float64 keeps every value, finite or not)
     */
    private record Numbers<A>(Class<A> type, int bytes, ToIntFunction<A> length, Get<A> get, Finite<A> allFinite,
                              Room<A> keyBuffer, Room<A> valueBuffer, Layout<A> packKeys, Layout<A> packValues,
                              Tiles<A> rows) {

        static final Numbers<double[]> F64 = new Numbers<>(double[].class, Double.BYTES, a -> a.length, (a, i) -> a[i],
                TileKernel::allFinite, TileKernel::keyBuffer, TileKernel::valueBuffer, TileKernel::packKeys,
                TileKernel::packValues, TileKernel::rows);

        static final Numbers<float[]> F32 = new Numbers<>(float[].class, Float.BYTES, a -> a.length, (a, i) -> a[i],
                TileKernel::allFinite, TileKernel::keyBuffer, TileKernel::valueBuffer, TileKernel::packKeys,
                TileKernel::packValues, TileKernel::rows);

        interface Get<A> {
            double at(A a, int i);
        }

        interface Finite<A> {
            boolean test(TileKernel t, A a, int from, int to);
        }

        interface Room<A> {
            A make(TileKernel t, A a, int rows, int width);
        }

        interface Layout<A> {
            void pack(TileKernel t, A a, int m, int width, int j0, int j1, A packed);
        }

        interface Tiles<A> {
            void rows(TileKernel t, int i0, int i1, int m, int d, int dv, A q, double beta, A kt, A v, A vp, A out,
                      TilePlan plan);
        }

        /** o, an array of {@link #type()} (from {@link Packed}, which holds them as Object). */
        @SuppressWarnings("unchecked")
        A cast(Object o) {
            return (A) o;
        }
    }

    /**
     * The calling thread's packed keys and values (arrays of one type), kept for its next call with the same m, d and
     * dv: allocating and zeroing them took 40–50 µs of a 2 ms two-thread call (n = 1024 float32), on the calling
     * thread before the work is shared. The pool threads read them only during the call; a call takes them out of
     * the holder while it runs and puts them back when its work has ended, so a call that fails (a pool thread may
     * still be reading) never puts them back. The key pad past m stays zero: no call writes it.
     */
    private record Packed(Object keys, Object values, int m, int d, int dv) {

        private static final ThreadScratch HELD = new ThreadScratch();
        private static final Object OUT = new Object();

        /** This thread's kept arrays of {@code type} for (m, d, dv), taken out of the holder; or null. */
        static Packed checkOut(Class<?> type, int m, int d, int dv) {
            Object h = HELD.held();
            if (h instanceof Packed p && p.keys.getClass() == type && p.m == m && p.d == d && p.dv == dv) {
                HELD.keep(OUT);
                return p;
            }
            return null;
        }

        static void checkIn(Object keys, Object values, int m, int d, int dv) {
            HELD.keep(new Packed(keys, values, m, d, dv));
        }
    }

    private interface Rows {
        void run(int i0, int i1, TilePlan plan);
    }

    /**
     * Checks query rows [i0, i1) and key and value rows [j0, j1) and, when all their entries are finite, packs the keys
     * and values into the kernel's layout; returns whether they were finite.
     */
    private interface Pack {
        boolean run(int i0, int i1, int j0, int j1);
    }

    /**
     * Checks and packs the m keys and values, then runs body over query blocks of n rows, for numbers of
     * {@code bytes} bytes, with this machine's plan (blocks made smaller when n is small, so that each thread gets
     * two); returns false, having run no block, when an entry of q, k or v is not finite. With several threads the
     * checking and packing is shared too: the workers take ranges of query and key rows ({@value #PACKS_PER_THREAD}
     * per worker) from a counter, and each waits until every range is done before it reads any; a worker that starts
     * late finds them taken. (At n = 1024 float32, packing alone took 90 µs of a 1.9 ms two-thread call, and the
     * checks, when the calling thread made them before starting the workers, 25–35 µs.) Then each worker
     * takes the next query block not yet taken, so a worker slowed by other work on its core does fewer blocks
     * instead of holding up the call; every tile's rows are computed the same way whichever worker and block take
     * it, so the output does not depend on the thread count.
     */
    private boolean run(int n, int m, int bytes, int d, int dv, Pack pack, Rows body) {
        TilePlan plan = TilePlan.of(CacheSizes.THIS_MACHINE, bytes, d, dv, tiles.keyGroup(bytes))
                .withBlocksFor(n, 2 * threads);
        int tile = plan.queryBlock();
        int tasks = (n + tile - 1) / tile;
        int workers = Math.max(1, Math.min(threads, tasks));
        int packs = workers == 1 ? 1 : PACKS_PER_THREAD * workers;
        AtomicInteger nextPack = new AtomicInteger();
        AtomicInteger packed = new AtomicInteger();
        AtomicInteger next = new AtomicInteger();
        AtomicBoolean nonFinite = new AtomicBoolean();
        Parallel.shares(workers, workers, "attention", (w, from, to) -> {
            for (int c = nextPack.getAndIncrement(); c < packs; c = nextPack.getAndIncrement()) {
                try {
                    if (!pack.run(part(n, c, packs), part(n, c + 1, packs), part(m, c, packs), part(m, c + 1, packs))) {
                        nonFinite.set(true);
                    }
                } finally {
                    packed.incrementAndGet();           // counted even on failure, so no worker waits forever
                }
            }
            while (packed.get() < packs) {              // the other ranges are being packed now: a short wait
                Thread.onSpinWait();
            }
            if (nonFinite.get()) {                      // refused by the caller: no output written
                return;
            }
            for (int t = next.getAndIncrement(); t < tasks; t = next.getAndIncrement()) {
                Interrupts.check();                     // one block of query rows at a time: stoppable
                body.run(t * tile, Math.min(n, (t + 1) * tile), plan);
            }
        });
        return !nonFinite.get();
    }

    /** Where part c of {@code parts} parts of [0, count) starts: ⌊count·c/parts⌋. */
    private static int part(int count, int c, int parts) {
        return (int) ((long) count * c / parts);
    }

    private static void requireFiniteOutput(int len, IntToDoubleFunction out) {
        for (int i = 0; i < len; i++) {
            if (!Double.isFinite(out.applyAsDouble(i))) {
                throw new IllegalArgumentException("scores (beta * <q, k>) and the values v must stay within the"
                        + " floating-point range; output entry " + i + " is " + out.applyAsDouble(i)
                        + "; scale q, k or v down, or use float64");
            }
        }
    }
}
