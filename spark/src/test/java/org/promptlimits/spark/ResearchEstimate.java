package org.promptlimits.spark;

import org.promptlimits.memorization.MemorizationSweep;
import org.promptlimits.memorization.PromptTuner;
import org.promptlimits.sweep.Grid;
import org.promptlimits.sweep.LocalExecutor;
import tech.tablesaw.api.Table;

import java.lang.management.ManagementFactory;

/**
 * A measurement, not a test: the CPU cost of one replicate (one root seed) of the research-sized memorization
 * sweep, d ∈ {2, 4, 8}, L ∈ {1, 2, 4}, ε ∈ {1/4, 1/10, 1/20}, N ∈ {1, 2, 4, …, 64}, on one thread, with Adam
 * capped at {@code maxSteps} per run and Lp ≤ 16. Process CPU seconds are robust to a loaded machine where wall
 * time is not; the time of a run is linear in its steps, so a short cap scales up to the real one.
 *
 * <pre>java -cp target/test-classes:target/classes:target/spark-home/jars/* \
 *     org.promptlimits.spark.ResearchEstimate [maxSteps]</pre>
 */
public final class ResearchEstimate {

    private ResearchEstimate() {
    }

    public static void main(String[] args) {
        int maxSteps = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        Grid<MemorizationSweep.Setting> grid = Grid.parse(MemorizationSweep.Setting.class,
                "d: 2, 4, 8\nlength: 1, 2, 4\nepsilon: 0.25, 0.1, 0.05\nsize: 1, 2, 4, 8, 16, 32, 64");
        MemorizationSweep sweep = new MemorizationSweep(PromptTuner.Options.adam(0.05, maxSteps, 0.1, 5L), 16, 1, 1);
        double cpu0 = cpu();
        long t0 = System.nanoTime();
        Table t = new LocalExecutor(1).run(sweep, grid);
        double wall = (System.nanoTime() - t0) * 1e-9;
        double cpu = cpu() - cpu0;
        long steps = (long) t.intColumn("adam_steps").sum();
        System.out.printf("%d points, maxSteps %d: %.1f s CPU, %.1f s wall, %d Adam steps (%.1f µs CPU per step), "
                        + "%d of %d points memorized%n", grid.size(), maxSteps, cpu, wall, steps, cpu / steps * 1e6,
                t.booleanColumn("found").countTrue(), grid.size());
        System.out.println(t.summarize("adam_steps", tech.tablesaw.aggregate.AggregateFunctions.sum)
                .by("d", "length").printAll());
    }

    private static double cpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() * 1e-9;
    }
}
