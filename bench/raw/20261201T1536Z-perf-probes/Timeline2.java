package org.promptlimits.attention.exact;

import org.promptlimits.attention.Parallel;

import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/** Two-thread timeline of rows() blocks at n = 1024 f32: when each worker starts, each block's time, when each ends. */
public class Timeline2 {
    public static void main(String[] a) {
        int n = Integer.parseInt(a[0]), d = 64, m = n, dv = 64;
        int rounds = Integer.parseInt(a[1]);
        int blocks = Integer.parseInt(a[2]);    // tasks
        Random r = new Random(1);
        float[] q = new float[n * d], k = new float[m * d], v = new float[m * dv], out = new float[n * dv];
        for (float[] x : new float[][] {q, k, v}) for (int i = 0; i < x.length; i++) x[i] = 2 * r.nextFloat() - 1;
        double beta = 1 / Math.sqrt(d);
        TilePlan plan = TilePlan.of(CacheSizes.THIS_MACHINE, 4, d, dv, 2 * VectorTilesF32.L).withBlocksFor(n, blocks);
        float[] kp = VectorTilesF32.packKeys(k, m, d), vp = VectorTilesF32.packValues(v, m, dv);
        int tile = plan.queryBlock();
        int tasks = (n + tile - 1) / tile;
        System.out.println(plan + " tasks " + tasks);
        double[][] res = new double[rounds][];
        long warm = System.nanoTime() + 5_000_000_000L;
        for (int round = -1; round < rounds; ) {
            long[] ev = new long[64];
            AtomicInteger ne = new AtomicInteger();
            AtomicInteger next = new AtomicInteger();
            long t0 = System.nanoTime();
            Parallel.shares(3, 3, "x", (w3, from, to) -> {
                if (w3 == 0) return;
                int w = w3 - 1;
                ev[ne.getAndIncrement() * 0 + 2 * w] = System.nanoTime();   // start of worker w
                long busy = 0;
                int cnt = 0;
                for (int tt = next.getAndIncrement(); tt < tasks; tt = next.getAndIncrement()) {
                    long b0 = System.nanoTime();
                    VectorTilesF32.rows(tt * tile, Math.min(n, (tt + 1) * tile), m, d, dv, q, beta, kp, v, vp, out, plan.queryTile(), plan.queryBlock(), plan.keyTile());
                    busy += System.nanoTime() - b0;
                    cnt++;
                }
                ev[2 * w + 1] = System.nanoTime();
                ev[4 + w] = busy;
                ev[6 + w] = cnt;
            });
            long t1 = System.nanoTime();
            if (round < 0 && System.nanoTime() < warm) continue;
            if (round < 0) { round = 0; continue; }
            res[round] = new double[] {(t1 - t0) / 1e3, (ev[0] - t0) / 1e3, (ev[2] - t0) / 1e3, (ev[1] - t0) / 1e3, (ev[3] - t0) / 1e3,
                    ev[4] / 1e3 / ev[6], ev[5] / 1e3 / Math.max(1, ev[7]), ev[6], ev[7], (t1 - Math.max(ev[1], ev[3])) / 1e3};
            round++;
        }
        String[] names = {"call", "w0 start", "w1 start", "w0 end", "w1 end", "w0 per block", "w1 per block", "w0 blocks", "w1 blocks", "join after last end"};
        for (int i = 0; i < names.length; i++) {
            double[] s = new double[rounds];
            for (int j = 0; j < rounds; j++) s[j] = res[j][i];
            Arrays.sort(s);
            System.out.printf(Locale.ROOT, "%-22s median %8.1f us (q1 %.1f, q3 %.1f)%n", names[i], s[rounds / 2], s[rounds / 4], s[3 * rounds / 4]);
        }
    }
}
