package org.promptlimits.attention.exact;

import org.promptlimits.attention.Parallel;

import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/** Where a two-thread float32 call at n = 1024 spends its time: the parts timed apart, medians of many calls. */
public class Parts {
    public static void main(String[] a) {
        int n = Integer.parseInt(a[0]), d = 64, m = n, dv = 64;
        int rounds = Integer.parseInt(a[1]);
        Random r = new Random(1);
        float[] q = new float[n * d], k = new float[m * d], v = new float[m * dv], out = new float[n * dv];
        for (float[] x : new float[][] {q, k, v}) for (int i = 0; i < x.length; i++) x[i] = 2 * r.nextFloat() - 1;
        double beta = 1 / Math.sqrt(d);
        BlockedAttention b1 = BlockedAttention.of(BlockedAttention.Backend.VECTOR, 1);
        BlockedAttention b2 = BlockedAttention.of(BlockedAttention.Backend.VECTOR, 2);
        TilePlan plan1 = TilePlan.of(CacheSizes.THIS_MACHINE, 4, d, dv, 2 * VectorTilesF32.L).withBlocksFor(n, 2);
        TilePlan plan2 = TilePlan.of(CacheSizes.THIS_MACHINE, 4, d, dv, 2 * VectorTilesF32.L).withBlocksFor(n, 4);
        System.out.println("plan1 " + plan1 + " plan2 " + plan2 + " rows " + VectorTilesF32.ROWS);
        float[] kp = VectorTilesF32.packKeys(k, m, d), vp = VectorTilesF32.packValues(v, m, dv);
        String[] names = {"attend1t", "attend2t", "packKeys", "packValues", "allFinite x4", "rows all 1t plan1", "rows all 1t plan2", "rows 2t plan2 (no pack)", "shares empty 2w", "rows one block plan2"};
        double[][] t = new double[names.length][rounds];
        long warm = System.nanoTime() + 5_000_000_000L;
        int round = -1;
        while (true) {
            boolean warming = System.nanoTime() < warm;
            if (!warming) round++;
            if (round >= rounds) break;
            int ri = Math.max(round, 0);
            long t0 = System.nanoTime();
            b1.attend(n, m, d, dv, q, k, v, beta, out);
            long t1 = System.nanoTime();
            b2.attend(n, m, d, dv, q, k, v, beta, out);
            long t2 = System.nanoTime();
            kp = VectorTilesF32.packKeys(k, m, d);
            long t3 = System.nanoTime();
            vp = VectorTilesF32.packValues(v, m, dv);
            long t4 = System.nanoTime();
            boolean f = VectorTilesF32.allFinite(q) & VectorTilesF32.allFinite(k) & VectorTilesF32.allFinite(v) & VectorTilesF32.allFinite(out);
            long t5 = System.nanoTime();
            VectorTilesF32.rows(0, n, m, d, dv, q, beta, kp, v, vp, out, plan1.queryTile(), plan1.queryBlock(), plan1.keyTile());
            long t6 = System.nanoTime();
            for (int i0 = 0; i0 < n; i0 += plan2.queryBlock())
                VectorTilesF32.rows(i0, Math.min(n, i0 + plan2.queryBlock()), m, d, dv, q, beta, kp, v, vp, out, plan2.queryTile(), plan2.queryBlock(), plan2.keyTile());
            long t7 = System.nanoTime();
            final float[] kpf = kp, vpf = vp;
            int tile = plan2.queryBlock();
            int tasks = (n + tile - 1) / tile;
            AtomicInteger next = new AtomicInteger();
            Parallel.shares(2, 2, "x", (w, from, to) -> {
                for (int tt = next.getAndIncrement(); tt < tasks; tt = next.getAndIncrement()) {
                    VectorTilesF32.rows(tt * tile, Math.min(n, (tt + 1) * tile), m, d, dv, q, beta, kpf, v, vpf, out, plan2.queryTile(), plan2.queryBlock(), plan2.keyTile());
                }
            });
            long t8 = System.nanoTime();
            Parallel.shares(2, 2, "x", (w, from, to) -> { });
            long t9 = System.nanoTime();
            VectorTilesF32.rows(0, tile, m, d, dv, q, beta, kp, v, vp, out, plan2.queryTile(), plan2.queryBlock(), plan2.keyTile());
            long t10 = System.nanoTime();
            if (!f) throw new AssertionError();
            long[] ts = {t0, t1, t2, t3, t4, t5, t6, t7, t8, t9, t10};
            for (int i = 0; i < names.length; i++) t[i][ri] = (ts[i + 1] - ts[i]) / 1e3;
        }
        for (int i = 0; i < names.length; i++) {
            double[] s = t[i].clone();
            Arrays.sort(s);
            System.out.printf(Locale.ROOT, "%-26s %9.1f us (q1 %.1f, q3 %.1f)%n", names[i], s[s.length / 2], s[s.length / 4], s[3 * s.length / 4]);
        }
    }
}
