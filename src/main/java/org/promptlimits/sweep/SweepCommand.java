package org.promptlimits.sweep;

import org.promptlimits.check.Require;
import tech.tablesaw.api.Table;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The repository's {@code scripts/sweep} run from this JVM as a child process: the sweep runs on Apache Spark
 * in a JVM of its own, so Spark never enters this JVM's class path (the notebook kernel's). The child writes
 * the table as Parquet, reads the Parquet back with Spark and hands that table over as CSV
 * ({@link SweepTable#writeCsv}, every double exact), which {@link #spark} reads into a {@link SweepTable}.
 */
public final class SweepCommand {

    /** The script, relative to the repository. */
    public static final String SCRIPT = "scripts/sweep";
    private static final int TAIL = 40;
    /** How {@value #SCRIPT} starts the one line of a refusal on standard error. */
    private static final String REFUSAL = "sweep: ";

    private SweepCommand() {
    }

    /**
     * The repository that holds {@value #SCRIPT}: the working directory or the nearest folder above it.
     *
     * @throws IllegalStateException if there is none
     */
    public static Path repository() {
        Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path p = start; p != null; p = p.getParent()) {
            if (Files.isExecutable(p.resolve(SCRIPT))) {
                return p;
            }
        }
        throw new IllegalStateException("no " + SCRIPT + " in the working directory " + start
                + " or a folder above it: start the notebook server from a checkout of the repository");
    }

    /**
     * Runs {@code scripts/sweep NAME --grid FILE --settings FILE --master MASTER --out OUT --overwrite --csv
     * OUT.csv}, where NAME is the sweep's name and the settings file holds {@code sweep} itself, serialized: the
     * command runs this sweep with all its settings (a {@code MemorizationSweep}'s options and {@code Budget}, so
     * each point's time limit; a {@code DistanceSweep}'s samples; the root seed), not the one
     * {@code scripts/sweep NAME} runs by default. The command's standard output is printed as it comes, and the
     * table the command read back from its Parquet output is returned. A budget's {@code maxBytes}, half of this
     * JVM's heap by default, is the one limit that belongs to a JVM rather than to the sweep: the child checks the
     * sweep's, whatever its own heap.
     *
     * @param sweep    the sweep: {@code memorization}, {@code phase} or {@code distance}, serializable (the
     *                 library's sweeps are records of their settings)
     * @param type     the sweep's point record
     * @param gridText the grid, as {@link Grid#parse} reads it (parsed here first, so a bad grid fails at once)
     * @param master   a Spark master URL: {@code local[*]}, {@code local[2]}, {@code spark://HOST:7077}
     * @param out      the Parquet output directory, replaced if it exists
     * @throws IllegalArgumentException if the command refuses the sweep (exit status 1, a refused input such as a
     *                                  point over its budget, or 2, a usage error), with the command's one-line
     *                                  message, or if {@code sweep} cannot be serialized
     * @throws IllegalStateException    if the command fails otherwise (a failed sweep, a crash, a signal); the message
     *                                  holds the end of its error output
     */
    public static <P extends Record> Table spark(Sweep<P, ?> sweep, Class<P> type, String gridText, String master,
                                                 Path out) {
        Path root = repository();
        return spark(List.of(root.resolve(SCRIPT).toString()), root, sweep, type, gridText, master, out);
    }

    /** {@link #spark(Sweep, Class, String, String, Path)} with {@code command} for scripts/sweep, run in {@code dir}. */
    static <P extends Record> Table spark(List<String> command, Path dir, Sweep<P, ?> sweep, Class<P> type,
                                          String gridText, String master, Path out) {
        Require.notNull("sweep", sweep);
        Require.notNull("master", master);
        Require.that(!master.isBlank(), "master (blank) must name a Spark master, e.g. local[*]");
        Require.notNull("out", out);
        Require.notNull("gridText", gridText);
        Grid<P> grid = Grid.parse(type, gridText);
        Path absOut = out.toAbsolutePath().normalize();
        Require.that(absOut.getParent() != null, "out (" + out + ") must name a directory to create, not a root");
        Path csv = absOut.resolveSibling(absOut.getFileName() + ".csv");
        try {
            Files.createDirectories(absOut.getParent());
        } catch (IOException e) {
            throw new IllegalArgumentException("out (" + out + ") must be in a directory this JVM can create: "
                    + (e instanceof FileAlreadyExistsException ? e.getMessage() + " is a file"
                    : e instanceof AccessDeniedException ? e.getMessage() + ": permission denied" : e.toString()), e);
        }
        Path gridFile = null;
        Path settings = null;
        try {
            gridFile = Files.createTempFile(absOut.getParent(), "grid-", ".txt");
            Files.writeString(gridFile, gridText);
            settings = Files.createTempFile(absOut.getParent(), "sweep-", ".ser");
            writeSettings(sweep, settings);
            Files.deleteIfExists(csv);
            List<String> full = new ArrayList<>(command);
            full.addAll(List.of(sweep.name(), "--grid", gridFile.toString(), "--settings", settings.toString(),
                    "--master", master, "--out", absOut.toString(), "--overwrite", "--csv", csv.toString()));
            run(full, dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the sweep's files beside " + absOut + ": " + e, e);
        } finally {
            for (Path p : new Path[] {gridFile, settings}) {
                if (p != null) {
                    p.toFile().delete();
                }
            }
        }
        return SweepTable.readCsv(sweep.name(), SweepTable.schema(sweep, grid), csv);
    }

    /** Writes {@code sweep} as {@code scripts/sweep --settings FILE} reads it: the object, Java-serialized. */
    private static void writeSettings(Sweep<?, ?> sweep, Path file) throws IOException {
        try (ObjectOutputStream o = new ObjectOutputStream(Files.newOutputStream(file))) {
            o.writeObject(sweep);
        } catch (NotSerializableException e) {
            throw new IllegalArgumentException("sweep (" + sweep.name() + ", " + sweep.getClass().getName()
                    + ") must be serializable to run in scripts/sweep's JVM: " + e.getMessage() + " is not", e);
        }
    }

    /**
     * Runs the command; standard output is printed line by line, the end of standard error is kept. Exit status 1 or
     * 2 with a line {@code sweep: PROBLEM} on standard error ({@code scripts/sweep}'s refusal of its input) is an
     * IllegalArgumentException with PROBLEM; any other non-zero status an IllegalStateException with the end of
     * standard error.
     */
    static void run(List<String> command, Path dir) {
        Process p;
        try {
            p = new ProcessBuilder(command).directory(dir.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command.get(0), e);
        }
        Deque<String> errors = new ArrayDeque<>();
        Thread drain = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    synchronized (errors) {
                        errors.addLast(line);
                        if (errors.size() > TAIL) {
                            errors.removeFirst();
                        }
                    }
                }
            } catch (IOException e) {
                // the process ended; what was read is kept
            }
        }, "sweep-stderr");
        drain.setDaemon(true);
        drain.start();
        int code;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                System.out.println(line);
            }
            code = p.waitFor();
            drain.join(5_000);
        } catch (IOException e) {
            throw new UncheckedIOException("lost the output of " + command.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + SCRIPT + " ran; it was stopped", e);
        } finally {
            if (p.isAlive()) { // interrupted or stopped: take the child (and its JVM) down too
                p.descendants().forEach(ProcessHandle::destroy);
                p.destroy();
            }
        }
        if (code != 0) {
            List<String> tail;
            synchronized (errors) {
                tail = new ArrayList<>(errors);
            }
            if (code == 1 || code == 2) {
                for (int i = tail.size() - 1; i >= 0; i--) {
                    if (tail.get(i).startsWith(REFUSAL)) {
                        throw new IllegalArgumentException(SCRIPT + " refused the sweep: "
                                + tail.get(i).substring(REFUSAL.length()));
                    }
                }
            }
            throw new IllegalStateException(SCRIPT + " exited with status " + code + ":\n" + String.join("\n", tail));
        }
    }
}
