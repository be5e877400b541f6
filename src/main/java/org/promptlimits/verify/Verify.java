package org.promptlimits.verify;

import org.promptlimits.check.CheckTable;
import org.promptlimits.check.Require;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * {@code verify}: runs every result's constructions and checks headless in one JVM, prints each check table as
 * aligned text and a closing line {@code N passed, M failed}, and exits non-zero when any check fails.
 *
 * <pre>
 * usage: verify [--result ID] [--quick] [--json FILE] [--markdown FILE]
 *   --result ID      run one result (softmax, boltzmann, 2.2, quantizer, 2.4, 2.3, 2.5, 3.1/3.2; 3.1 and 3.2 also work)
 *   --quick          smaller samples and sweeps (the constructions keep their parameters), for CI
 *   --json FILE      also write every table as JSON
 *   --markdown FILE  also write every table as Markdown (for a README or a course page)
 * </pre>
 *
 * Exit status: 0 when every check holds, 1 when a check fails or a construction throws (every other result still
 * runs and prints first), 2 for a usage error (unknown option or result, unwritable output file).
 */
public final class Verify {

    /** Exit status for a usage error. */
    public static final int USAGE = 2;

    private Verify() {
    }

    /** Parsed command line. */
    record Options(List<Result> results, boolean quick, Path json, Path markdown) {
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        int status = run(args, Results.all(), System.out, System.err);
        System.out.flush();
        System.exit(status);
    }

    /**
     * Runs {@code verify} with {@code args} over {@code available} results, printing to {@code out} (tables and the
     * closing line) and {@code err} (usage errors).
     *
     * @return the exit status: 0 all hold, 1 some check failed, 2 usage error
     */
    public static int run(String[] args, List<Result> available, PrintStream out, PrintStream err) {
        Require.noNullElements("args", args);
        Require.noNullElements("available", available);
        Require.notNull("out", out);
        Require.notNull("err", err);
        Options options;
        try {
            options = parse(args, available);
        } catch (IllegalArgumentException e) {
            err.println("verify: " + e.getMessage());
            err.println(usage(available));
            return USAGE;
        }
        if (options == null) {
            out.println(usage(available));
            return 0;
        }
        Report report = new Report(options.quick());
        long start = System.nanoTime();
        double cpuStart = cpuSeconds();
        for (Result r : options.results()) {
            long t0 = System.nanoTime();
            double cpu0 = cpuSeconds();
            List<CheckTable> tables = List.of();
            Throwable error = null;
            try {
                tables = r.run().apply(options.quick());
            } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
                error = e;
            }
            Report.Outcome o = new Report.Outcome(r, tables, error, (System.nanoTime() - t0) / 1e9, cpuSeconds() - cpu0);
            report.add(o);
            out.println(Report.text(o));
            out.flush();
        }
        int status = report.failed() == 0 ? 0 : 1;
        try {
            if (options.json() != null) {
                Files.writeString(options.json(), report.json(), StandardCharsets.UTF_8);
            }
            if (options.markdown() != null) {
                Files.writeString(options.markdown(), report.markdown(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            err.println("verify: could not write the report: " + e);
            status = Math.max(status, 1);
        }
        out.println(String.format(Locale.ROOT, "total: %.1f s wall, %.1f s CPU, Java %s%s",
                (System.nanoTime() - start) / 1e9, cpuSeconds() - cpuStart, System.getProperty("java.version"),
                options.quick() ? ", --quick" : ""));
        out.println(report.summary());
        return status;
    }

    /** CPU time of this JVM so far (all threads), or NaN when the platform does not report it. */
    private static double cpuSeconds() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            long ns = os.getProcessCpuTime();
            return ns < 0 ? Double.NaN : ns / 1e9;
        }
        return Double.NaN;
    }

    static Options parse(String[] args, List<Result> available) {
        List<Result> chosen = new ArrayList<>();
        boolean quick = false;
        Path json = null;
        Path markdown = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--help", "-h" -> {
                    return null;
                }
                case "--quick" -> quick = true;
                case "--result" -> chosen.add(find(value(args, ++i, a), available));
                case "--json" -> json = once(a, json, writable(a, value(args, ++i, a)));
                case "--markdown" -> markdown = once(a, markdown, writable(a, value(args, ++i, a)));
                default -> {
                    if (a.startsWith("--result=")) {
                        chosen.add(find(a.substring("--result=".length()), available));
                    } else {
                        throw new IllegalArgumentException("unknown argument (" + a + ")");
                    }
                }
            }
        }
        if (json != null && json.equals(markdown)) {
            throw new IllegalArgumentException("--json and --markdown (" + json + ") must name different files:"
                    + " the Markdown report would overwrite the JSON one");
        }
        return new Options(chosen.isEmpty() ? available : List.copyOf(chosen), quick, json, markdown);
    }

    /** A report path given once: a second {@code --json} or {@code --markdown} used to replace the first silently. */
    private static Path once(String option, Path before, Path now) {
        if (before != null) {
            throw new IllegalArgumentException(option + " (" + now + ") is given twice (first " + before
                    + "); give it once");
        }
        return now;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    /** The result with this id; "3.1" and "3.2" select "3.1/3.2". */
    static Result find(String id, List<Result> available) {
        for (Result r : available) {
            if (r.id().equals(id) || List.of(r.id().split("/")).contains(id)) {
                return r;
            }
        }
        throw new IllegalArgumentException("--result (" + id + ") must be one of: " + ids(available));
    }

    private static String ids(List<Result> available) {
        return available.stream().map(Result::id).collect(Collectors.joining(", "));
    }

    /** The path, if a file can be written there now: its folder exists and is writable, and it is not a folder. */
    static Path writable(String option, String file) {
        Path p = Path.of(file).toAbsolutePath();
        Path dir = p.getParent();
        if (Files.isDirectory(p)) {
            throw new IllegalArgumentException(option + " (" + file + ") is a folder; give a file name");
        }
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IllegalArgumentException(option + " (" + file + ") cannot be written: folder " + dir
                    + " does not exist");
        }
        if (Files.exists(p) ? !Files.isWritable(p) : !Files.isWritable(dir)) {
            throw new IllegalArgumentException(option + " (" + file + ") cannot be written: permission denied on "
                    + (Files.exists(p) ? p : dir));
        }
        return p;
    }

    static String usage(List<Result> available) {
        return String.format(Locale.ROOT, "usage: verify [--result ID] [--quick] [--json FILE] [--markdown FILE]%n"
                + "  --result ID      run one result; ID is one of: %s (3.1 and 3.2 also work)%n"
                + "  --quick          smaller samples and sweeps, for CI%n"
                + "  --json FILE      also write every check table as JSON%n"
                + "  --markdown FILE  also write every check table as Markdown", ids(available));
    }
}
