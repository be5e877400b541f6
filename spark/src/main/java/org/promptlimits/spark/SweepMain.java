package org.promptlimits.spark;

import org.promptlimits.memorization.MemorizationSweep;
import org.promptlimits.memorization.PromptTuner;
import org.promptlimits.phase.PhaseSweep;
import org.promptlimits.precision.Budget;
import org.promptlimits.quantize.DistanceSweep;
import org.promptlimits.sweep.Grid;
import org.promptlimits.sweep.LocalExecutor;
import org.promptlimits.sweep.Sweep;
import org.promptlimits.sweep.SweepTable;
import org.promptlimits.sweep.WallClock;
import tech.tablesaw.api.Table;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code scripts/sweep}: runs one of the library's sweeps on Spark and writes its table as Parquet.
 *
 * <pre>
 * sweep memorization|phase|distance [--grid FILE] [--master URL] [--out DIR] [--overwrite] [--seed N] [--local]
 *       [--csv FILE]
 * </pre>
 *
 * Without {@code --grid} each sweep runs the grid of its notebook (06, 07, 03). {@code --local} runs the same
 * sweep with the library's local executor instead (no Spark, no Parquet), for comparison. {@code --csv} also
 * writes the table (on Spark: as read back from the Parquet output) as CSV, every double exact
 * ({@link org.promptlimits.sweep.SweepTable#writeCsv}), and prints only the summary line, not the table.
 */
public final class SweepMain {

    static final String USAGE = "usage: sweep memorization|phase|distance [--grid FILE] [--master URL] [--out DIR]"
            + " [--overwrite] [--seed N] [--local] [--csv FILE]";

    private SweepMain() {
    }

    /** Parsed command line. */
    record Args(String kind, Path grid, String master, String out, boolean overwrite, Long seed, boolean local,
                Path csv) {
    }

    public static void main(String[] argv) {
        int code;
        try {
            code = run(argv);
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("sweep: " + e.getMessage());
            code = 1;
        }
        System.exit(code);
    }

    /** Runs the command line; returns the exit code (0 done, 2 usage error). */
    static int run(String[] argv) {
        Args a;
        try {
            a = parse(argv);
        } catch (IllegalArgumentException e) {
            System.err.println("sweep: " + e.getMessage() + "\n" + USAGE);
            return 2;
        }
        String text;
        try {
            text = a.grid() == null ? null : Files.readString(a.grid());
        } catch (IOException e) {
            throw new IllegalArgumentException("--grid " + a.grid() + " cannot be read: " + e.getMessage(), e);
        }
        switch (a.kind()) {
            case "memorization" -> {
                Grid<MemorizationSweep.Setting> g = Grid.parse(MemorizationSweep.Setting.class,
                        text != null ? text : "d: 2, 4\nlength: 1, 2\nepsilon: 0.25, 0.1\nsize: 1, 2, 3, 4");
                execute(a, memorization(a.seed() == null ? 1 : a.seed()), g);
            }
            case "phase" -> {
                Grid<PhaseSweep.Setting> g = Grid.parse(PhaseSweep.Setting.class,
                        text != null ? text : "d: 4\nn: 256, 1024, 4096\nbound: 0.25, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0");
                execute(a, phase(a.seed() == null ? 11 : a.seed()), g);
            }
            default -> {
                Grid<DistanceSweep.Setting> g = Grid.parse(DistanceSweep.Setting.class, text != null ? text
                        : "target: " + String.join(", ", DistanceSweep.TARGETS) + "\nd: 1, 2\nlength: 2\nepsilon: 0.5, 0.25");
                execute(a, new DistanceSweep(2, 2000, a.seed() == null ? 7 : a.seed()), g);
            }
        }
        return 0;
    }

    /** Notebook 06's experiment: Adam at rate 0.05 for up to 3,000 steps, Lp ≤ 16, one run per length. */
    static MemorizationSweep memorization(long seed) {
        return new MemorizationSweep(PromptTuner.Options.adam(0.05, 3000, 0.1, 5L), 16, 1, seed);
    }

    /** Notebook 07's sweep: δF = 0.01, β = 1/4, ranks up to 20,000, one timed run after a warm-up. */
    static PhaseSweep phase(long seed) {
        return new PhaseSweep(0.01, 0.25, Budget.DEFAULT.withMaxCells(20_000), WallClock.median(1), seed);
    }

    static Args parse(String[] argv) {
        if (argv.length == 0) {
            throw new IllegalArgumentException("no sweep named");
        }
        String kind = argv[0];
        if (!List.of("memorization", "phase", "distance").contains(kind)) {
            throw new IllegalArgumentException("unknown sweep '" + kind + "'");
        }
        Path grid = null;
        String master = null;
        String out = null;
        boolean overwrite = false;
        boolean local = false;
        Long seed = null;
        Path csv = null;
        for (int i = 1; i < argv.length; i++) {
            String flag = argv[i];
            switch (flag) {
                case "--overwrite" -> overwrite = true;
                case "--local" -> local = true;
                case "--grid", "--master", "--out", "--seed", "--csv" -> {
                    if (i + 1 >= argv.length) {
                        throw new IllegalArgumentException(flag + " needs a value");
                    }
                    String v = argv[++i];
                    switch (flag) {
                        case "--grid" -> grid = Path.of(v);
                        case "--master" -> master = v;
                        case "--out" -> out = v;
                        case "--csv" -> csv = Path.of(v);
                        default -> {
                            try {
                                seed = Long.parseLong(v);
                            } catch (NumberFormatException e) {
                                throw new IllegalArgumentException("--seed " + v + " is not an integer");
                            }
                        }
                    }
                }
                default -> throw new IllegalArgumentException("unknown option '" + flag + "'");
            }
        }
        if (local && (master != null || out != null)) {
            throw new IllegalArgumentException("--local runs without Spark: it takes no --master or --out");
        }
        if (out == null && !local) {
            out = Path.of("target", "sweeps", kind + ".parquet").toAbsolutePath().toString();
        }
        return new Args(kind, grid, master, out, overwrite, seed, local, csv);
    }

    private static <P extends Record, R> void execute(Args a, Sweep<P, R> sweep, Grid<P> grid) {
        long t0 = System.nanoTime();
        Table table;
        String where;
        if (a.local()) {
            LocalExecutor local = LocalExecutor.allCores();
            table = local.run(sweep, grid);
            where = "local executor, " + local.threads() + " threads";
        } else {
            try (SparkExecutor spark = SparkExecutor.start(a.master())) {
                long t1 = System.nanoTime();
                table = spark.run(sweep, grid, a.out(), a.overwrite());
                where = spark.session().sparkContext().master() + String.format(" (session start %.1f s)",
                        (t1 - t0) * 1e-9) + "; Parquet: " + a.out();
            }
        }
        double seconds = (System.nanoTime() - t0) * 1e-9;
        if (a.csv() == null) {
            System.out.println(table.printAll());
        } else {
            SweepTable.writeCsv(table, a.csv());
        }
        List<String> summary = new ArrayList<>();
        summary.add(sweep.name() + ": " + grid.size() + " points in " + String.format("%.1f s", seconds));
        summary.add(String.format("%.3f points/s", grid.size() / seconds));
        summary.add(where);
        System.out.println(String.join("; ", summary));
    }
}
