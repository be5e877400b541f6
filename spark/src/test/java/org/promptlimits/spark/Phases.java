package org.promptlimits.spark;

import org.promptlimits.memorization.MemorizationSweep;
import org.promptlimits.precision.Budget;
import org.promptlimits.sweep.Column;
import org.promptlimits.sweep.Grid;
import org.promptlimits.sweep.LocalExecutor;
import org.promptlimits.sweep.SweepTable;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A measurement, not a test: where Spark's time goes on notebook 06's sweep, phase by phase (the job, the
 * Parquet write, the Parquet read), wall and process CPU seconds, after a warm-up, beside the local executor.
 *
 * <pre>java [Spark's JVM flags] -cp target/test-classes:target/classes:target/spark-home/jars/* \
 *     org.promptlimits.spark.Phases [rounds] [threads] [maxSteps]</pre>
 */
public final class Phases {

    private Phases() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int maxSteps = args.length > 2 ? Integer.parseInt(args[2]) : 3000;
        MemorizationSweep sweep = new MemorizationSweep(
                SweepMain.memorization(1, Budget.DEFAULT).options().withMaxSteps(maxSteps), 16, 1, 1);
        Grid<MemorizationSweep.Setting> grid = Grid.parse(MemorizationSweep.Setting.class,
                "d: 2, 4\nlength: 1, 2\nepsilon: 0.25, 0.1\nsize: 1, 2, 3, 4");
        List<Column> schema = SweepTable.schema(sweep, grid);
        Path dir = Files.createTempDirectory("phases-");
        double[] t = mark();
        try (SparkExecutor spark = SparkExecutor.start("local[" + threads + "]")) {
            print("session start", t);
            for (int r = -1; r < rounds; r++) {
                String tag = r < 0 ? "warm-up " : "round " + r + " ";
                t = mark();
                new LocalExecutor(threads).run(sweep, grid);
                print(tag + "local executor", t);
                List<Object[]> rows = null;
                for (int tasks : new int[] {grid.size(), spark.tasks(grid.size())}) {
                    t = mark();
                    rows = spark.compute(sweep, grid, tasks);
                    print(tag + "spark job, " + tasks + " tasks", t);
                }
                String out = dir.resolve("r" + r + ".parquet").toString();
                t = mark();
                ParquetTable.write(rows, schema, out, false, spark.session().sparkContext().hadoopConfiguration());
                print(tag + "parquet write", t);
                t = mark();
                spark.read(sweep.name(), schema, out);
                print(tag + "parquet read", t);
            }
        }
    }

    private static double[] mark() {
        return new double[] {System.nanoTime() * 1e-9, cpuSeconds()};
    }

    private static void print(String what, double[] start) {
        System.out.printf("%-28s %8.3f s wall %8.3f s CPU%n", what, System.nanoTime() * 1e-9 - start[0],
                cpuSeconds() - start[1]);
    }

    private static double cpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() * 1e-9;
    }
}
