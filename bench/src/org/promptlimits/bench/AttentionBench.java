package org.promptlimits.bench;

import org.promptlimits.attention.Apti;
import org.promptlimits.attention.exact.BlockedAttention;
import org.promptlimits.attention.fast.Certificate;
import org.promptlimits.attention.fast.PolynomialAttention;

import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * Benchmark of exact and polynomial-method attention (SPEC §7), printed as markdown tables.
 * Single thread unless stated; each time is the median of {@code runs} timed calls after warm-up calls.
 * Inputs: entries uniform in [−1, 1] (seed 42), β = 1/√d for exact attention (as in PyTorch's
 * scaled_dot_product_attention), β = 1/d for the polynomial method (R = βdB² = 1).
 *
 * <p>Usage: {@code scripts/bench [--quick]}; options: {@code --runs N}, {@code --quick}.
 */
public final class AttentionBench {

    private static final double PEAK_F32 = 78;
    private static final double PEAK_F64 = 39;

    private static int runs = 5;
    private static boolean quick;

    public static void main(String[] args) {
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "; use --quick or --runs N");
            }
        }
        Locale.setDefault(Locale.ROOT);
        BlockedAttention exact = BlockedAttention.create();
        System.out.printf("JVM: %s %s; exact backend: %s; polynomial backend: %s; cores: %d; runs per median: %d%n%n",
                System.getProperty("java.vm.name"), System.getProperty("java.version"), exact.backend(),
                PolynomialAttention.ofDegree(2, 1, 1).backend(), Runtime.getRuntime().availableProcessors(), runs);
        // JIT warm-up of every kernel before the first timed row (cold Vector API calls are 10-100x slower)
        long t0 = System.nanoTime();
        while (System.nanoTime() - t0 < 3_000_000_000L) {
            timeF32(exact, 512, 64);
            timeF64(exact, 512, 64);
        }
        exactTable();
        polynomialTable();
    }

    private static void exactTable() {
        int d = 64;
        int[] ns = quick ? new int[] {1024, 4096} : new int[] {1024, 4096, 16384};
        System.out.println("### Exact attention, d = 64 (fused, blocked; never stores n×n)");
        System.out.println();
        System.out.println("| n | precision | backend | threads | median time | GFLOP/s | % of one-core peak |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (int n : ns) {
            for (boolean f32 : new boolean[] {true, false}) {
                for (BlockedAttention.Backend b : new BlockedAttention.Backend[] {BlockedAttention.Backend.AUTO,
                        BlockedAttention.Backend.SCALAR}) {
                    if (b == BlockedAttention.Backend.SCALAR && (n > 4096 || !BlockedAttention.vectorAvailable())) {
                        continue;
                    }
                    for (int threads : new int[] {1, 2}) {
                        if (threads == 2 && (b == BlockedAttention.Backend.SCALAR || n < 4096)) {
                            continue;
                        }
                        BlockedAttention a = BlockedAttention.of(b, threads);
                        double t = f32 ? timeF32(a, n, d) : timeF64(a, n, d);
                        double gflops = 4.0 * n * n * d / t * 1e-9;
                        double peak = (f32 ? PEAK_F32 : PEAK_F64) * threads;
                        System.out.printf("| %d | %s | %s | %d | %s | %.1f | %.0f%% |%n", n, f32 ? "f32" : "f64",
                                a.backend(), threads, seconds(t), gflops, 100 * gflops / peak);
                    }
                }
            }
        }
        System.out.println();
        System.out.println("GFLOP/s counts 4·n²·d (Q Kᵀ and the product with V); exponentials are not counted. "
                + "Peak: 78 GFLOP/s f32, 39 f64 per core (PERF-NOTES).");
        System.out.println();
    }

    private static void polynomialTable() {
        int[] ns = quick ? new int[] {1024, 4096, 16384} : new int[] {1024, 4096, 16384, 65536};
        System.out.println("### Polynomial-method attention (f64, β = 1/d, entries in [−1, 1], R = 1) vs exact");
        System.out.println();
        System.out.println("| d | g | r | n | poly time | exact f64 | exact f32 | speed-up vs f64 | vs f32 | measured error | proven bound |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
        BlockedAttention exact = BlockedAttention.create();
        for (int d : new int[] {8, 16}) {
            for (int n : ns) {
                double beta = 1.0 / d;
                double te64 = timeF64(exact, n, d, beta);
                double te32 = timeF32(exact, n, d, beta);
                for (int g = 2; g <= 4; g++) {
                    PolynomialAttention pa = PolynomialAttention.ofDegree(d, g, beta);
                    Apti p = Apti.random(n, d, 1.0, 1e-2, beta, 42);
                    double tp = median(() -> pa.attend(p));
                    Certificate c = pa.certify(p, pa.attend(p), 64, 42);
                    System.out.printf("| %d | %d | %d | %d | %s | %s | %s | %.1f× | %.1f× | %.1e | %.2e |%n", d, g,
                            pa.rank(), n, seconds(tp), seconds(te64), seconds(te32), te64 / tp, te32 / tp,
                            c.measuredError(), c.provenBound());
                }
            }
        }
        System.out.println();
        System.out.println("Measured error: max over 64 sampled rows and all columns against the float64 reference. "
                + "Proven bound: 2ε‖V‖max/(1−ε) with ε = R^{g+1}e^{2R}/(g+1)!.");
        System.out.println();
    }

    private static double timeF32(BlockedAttention a, int n, int d) {
        return timeF32(a, n, d, 1 / Math.sqrt(d));
    }

    private static double timeF64(BlockedAttention a, int n, int d) {
        return timeF64(a, n, d, 1 / Math.sqrt(d));
    }

    private static double timeF32(BlockedAttention a, int n, int d, double beta) {
        Random rnd = new Random(42);
        float[] q = new float[n * d], k = new float[n * d], v = new float[n * d], out = new float[n * d];
        for (float[] x : new float[][] {q, k, v}) {
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (2 * rnd.nextDouble() - 1);
            }
        }
        return median(() -> a.attend(n, n, d, d, q, k, v, beta, out));
    }

    private static double timeF64(BlockedAttention a, int n, int d, double beta) {
        Random rnd = new Random(42);
        double[] q = new double[n * d], k = new double[n * d], v = new double[n * d], out = new double[n * d];
        for (double[] x : new double[][] {q, k, v}) {
            for (int i = 0; i < x.length; i++) {
                x[i] = 2 * rnd.nextDouble() - 1;
            }
        }
        return median(() -> a.attend(n, n, d, d, q, k, v, beta, out));
    }

    /** Median of {@code runs} timed calls after warm-up calls (at least one, and at least 0.5 s of them). */
    private static double median(Runnable r) {
        long warm0 = System.nanoTime();
        for (int i = 0; i < 1 || (System.nanoTime() - warm0 < 500_000_000L && i < 50); i++) {
            r.run();
        }
        double[] t = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            r.run();
            t[i] = (System.nanoTime() - t0) * 1e-9;
        }
        Arrays.sort(t);
        return runs % 2 == 1 ? t[runs / 2] : (t[runs / 2 - 1] + t[runs / 2]) / 2;
    }

    private static String seconds(double t) {
        return t >= 1 ? String.format("%.2f s", t) : String.format("%.1f ms", t * 1e3);
    }
}
