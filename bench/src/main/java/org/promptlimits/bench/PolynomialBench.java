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
import org.promptlimits.attention.Apti;
import org.promptlimits.attention.fast.PolynomialAttention;

import java.util.concurrent.TimeUnit;

/**
 * Polynomial-method attention (theory §7), entries uniform in [−1, 1], β = 1/d (so R = βdB² = 1).
 * {@link #forError}: the degree the library chooses for δF; {@link #fixedDegree}: g = 2, 3, 4 at d = 8
 * and 16. The degree, rank and both certificates of each row are printed by {@link Report}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx4g"})
public class PolynomialBench {

    /**
     * The APTI target of the issue: d = 8, n = 16384, B = 1, δF = 1e-3, β = 1/d. {@code rule}: "a-priori" is
     * {@link PolynomialAttention#forError} (g from R = βdB², the only rule before the instance bound),
     * "instance" is {@link PolynomialAttention#forProblem} (g from the instance's R' = β·max‖q‖·max‖k‖),
     * "instance-f32" the same in float32 where its rounding bound allows (else the setup fails with the refusal).
     */
    @State(Scope.Benchmark)
    public static class ForError {
        @Param({"16384"})
        public int n;
        @Param({"8"})
        public int d;
        @Param({"1e-3"})
        public double deltaF;
        @Param({"a-priori", "instance", "instance-f32"})
        public String rule;
        @Param({"1", "2"})
        public int threads;

        PolynomialAttention poly;
        double[] q;
        double[] k;
        double[] v;
        double[] out;

        @Setup
        public void setUp() {
            Apti p = Apti.random(n, d, 1.0, deltaF, 1.0 / d, 42);
            poly = method(rule, p).withThreads(threads);
            q = p.q();
            k = p.k();
            v = p.v();
            out = new double[n * d];
            System.out.println(poly.name());
        }
    }

    /** The degree rules of {@link ForError}. */
    static final String[] RULES = {"a-priori", "instance", "instance-f32"};

    /** The method a rule of {@link ForError} picks for p (one thread). */
    static PolynomialAttention method(String rule, Apti p) {
        switch (rule) {
            case "a-priori":
                return PolynomialAttention.forError(p.bound(), p.deltaF(), p.beta(), p.d());
            case "instance":
                return PolynomialAttention.forProblem(p);
            case "instance-f32":
                return PolynomialAttention.forProblem(p, PolynomialAttention.Precision.FLOAT32);
            default:
                throw new IllegalArgumentException("rule (" + rule + ") must be one of " + String.join(", ", RULES));
        }
    }

    /** Fixed degrees, one thread. */
    @State(Scope.Benchmark)
    public static class Fixed {
        @Param({"16384"})
        public int n;
        @Param({"8", "16"})
        public int d;
        @Param({"2", "3", "4"})
        public int g;

        PolynomialAttention poly;
        double[] q;
        double[] k;
        double[] v;
        double[] out;

        @Setup
        public void setUp() {
            poly = PolynomialAttention.ofDegree(d, g, 1.0 / d);
            q = Inputs.uniform(n * d, 1);
            k = Inputs.uniform(n * d, 2);
            v = Inputs.uniform(n * d, 3);
            out = new double[n * d];
        }
    }

    /**
     * Three forks: the one- and two-thread rows are read as a ratio, and on a 2-vCPU virtual machine the two-thread
     * time moves between processes by more than the ratio's margin (34.6–40.6 ms per fork in one minute, 1.78–2.19×
     * for single-fork pairs), so one fork per row made that ratio a draw of two processes.
     */
    @Benchmark
    @Fork(value = 3, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx4g"})
    public Object forError(ForError s) {
        s.poly.attend(s.n, s.n, s.d, s.d, s.q, s.k, s.v, 1.0 / s.d, s.out);
        return s.out;
    }

    @Benchmark
    public Object fixedDegree(Fixed s) {
        s.poly.attend(s.n, s.n, s.d, s.d, s.q, s.k, s.v, 1.0 / s.d, s.out);
        return s.out;
    }
}
