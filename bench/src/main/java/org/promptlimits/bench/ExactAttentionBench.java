package org.promptlimits.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.promptlimits.attention.exact.BlockedAttention;

import java.util.concurrent.TimeUnit;

/**
 * Exact attention (theory §7), d = 64, β = 1/√d as in PyTorch's scaled_dot_product_attention, entries
 * uniform in [−1, 1]: the library's fused blocked kernel, float32 and float64, one and two threads. One
 * call is out = softmax(β Q Kᵀ) V including the input checks, as a user calls it. The PyTorch baseline
 * ({@code bench/torch_sdpa.py}) times the same shapes in the same run of {@code scripts/bench}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx4g"})
public class ExactAttentionBench {

    @Param({"1024", "4096", "16384"})
    public int n;

    @Param({"f32", "f64"})
    public String precision;

    @Param({"1", "2"})
    public int threads;

    /** AUTO (Vector API when the module is present) or SCALAR (the plain-loop fallback). */
    @Param({"AUTO"})
    public String backend;

    static final int D = 64;

    private BlockedAttention attention;
    private double[] q;
    private double[] k;
    private double[] v;
    private double[] out;
    private float[] qf;
    private float[] kf;
    private float[] vf;
    private float[] outf;

    @Setup
    public void setUp() {
        attention = BlockedAttention.of(BlockedAttention.Backend.valueOf(backend), threads);
        q = Inputs.uniform(n * D, 1);
        k = Inputs.uniform(n * D, 2);
        v = Inputs.uniform(n * D, 3);
        out = new double[n * D];
        qf = Inputs.toFloat(q);
        kf = Inputs.toFloat(k);
        vf = Inputs.toFloat(v);
        outf = new float[n * D];
        System.out.println("backend " + attention.name());
    }

    @Benchmark
    public Object attend() {
        double beta = 1 / Math.sqrt(D);
        if (precision.equals("f32")) {
            attention.attend(n, n, D, D, qf, kf, vf, beta, outf);
            return outf;
        }
        attention.attend(n, n, D, D, q, k, v, beta, out);
        return out;
    }
}
