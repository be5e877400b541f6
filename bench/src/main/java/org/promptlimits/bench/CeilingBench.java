package org.promptlimits.bench;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.promptlimits.attention.Parallel;

import java.util.concurrent.TimeUnit;

/**
 * The ceiling of a second thread on this machine: a pure FMA loop (12 independent accumulators of the preferred
 * double species, no memory traffic) doing a fixed amount of work on one thread or split over two, through the same
 * thread pool as the attention kernels ({@link Parallel}). Time(1 thread) / time(2 threads) is the most any
 * FMA-bound kernel can gain from the second thread here (a hypervisor's vCPUs need not give 2×).
 * {@link PolynomialThreads} times the same loop in alternation with the polynomial method ("fma").
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx4g"})
public class CeilingBench {

    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;

    /** Iterations of the loop (12 vector FMAs each) per call, split over the threads: ~50–100 ms on one core. */
    static final long ITERATIONS = 1L << 23;

    @State(Scope.Benchmark)
    public static class Threads {
        @Param({"1", "2"})
        public int threads;
    }

    @Benchmark
    public double fma(Threads s) {
        return fma(s.threads);
    }

    /** {@link #ITERATIONS} iterations of the loop on {@code threads} threads (equal shares); a sum of the results. */
    static double fma(int threads) {
        double[] sink = new double[threads];
        Parallel.shares(threads, threads, "fma", (w, from, to) -> sink[w] = loop(ITERATIONS / threads, w + 1));
        double sum = 0;
        for (double x : sink) {
            sum += x;
        }
        return sum;
    }

    /** x ← x·m + c on 12 independent vectors, {@code iterations} times (each FMA waits only on its own chain). */
    static double loop(long iterations, int seed) {
        DoubleVector m = DoubleVector.broadcast(D, 0.999999);
        DoubleVector c = DoubleVector.broadcast(D, 1e-7 * seed);
        DoubleVector x0 = DoubleVector.broadcast(D, 0.1), x1 = DoubleVector.broadcast(D, 0.2);
        DoubleVector x2 = DoubleVector.broadcast(D, 0.3), x3 = DoubleVector.broadcast(D, 0.4);
        DoubleVector x4 = DoubleVector.broadcast(D, 0.5), x5 = DoubleVector.broadcast(D, 0.6);
        DoubleVector x6 = DoubleVector.broadcast(D, 0.7), x7 = DoubleVector.broadcast(D, 0.8);
        DoubleVector x8 = DoubleVector.broadcast(D, 0.9), x9 = DoubleVector.broadcast(D, 1.0);
        DoubleVector x10 = DoubleVector.broadcast(D, 1.1), x11 = DoubleVector.broadcast(D, 1.2);
        for (long i = 0; i < iterations; i++) {
            x0 = x0.fma(m, c);
            x1 = x1.fma(m, c);
            x2 = x2.fma(m, c);
            x3 = x3.fma(m, c);
            x4 = x4.fma(m, c);
            x5 = x5.fma(m, c);
            x6 = x6.fma(m, c);
            x7 = x7.fma(m, c);
            x8 = x8.fma(m, c);
            x9 = x9.fma(m, c);
            x10 = x10.fma(m, c);
            x11 = x11.fma(m, c);
        }
        return x0.add(x1).add(x2).add(x3).add(x4).add(x5).add(x6).add(x7).add(x8).add(x9).add(x10).add(x11)
                .reduceLanes(VectorOperators.ADD);
    }
}
