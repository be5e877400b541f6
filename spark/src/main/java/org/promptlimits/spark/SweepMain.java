package org.promptlimits.spark;

import org.promptlimits.memorization.MemorizationSweep;
import org.promptlimits.memorization.PromptTuner;
import org.promptlimits.phase.PhaseSweep;
import org.promptlimits.precision.Budget;
import org.promptlimits.quantize.DistanceSweep;
import org.promptlimits.sweep.Grid;
import org.promptlimits.sweep.LocalExecutor;
import org.promptlimits.sweep.Sweep;
import org.promptlimits.sweep.SweepFailure;
import org.promptlimits.sweep.SweepTable;
import org.promptlimits.sweep.WallClock;
import tech.tablesaw.api.Table;

import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code scripts/sweep}: runs one of the library's sweeps on Spark and writes its table as Parquet.
 *
 * <pre>
 * sweep memorization|phase|distance [--grid FILE] [--master URL] [--out DIR] [--overwrite] [--seed N] [--local]
 *       [--csv FILE] [--max-seconds S] [--settings FILE]
 * </pre>
 *
 * Without {@code --grid} each sweep runs the grid of its notebook (06, 07, 03). {@code --local} runs the same
 * sweep with the library's local executor instead (no Spark, no Parquet), for comparison. {@code --csv} also
 * writes the table (on Spark: as read back from the Parquet output) as CSV, every double exact
 * ({@link org.promptlimits.sweep.SweepTable#writeCsv}), and prints only the summary line, not the table.
 * {@code --max-seconds} sets the time limit of each memorization point's prompt search and each distance point's
 * samples ({@link Budget#maxSeconds()}, 60 s by default), for sweeps whose points are meant to take longer. {@code --settings FILE} runs the sweep the
 * file holds, serialized with all its settings (its options, budget and root seed), instead of the command's own:
 * notebook 09's {@link org.promptlimits.sweep.SweepCommand} runs a notebook's sweep so.
 */
public final class SweepMain {

    private SweepMain() {
    }

    public static void main(String[] argv) {
        System.exit(run(argv));
    }

    /**
     * Runs the command line; returns the exit code: 0 done, 1 a refused input (a grid file, a master, a point the
     * library refuses), 2 a usage error, 3 a sweep that failed otherwise (a point's own failure, a Spark job that
     * failed). Every error is one line on standard error ("sweep: " and the problem), never a stack trace.
     */
    static int run(String[] argv) {
        SweepArgs a;
        try {
            a = parse(argv);
        } catch (IllegalArgumentException e) {
            System.err.println(SweepArgs.usageError(e));
            return 2;
        }
        try {
            String text = a.grid() == null ? null : readGrid(a.grid());
            switch (a.kind()) {
                case "memorization" -> execute(a, sweep(a, MemorizationSweep.class, () -> memorization(
                        a.seed() == null ? 1 : a.seed(), budget(a))), grid(a,
                        MemorizationSweep.Setting.class, text, "d: 2, 4\nlength: 1, 2\nepsilon: 0.25, 0.1\nsize: 1, 2, 3, 4"));
                case "phase" -> execute(a, sweep(a, PhaseSweep.class, () -> phase(a.seed() == null ? 11 : a.seed())),
                        grid(a, PhaseSweep.Setting.class, text,
                                "d: 4\nn: 256, 1024, 4096\nbound: 0.25, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0"));
                default -> execute(a, sweep(a, DistanceSweep.class,
                        () -> new DistanceSweep(2, 2000, budget(a), a.seed() == null ? 7 : a.seed())), grid(a,
                        DistanceSweep.Setting.class, text, "target: " + String.join(", ", DistanceSweep.TARGETS)
                                + "\nd: 1, 2\nlength: 2\nepsilon: 0.5, 0.25"));
            }
            return 0;
        } catch (RuntimeException e) {
            String line = message(e);
            if (!a.kind().equals("phase") && a.settings() == null
                    && line.endsWith("or pass a Budget with a larger maxSeconds")) {
                line += " (--max-seconds S sets it for each point)";
            }
            System.err.println("sweep: " + line);
            return refused(e) ? 1 : 3;
        }
    }

    /** Each point's budget: {@link Budget#DEFAULT}, with --max-seconds as its time limit when given. */
    private static Budget budget(SweepArgs a) {
        return a.maxSeconds() == null ? Budget.DEFAULT : Budget.DEFAULT.withMaxSeconds(a.maxSeconds());
    }

    /** Whether {@code e} refuses the input (a caller's mistake), not a failure of the sweep itself. */
    static boolean refused(RuntimeException e) {
        return e instanceof IllegalArgumentException
                || e instanceof SweepFailure && e.getCause() instanceof IllegalArgumentException;
    }

    /** The one line an error is reported with: a refusal's or failure's own message, else the exception itself. */
    static String message(RuntimeException e) {
        if (e instanceof UncheckedIOException io) {
            return io.getMessage() + ": " + io.getCause().getMessage();
        }
        if (e instanceof IllegalArgumentException || e instanceof IllegalStateException || e instanceof SweepFailure) {
            return String.valueOf(e.getMessage());
        }
        return String.valueOf(e).lines().findFirst().orElse("");
    }

    /** The grid file's text, refused with the file named if it cannot be read (or is larger than the budget). */
    static String readGrid(Path file) {
        try {
            if (Files.isRegularFile(file)) {
                Budget.DEFAULT.requireArray("--grid " + file, 2, "give a smaller grid file", Files.size(file));
            }
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("--grid (" + file + ") must be a readable file: no such file", e);
        } catch (AccessDeniedException e) {
            throw new IllegalArgumentException("--grid (" + file + ") must be a readable file: permission denied", e);
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("--grid (" + file + ") must be UTF-8 text", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("--grid (" + file + ") must be a readable file: " + e.getMessage(), e);
        }
    }

    /** The sweep in --settings FILE ({@link #readSettings}), or without --settings the command's own. */
    private static <S extends Sweep<?, ?>> S sweep(SweepArgs a, Class<S> type, Supplier<S> own) {
        return a.settings() == null ? own.get() : readSettings(a.settings(), a.kind(), type);
    }

    /**
     * The classes a --settings file may hold: the library's and the JDK's own (a sweep is a record of numbers, its
     * budget and options), nothing else on this class path (Spark's, Hadoop's), at a depth and size no sweep
     * comes near.
     */
    private static final ObjectInputFilter SETTINGS_FILTER = ObjectInputFilter.Config.createFilter(
            "maxdepth=20;maxrefs=10000;maxbytes=10000000;org.promptlimits.**;java.base/*;!*");

    /**
     * The sweep a --settings file holds, serialized as {@link org.promptlimits.sweep.SweepCommand} writes it: the
     * sweep named on the command line, of the class the command runs for that name.
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it (missing, unreadable, not a
     *                                  serialized sweep, a class this JVM refuses or does not know, another sweep)
     */
    static <S extends Sweep<?, ?>> S readSettings(Path file, String kind, Class<S> type) {
        String rule = "--settings (" + file + ") must hold a serialized " + type.getSimpleName()
                + " (as SweepCommand writes it)";
        Object o;
        try (ObjectInputStream in = new ObjectInputStream(Files.newInputStream(file))) {
            in.setObjectInputFilter(SETTINGS_FILTER);
            o = in.readObject();
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(rule + ": no such file", e);
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException(rule + ": it holds a " + e.getMessage() + ", a class this JVM does not"
                    + " have (scripts/sweep runs the library's own sweeps)", e);
        } catch (IOException e) {
            throw new IllegalArgumentException(rule + ": " + e, e);
        }
        if (!type.isInstance(o)) {
            throw new IllegalArgumentException(rule + ", for sweep " + kind + "; it holds a "
                    + (o == null ? "null" : o.getClass().getName()));
        }
        return type.cast(o);
    }

    /** The grid of {@code text}, or of {@code defaultText} without --grid; a refusal names the grid file. */
    private static <P extends Record> Grid<P> grid(SweepArgs a, Class<P> type, String text, String defaultText) {
        if (text == null) {
            return Grid.parse(type, defaultText);
        }
        try {
            return Grid.parse(type, text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--grid " + a.grid() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Notebook 06's experiment: Adam at rate 0.05 for up to 3,000 steps, Lp ≤ 16, one run per length, each point's
     * search within {@code budget}.
     */
    static MemorizationSweep memorization(long seed, Budget budget) {
        return new MemorizationSweep(PromptTuner.Options.adam(0.05, 3000, 0.1, 5L), 16, 1, budget, seed);
    }

    /** Notebook 07's sweep: δF = 0.01, β = 1/4, ranks up to 20,000, one timed run after a warm-up. */
    static PhaseSweep phase(long seed) {
        return new PhaseSweep(0.01, 0.25, Budget.DEFAULT.withMaxCells(20_000), WallClock.median(1), seed);
    }

    /**
     * The smallest heap Spark's driver starts in: Spark 3.5's {@code UnifiedMemoryManager} refuses a JVM whose
     * {@link Runtime#maxMemory()} is below 1.5 × its reserved system memory of 300 MiB, ⌈1.5 · 314,572,800⌉ =
     * 471,859,200 bytes (450 MiB), the same in local mode and on a cluster's driver.
     */
    static final long MIN_HEAP = 471_859_200L;

    /**
     * Refuses a heap below {@link #MIN_HEAP} before a Spark session starts: Spark itself refuses it only after it
     * has begun to start, with a logged stack trace and advice in spark-submit's terms.
     *
     * @param heap the JVM's heap, {@link Runtime#maxMemory()}
     * @throws IllegalArgumentException if {@code heap} &lt; {@link #MIN_HEAP}, naming both (the heap rounded down to
     *                                  0.1 MiB, so that it never reads as the minimum) and how to raise it
     */
    static void requireHeap(long heap) {
        if (heap < MIN_HEAP) {
            throw new IllegalArgumentException(String.format("the JVM's heap (%.1f MiB, Runtime.maxMemory) must be at"
                    + " least %.1f MiB for Spark (1.5 x its 300 MiB reserved memory); give scripts/sweep a larger one,"
                    + " e.g. SWEEP_JAVA_OPTS=-Xmx1g (without SWEEP_JAVA_OPTS it runs java -Xmx4g; under spark-submit:"
                    + " --driver-memory 1g), or run without Spark (--local)", Math.floor(heap / 104857.6) / 10, MIN_HEAP / 1048576.0));
        }
    }

    /** The command line ({@link SweepArgs#parse}), with its --csv target checked ({@link SweepTable#requireCsvFile}). */
    static SweepArgs parse(String[] argv) {
        SweepArgs a = SweepArgs.parse(argv);
        if (a.csv() != null) {
            SweepTable.requireCsvFile("--csv", a.csv());
        }
        return a;
    }

    private static <P extends Record, R> void execute(SweepArgs a, Sweep<P, R> sweep, Grid<P> grid) {
        long t0 = System.nanoTime();
        Table table;
        String where;
        if (a.local()) {
            LocalExecutor local = LocalExecutor.allCores();
            table = local.run(sweep, grid);
            where = "local executor, " + local.threads() + " threads";
        } else {
            requireHeap(Runtime.getRuntime().maxMemory());
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
