package org.promptlimits.spark;

import org.promptlimits.memorization.MemorizationSweep;
import org.promptlimits.memorization.PromptSearch;
import org.promptlimits.precision.Budget;
import org.promptlimits.sweep.Grid;
import org.promptlimits.sweep.LocalExecutor;
import org.promptlimits.sweep.Sweep;
import org.promptlimits.sweep.SweepExecutor;
import org.promptlimits.sweep.SweepTable;
import tech.tablesaw.api.Table;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;
import java.util.stream.IntStream;

/**
 * A measurement, not a test: Spark local[N] against the local executor with N threads on notebook 06's sweep,
 * in one JVM with one Spark session, warm-up runs of each (one by default), then rounds of one run each whose order alternates
 * (so drift in the machine's load hits both). Prints per run the wall seconds, the process CPU seconds and the
 * CPU seconds spent inside the points ({@link Sweep#run} on its thread), and at the end the medians and ranges
 * of the ratios and of each executor's CPU beyond the points (scheduling, serialisation, Parquet, the JIT and GC)
 * and the load average before and after.
 *
 * <pre>java [Spark's JVM flags] -cp target/test-classes:target/classes:target/spark-home/jars/* \
 *     org.promptlimits.spark.Overhead [rounds] [threads] [maxSteps] [maxSize] [warmups]</pre>
 *
 * maxSize 4 (the default) is notebook 06's grid of 32 points; a larger N grows the grid by 8 points per size.
 */
public final class Overhead {

    private static final AtomicLong POINT_NANOS = new AtomicLong();

    private Overhead() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int maxSteps = args.length > 2 ? Integer.parseInt(args[2]) : 3000;
        Metered<MemorizationSweep.Setting, PromptSearch.Result> sweep = new Metered<>(new MemorizationSweep(
                SweepMain.memorization(1, Budget.DEFAULT).options().withMaxSteps(maxSteps), 16, 1, 1));
        int maxSize = args.length > 3 ? Integer.parseInt(args[3]) : 4;
        String sizes = String.join(", ", IntStream.rangeClosed(1, maxSize).mapToObj(Integer::toString).toList());
        Grid<MemorizationSweep.Setting> grid = Grid.parse(MemorizationSweep.Setting.class,
                "d: 2, 4\nlength: 1, 2\nepsilon: 0.25, 0.1\nsize: " + sizes);
        double load0 = load();
        LocalExecutor local = new LocalExecutor(threads);
        long s0 = System.nanoTime();
        try (SparkExecutor spark = SparkExecutor.start("local[" + threads + "]")) {
            System.out.printf("Spark session start: %.2f s; load average %.1f%n", (System.nanoTime() - s0) * 1e-9,
                    load0);
            int warmups = args.length > 4 ? Integer.parseInt(args[4]) : 1;
            for (int w = 0; w < warmups; w++) {
                time("warm-up local " + w, local, sweep, grid);
                time("warm-up spark " + w, spark, sweep, grid);
            }
            List<Result> locals = new ArrayList<>();
            List<Result> sparks = new ArrayList<>();
            Table reference = null;
            for (int r = 0; r < rounds; r++) {
                Result l;
                Result s;
                if (r % 2 == 0) {
                    l = time("local[" + threads + " threads] round " + r, local, sweep, grid);
                    s = time("spark local[" + threads + "] round " + r, spark, sweep, grid);
                } else {
                    s = time("spark local[" + threads + "] round " + r, spark, sweep, grid);
                    l = time("local[" + threads + " threads] round " + r, local, sweep, grid);
                }
                locals.add(l);
                sparks.add(s);
                if (reference == null) {
                    reference = l.table;
                }
                Optional<String> diff = SweepTable.firstDifference(reference, s.table);
                if (diff.isPresent()) {
                    throw new IllegalStateException("tables differ: " + diff.get());
                }
            }
            System.out.printf("%d points, %d rounds, load average %.1f before and %.1f after%n", grid.size(), rounds,
                    load0, load());
            summary("local wall s", locals, Result::seconds);
            summary("spark wall s", sparks, Result::seconds);
            summary("local CPU s", locals, Result::cpu);
            summary("spark CPU s", sparks, Result::cpu);
            summary("local CPU s beyond the points", locals, Result::beyond);
            summary("spark CPU s beyond the points", sparks, Result::beyond);
            summary("spark - local, CPU s beyond the points", IntStream.range(0, rounds)
                    .mapToDouble(i -> sparks.get(i).beyond() - locals.get(i).beyond()).toArray());
            summary("spark / local, wall", IntStream.range(0, rounds)
                    .mapToDouble(i -> sparks.get(i).seconds / locals.get(i).seconds).toArray());
            summary("spark / local, CPU", IntStream.range(0, rounds)
                    .mapToDouble(i -> sparks.get(i).cpu / locals.get(i).cpu).toArray());
        }
    }

    /** A sweep that adds the CPU time its points take on their threads to {@link #POINT_NANOS}. */
    record Metered<P extends Record, R>(Sweep<P, R> inner) implements ForwardingSweep<P, R> {
        @Override
        public R run(P point, long seed) {
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            long t0 = mx.getCurrentThreadCpuTime();
            try {
                return inner.run(point, seed);
            } finally {
                POINT_NANOS.addAndGet(mx.getCurrentThreadCpuTime() - t0);
            }
        }
    }

    record Result(double seconds, double cpu, double points, Table table) {
        double beyond() {
            return cpu - points;
        }
    }

    private static <P extends Record, R> Result time(String what, SweepExecutor ex, Sweep<P, R> sweep, Grid<P> grid) {
        double cpu0 = cpuSeconds();
        POINT_NANOS.set(0);
        long t0 = System.nanoTime();
        Table t = ex.run(sweep, grid);
        double s = (System.nanoTime() - t0) * 1e-9;
        double cpu = cpuSeconds() - cpu0;
        double points = POINT_NANOS.get() * 1e-9;
        System.out.printf("%-32s %8.2f s wall, %8.2f s CPU (process), %8.2f s CPU in the points, %.3f points/s%n",
                what, s, cpu, points, grid.size() / s);
        return new Result(s, cpu, points, t);
    }

    private static void summary(String what, List<Result> results, ToDoubleFunction<Result> f) {
        summary(what, results.stream().mapToDouble(f).toArray());
    }

    private static void summary(String what, double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        System.out.printf("%-40s median %.3f, range %.3f to %.3f%n", what, v[v.length / 2], v[0], v[v.length - 1]);
    }

    private static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static double cpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() * 1e-9;
    }
}
