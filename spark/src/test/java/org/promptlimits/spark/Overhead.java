package org.promptlimits.spark;

import org.promptlimits.memorization.MemorizationSweep;
import org.promptlimits.sweep.Grid;
import org.promptlimits.sweep.LocalExecutor;
import org.promptlimits.sweep.Sweep;
import org.promptlimits.sweep.SweepExecutor;
import org.promptlimits.sweep.SweepTable;
import tech.tablesaw.api.Table;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A measurement, not a test: Spark local[N] against the local executor with N threads on notebook 06's sweep,
 * runs alternating in one JVM (so drift in the machine's load hits both), plus the Spark session's start-up.
 * Prints wall seconds per run, the median ratio, and the process CPU seconds per run.
 *
 * <pre>java [Spark's JVM flags] -cp target/test-classes:target/classes:target/spark-home/jars/* \
 *     org.promptlimits.spark.Overhead [rounds] [threads] [maxSteps] [maxSize]</pre>
 *
 * maxSize 4 (the default) is notebook 06's grid of 32 points; a larger N grows the grid by 8 points per size.
 */
public final class Overhead {

    private Overhead() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int maxSteps = args.length > 2 ? Integer.parseInt(args[2]) : 3000;
        MemorizationSweep sweep = new MemorizationSweep(SweepMain.memorization(1).options().withMaxSteps(maxSteps),
                16, 1, 1);
        int maxSize = args.length > 3 ? Integer.parseInt(args[3]) : 4;
        String sizes = String.join(", ", java.util.stream.IntStream.rangeClosed(1, maxSize).mapToObj(Integer::toString)
                .toList());
        Grid<MemorizationSweep.Setting> grid = Grid.parse(MemorizationSweep.Setting.class,
                "d: 2, 4\nlength: 1, 2\nepsilon: 0.25, 0.1\nsize: " + sizes);
        LocalExecutor local = new LocalExecutor(threads);
        long s0 = System.nanoTime();
        try (SparkExecutor spark = SparkExecutor.start("local[" + threads + "]")) {
            System.out.printf("Spark session start: %.2f s%n", (System.nanoTime() - s0) * 1e-9);
            time("warm-up local", local, sweep, grid);
            time("warm-up spark", spark, sweep, grid);
            List<Double> ratios = new ArrayList<>();
            List<Double> cpuRatios = new ArrayList<>();
            Table reference = null;
            for (int r = 0; r < rounds; r++) {
                Result l = time("local[" + threads + " threads] round " + r, local, sweep, grid);
                Result s = time("spark local[" + threads + "] round " + r, spark, sweep, grid);
                ratios.add(s.seconds / l.seconds);
                cpuRatios.add(s.cpu / l.cpu);
                if (reference == null) {
                    reference = l.table;
                }
                Optional<String> diff = SweepTable.firstDifference(reference, s.table);
                if (diff.isPresent()) {
                    throw new IllegalStateException("tables differ: " + diff.get());
                }
            }
            ratios.sort(null);
            cpuRatios.sort(null);
            System.out.printf("%d points; spark / local wall-time ratios %s; median %.3f%n", grid.size(), ratios,
                    ratios.get(ratios.size() / 2));
            System.out.printf("spark / local CPU-time ratios %s; median %.3f%n", cpuRatios,
                    cpuRatios.get(cpuRatios.size() / 2));
        }
    }

    record Result(double seconds, double cpu, Table table) {
    }

    private static <P extends Record, R> Result time(String what, SweepExecutor ex, Sweep<P, R> sweep, Grid<P> grid) {
        double cpu0 = cpuSeconds();
        long t0 = System.nanoTime();
        Table t = ex.run(sweep, grid);
        double s = (System.nanoTime() - t0) * 1e-9;
        double cpu = cpuSeconds() - cpu0;
        System.out.printf("%-32s %8.2f s wall, %8.2f s CPU (process), %.3f points/s%n", what, s, cpu,
                grid.size() / s);
        return new Result(s, cpu, t);
    }

    private static double cpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() * 1e-9;
    }
}
