package org.promptlimits.spark;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The command line of {@code scripts/sweep} ({@link SweepMain}), read and checked by rules that need nothing but
 * the JDK: this file depends on no other class, so {@code scripts/sweep} runs it from its source
 * ({@code java SweepArgs.java ARGS}) to refuse a mistyped command line before it rebuilds a stale jar, and
 * {@link SweepMain} reads its command line with it. Checks that need the library (the {@code --csv} target, the
 * grid file) are {@link SweepMain}'s, after this one.
 *
 * @param kind       the sweep: memorization, phase or distance
 * @param grid       --grid FILE, or null for the sweep's own grid
 * @param master     --master URL, or null for the default
 * @param out        --out DIR (default target/sweeps/KIND.parquet), null with --local
 * @param overwrite  --overwrite
 * @param seed       --seed N, or null for the sweep's own root seed
 * @param local      --local
 * @param csv        --csv FILE, or null
 * @param maxSeconds --max-seconds S (memorization and distance), or null
 * @param settings   --settings FILE, the sweep itself (serialized, as notebook 09's SweepCommand writes it) to run
 *                   instead of the command's own, or null
 */
record SweepArgs(String kind, Path grid, String master, String out, boolean overwrite, Long seed, boolean local,
                 Path csv, Double maxSeconds, Path settings) {

    static final String USAGE = "usage: sweep memorization|phase|distance [--grid FILE] [--master URL] [--out DIR]"
            + " [--overwrite] [--seed N] [--local] [--csv FILE] [--max-seconds S] [--settings FILE]";

    /**
     * Checks a command line only: exit status 0 if {@link #parse} takes it, else 2 with {@link #usageError}'s lines
     * on standard error (what {@link SweepMain} prints for it).
     */
    public static void main(String[] argv) {
        try {
            parse(argv);
        } catch (IllegalArgumentException e) {
            System.err.println(usageError(e));
            System.exit(2);
        }
    }

    /** The lines a refused command line is reported with: "sweep: " and the problem, then the usage. */
    static String usageError(IllegalArgumentException e) {
        return "sweep: " + e.getMessage() + "\n" + USAGE;
    }

    /**
     * Reads a command line.
     *
     * @throws IllegalArgumentException naming the option, its value and the rule (an unknown sweep or option, an
     *                                  option without its value or given twice, a value out of its range, options
     *                                  that exclude each other)
     */
    static SweepArgs parse(String[] argv) {
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
        Double maxSeconds = null;
        Path settings = null;
        Map<String, String> given = new HashMap<>();
        for (int i = 1; i < argv.length; i++) {
            String flag = argv[i];
            switch (flag) {
                case "--overwrite" -> overwrite = true;
                case "--local" -> local = true;
                case "--grid", "--master", "--out", "--seed", "--csv", "--max-seconds", "--settings" -> {
                    if (i + 1 >= argv.length) {
                        throw new IllegalArgumentException(flag + " needs a value");
                    }
                    String v = argv[++i];
                    if (v.isEmpty()) {
                        throw new IllegalArgumentException(flag + " ('') must not be empty");
                    }
                    String before = given.putIfAbsent(flag, v);
                    if (before != null) {
                        throw new IllegalArgumentException(flag + " is given twice ('" + before + "' and '" + v
                                + "'); give it once");
                    }
                    switch (flag) {
                        case "--grid" -> grid = Path.of(v);
                        case "--master" -> master = v;
                        case "--out" -> out = v;
                        case "--csv" -> csv = Path.of(v);
                        case "--max-seconds" -> maxSeconds = seconds(v);
                        case "--settings" -> settings = Path.of(v);
                        default -> {
                            try {
                                seed = Long.parseLong(v);
                            } catch (NumberFormatException e) {
                                throw new IllegalArgumentException("--seed (" + v + ") must be an integer in ["
                                        + Long.MIN_VALUE + ", " + Long.MAX_VALUE + "]");
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
        if (maxSeconds != null && kind.equals("phase")) {
            throw new IllegalArgumentException("--max-seconds sets the time limit of a memorization or distance"
                    + " point; phase takes none (its points are limited by rank)");
        }
        for (String setting : List.of("--seed", "--max-seconds")) {
            if (settings != null && given.containsKey(setting)) {
                throw new IllegalArgumentException(setting + " (" + given.get(setting) + ") is a setting of the sweep,"
                        + " and --settings " + settings + " holds the sweep with all of its settings; give one or the"
                        + " other");
            }
        }
        if (out == null && !local) {
            out = Path.of("target", "sweeps", kind + ".parquet").toAbsolutePath().toString();
        }
        if (csv != null && out != null
                && csv.toAbsolutePath().normalize().equals(Path.of(out).toAbsolutePath().normalize())) {
            throw new IllegalArgumentException("--csv (" + csv + ") must not be the --out directory (" + out
                    + "); give the CSV table a file of its own");
        }
        return new SweepArgs(kind, grid, master, out, overwrite, seed, local, csv, maxSeconds, settings);
    }

    /** The value of --max-seconds: a finite number of seconds &gt; 0. */
    private static double seconds(String v) {
        double s;
        try {
            s = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            s = Double.NaN;
        }
        if (!(s > 0 && s < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("--max-seconds (" + v + ") must be a finite number of seconds > 0");
        }
        return s;
    }
}
