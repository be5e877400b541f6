package org.promptlimits.bench;

import org.promptlimits.attention.exact.BlockedAttention;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Where a two-thread exact attention call's time goes, measured from outside the library (d = 64, m = n keys,
 * entries uniform in [−1, 1], β = 1/√d, as {@link ExactAttentionBench}). Each round times, back to back in one JVM:
 * <ul>
 *   <li>T1: one call with one thread (n query rows);</li>
 *   <li>T2: one call with two threads (the library's pool and work split);</li>
 *   <li>Th: one call with one thread on the first n/2 query rows (all m keys: it checks and packs them all);</li>
 *   <li>Tc: two such half calls at once, the calling thread on the first half and a thread of this harness on the
 *       second; the harness thread is woken and spinning before the clock starts, so Tc has no wake-up; the end is
 *       when both halves have ended, and "skew" is how far apart they end;</li>
 *   <li>Fa and Fc: the same for {@link CeilingBench}'s loop of vector multiply-adds (no memory traffic) sized like Th,
 *       alone and two at once: how much slower the machine runs two threads of vector arithmetic at once (the host's
 *       share of the second vCPU, clocks), against which Tc / Th is read;</li>
 *   <li>Tx: a half on the calling thread while the partner runs that loop (no memory traffic beside it): whether the
 *       slowdown of Tc comes from the other thread's arithmetic (clocks, the vCPU) or its memory traffic.</li>
 * </ul>
 * From these: the packing and checks P ≈ 2·Th − T1 (a call's cost that does not scale with the query rows), the
 * slowdown of a half beside the other (Tc / Th), and what the two-thread call loses against Tc − P/2 (two halves
 * that share the packing and start and end together): pool hand-overs, the split's imbalance and serial work after
 * the parallel part.
 *
 * <p>Usage: {@code ExactThreadsProfile n f32|f64 rounds [warm-up rounds]}; prints medians and quartiles in µs.
 */
public final class ExactThreadsProfile {

    static final int D = 64;
    static final int ALL = 0;
    static final int LO = 1;
    static final int HI = 2;

    private ExactThreadsProfile() {
    }

    public static void main(String[] args) {
        int n = Integer.parseInt(args[0]);
        boolean f32 = args[1].equals("f32");
        int rounds = Integer.parseInt(args[2]);
        int warm = args.length > 3 ? Integer.parseInt(args[3]) : rounds;
        Profile p = new Profile(n, f32);
        for (int r = 0; r < warm; r++) {
            p.round();
        }
        p.clear();
        for (int r = 0; r < rounds; r++) {
            p.round();
        }
        p.partner.interrupt();
        System.out.println("n " + n + " " + args[1] + " d " + D + ", " + rounds + " rounds after " + warm + "; "
                + BlockedAttention.of(BlockedAttention.Backend.AUTO, 2).name());
        p.print();
    }

    private static final class Profile {
        final int n;
        final boolean f32;
        final BlockedAttention one = BlockedAttention.of(BlockedAttention.Backend.AUTO, 1);
        final BlockedAttention two = BlockedAttention.of(BlockedAttention.Backend.AUTO, 2);
        final double[] q;
        final double[] k;
        final double[] v;
        final float[] qf;
        final float[] kf;
        final float[] vf;
        final double[][] qs;
        final float[][] qfs;
        final double[][] outs;
        final float[][] outfs;
        final List<long[]> samples = new ArrayList<>();
        final AtomicInteger state = new AtomicInteger();  // 0 idle, 1 woken, 2 spinning, 3 go, 4 done
        final AtomicLong partnerEnd = new AtomicLong();
        final Thread partner;
        final double beta = 1 / Math.sqrt(D);
        volatile boolean fmaRound;
        volatile long partnerSteps;
        volatile double sink;
        long fmaSteps = 1 << 14;

        Profile(int n, boolean f32) {
            this.n = n;
            this.f32 = f32;
            q = Inputs.uniform(n * D, 1);
            k = Inputs.uniform(n * D, 2);
            v = Inputs.uniform(n * D, 3);
            qf = Inputs.toFloat(q);
            kf = Inputs.toFloat(k);
            vf = Inputs.toFloat(v);
            int h = n / 2 * D;                      // rows of the whole call, its first half and its second half
            qs = new double[][]{q, Arrays.copyOfRange(q, 0, h), Arrays.copyOfRange(q, h, n * D)};
            qfs = new float[][]{qf, Arrays.copyOfRange(qf, 0, h), Arrays.copyOfRange(qf, h, n * D)};
            outs = new double[][]{new double[n * D], new double[h], new double[n * D - h]};
            outfs = new float[][]{new float[n * D], new float[h], new float[n * D - h]};
            partner = new Thread(this::partnerLoop, "profile-partner");
            partner.setDaemon(true);
            partner.start();
        }

        private void partnerLoop() {
            BlockedAttention own = BlockedAttention.of(BlockedAttention.Backend.AUTO, 1);
            while (!Thread.currentThread().isInterrupted()) {
                if (state.get() != 1) {
                    LockSupport.park();
                    continue;
                }
                state.set(2);
                while (state.get() != 3) {
                    Thread.onSpinWait();
                }
                if (fmaRound) {
                    sink += fma(partnerSteps);
                } else {
                    call(own, HI);
                }
                partnerEnd.set(System.nanoTime());
                state.set(4);
            }
        }

        /** Query rows: all n ({@link #ALL}), the first n/2 ({@link #LO}) or the rest ({@link #HI}). */
        private void call(BlockedAttention a, int part) {
            int rows = part == ALL ? n : part == LO ? n / 2 : n - n / 2;
            if (f32) {
                a.attend(rows, n, D, D, qfs[part], kf, vf, beta, outfs[part]);
            } else {
                a.attend(rows, n, D, D, qs[part], k, v, beta, outs[part]);
            }
        }

        /**
         * Both threads at once (the partner spinning before the clock starts): {both end, |end skew|, the calling
         * thread's end}. The partner runs the FMA loop when {@code partnerFma}, else the upper half; the calling thread
         * the loop when {@code fmaLoop}, else the lower half.
         */
        private long[] together(boolean fmaLoop, boolean partnerFma, long steps) {
            fmaRound = partnerFma;
            partnerSteps = steps;
            state.set(1);
            LockSupport.unpark(partner);
            while (state.get() != 2) {
                Thread.onSpinWait();
            }
            long c0 = System.nanoTime();
            state.set(3);
            if (fmaLoop) {
                sink += fma(fmaSteps);
            } else {
                call(one, LO);
            }
            long mine = System.nanoTime();
            while (state.get() != 4) {
                Thread.onSpinWait();
            }
            long theirs = partnerEnd.get();
            state.set(0);
            return new long[]{Math.max(mine, theirs) - c0, Math.abs(mine - theirs), mine - c0};
        }

        /** {@link CeilingBench#loop}: steps iterations of 12 vector multiply-adds of the preferred species. */
        static double fma(long steps) {
            return CeilingBench.loop(steps, 1);
        }

        void round() {
            long t0 = System.nanoTime();
            call(one, ALL);
            long t1 = System.nanoTime();
            call(two, ALL);
            long t2 = System.nanoTime();
            call(one, LO);
            long t3 = System.nanoTime();
            long[] c = together(false, false, 0);
            long[] x = together(false, true, fmaSteps * 3 / 2);
            long f0 = System.nanoTime();
            sink += fma(fmaSteps);
            long fa = System.nanoTime() - f0;
            long[] fc = together(true, true, fmaSteps);
            if (fa < (t3 - t2) / 2 || fa > 2 * (t3 - t2)) {   // keep the loop about as long as a half call
                fmaSteps = Math.max(1, fmaSteps * (t3 - t2) / Math.max(1, fa));
            }
            samples.add(new long[]{t1 - t0, t2 - t1, t3 - t2, c[0], c[1], fa, fc[0], fc[1], x[2]});
        }

        void clear() {
            samples.clear();
        }

        void print() {
            String[] names = {"T1 (1 thread)", "T2 (2 threads)", "Th (n/2 rows, 1 thread)", "Tc (2 halves at once)",
                    "skew of the halves' ends", "Fa (FMA loop alone)", "Fc (2 FMA loops at once)",
                    "skew of the FMA loops' ends", "Tx (n/2 rows beside FMA)"};
            double[] med = new double[names.length];
            for (int c = 0; c < names.length; c++) {
                double[] x = new double[samples.size()];
                for (int i = 0; i < x.length; i++) {
                    x[i] = samples.get(i)[c] / 1e3;
                }
                Arrays.sort(x);
                med[c] = x[x.length / 2];
                System.out.printf(Locale.ROOT, "%-26s median %9.1f µs  (q1 %9.1f, q3 %9.1f)%n", names[c], med[c],
                        x[x.length / 4], x[3 * x.length / 4]);
            }
            double t1 = med[0], t2 = med[1], th = med[2], tc = med[3], fa = med[5], fc = med[6], tx = med[8];
            double pack = 2 * th - t1;
            System.out.printf(Locale.ROOT, "speed-up T1/T2 %.3f; P = 2Th - T1 = %.1f µs; half beside the other Tc/Th"
                    + " %.3f (FMA loops Fc/Fa %.3f, half beside an FMA loop Tx/Th %.3f); T2 - (Tc - P/2) = %.1f µs (hand-overs, imbalance, serial parts);"
                    + " T2 - T1/2 = %.1f µs%n", t1 / t2, pack, tc / th, fc / fa, tx / th, t2 - (tc - pack / 2), t2 - t1 / 2);
        }
    }
}
