package org.promptlimits.sweep;

import org.promptlimits.check.Interrupts;
import org.promptlimits.check.Require;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the points of a sweep on threads of this JVM, one point per task, every core by default. Results land in
 * grid order whatever order the points finish in, and each point's seed depends on the point alone, so the table
 * does not depend on the number of threads. Sweeps whose timing columns matter should run on one thread.
 *
 * @param threads worker threads, ≥ 1
 */
public record LocalExecutor(int threads) implements SweepExecutor {

    public LocalExecutor {
        Require.positive("threads", threads);
    }

    /** One thread per available core. */
    public static LocalExecutor allCores() {
        return new LocalExecutor(Runtime.getRuntime().availableProcessors());
    }

    @Override
    public <P extends Record, R> Table run(Sweep<P, R> sweep, Grid<P> grid) {
        List<Column> schema = SweepTable.schema(sweep, grid);
        List<R> results = results(sweep, grid);
        List<Object[]> rows = new ArrayList<>(results.size());
        for (int i = 0; i < results.size(); i++) {
            rows.add(SweepTable.row(sweep, grid, i, sweep.seed(grid.point(i)), results.get(i)));
        }
        return SweepTable.table(sweep.name(), schema, rows);
    }

    /**
     * The results themselves, in grid order.
     *
     * @throws SweepFailure for the first point (in grid order) that threw; the other points are cancelled
     */
    public <P extends Record, R> List<R> results(Sweep<P, R> sweep, Grid<P> grid) {
        Require.notNull("sweep", sweep);
        Require.notNull("grid", grid);
        SweepTable.schema(sweep, grid);
        int n = grid.size();
        if (threads == 1 || n == 1) {
            List<R> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                Interrupts.check();
                out.add(SweepTable.result(sweep, grid, i));
            }
            return out;
        }
        AtomicInteger id = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, n), r -> {
            Thread t = new Thread(r, "sweep-" + sweep.name() + "-" + id.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<R>> futures = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(pool.submit(() -> SweepTable.result(sweep, grid, index)));
            }
            List<R> out = new ArrayList<>(n);
            for (Future<R> f : futures) {
                out.add(f.get());
            }
            return out;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Interrupts.Interrupted();
        } finally {
            pool.shutdownNow();
        }
    }
}
