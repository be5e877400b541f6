package org.promptlimits.bench;

import org.promptlimits.attention.Apti;
import org.promptlimits.attention.exact.BlockedAttention;
import org.promptlimits.attention.fast.PolynomialAttention;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The same rows on two JVMs in alternating processes (A, B, A, B, …, the same class path and flags), so that a
 * difference between the JDKs is not drift of the machine's load between two passes. Each process warms every row
 * up for a fixed time, then times {@code rounds} rounds, each round {@code calls} calls of every row in turn, by wall
 * time, the calling thread's CPU time and the process's CPU time; a process reports each row's medians, and the
 * driver prints per row and JVM the median over the processes with min–max, and B / A per adjacent pair (median,
 * min–max and how many pairs above 1).
 *
 * <pre>java -cp ... org.promptlimits.bench.JdkAlternation PAIRS JAVA_A JAVA_B [OUT.json] [key=value ...]</pre>
 * keys: rows (comma-separated, default all of {@link #ROWS}; also exact-f32-n1024, exact-f32-n4096, the n = 16384 rows
 * exact-f64-n16384 and exact-f32-n16384 (0.4–1.2 s a call on one thread: give them calls=1), any exact row on
 * two threads with the suffix -2t (exact-f64-n4096-2t, …), the polynomial method in float32 poly-g6-f32-1t and
 * poly-g6-f32-2t, and its two phases apart, poly-g6-keys and poly-g6-queries, on two threads poly-g6-keys-2t and
 * poly-g6-queries-2t, in float32 poly-g6-f32-keys, poly-g6-f32-queries and their -2t rows), warm
 * (seconds per row, default 3), rounds (default 7), calls (default 3),
 * flags (extra JVM flags for both, space-separated).
 */
public final class JdkAlternation {

    /** Rows: exact attention d = 64 float64 one thread; the polynomial target d = 8, n = 16384, δF = 1e-3. */
    static final List<String> ROWS = List.of("exact-f64-n1024", "exact-f64-n4096", "poly-g6-1t", "poly-g6-2t");

    private JdkAlternation() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("child")) {
            child(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length < 3) {
            throw new IllegalArgumentException("usage: JdkAlternation PAIRS JAVA_A JAVA_B [OUT.json] [key=value ...]");
        }
        int pairs = BenchArgs.wholeNumber("PAIRS", args[0], 1, 10_000);
        String[] java = {BenchArgs.javaExecutable("JAVA_A", args[1]), BenchArgs.javaExecutable("JAVA_B", args[2])};
        String json = args.length > 3 && !args[3].contains("=") ? args[3] : null;
        Map<String, String> opt = new LinkedHashMap<>(Map.of("rows", String.join(",", ROWS), "warm", "3",
                "rounds", "7", "calls", "3", "flags", ""));
        for (int i = json == null ? 3 : 4; i < args.length; i++) {
            String a = args[i];
            String key = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
            if (!opt.containsKey(key) || !a.contains("=")) {
                throw new IllegalArgumentException("argument " + (i + 1) + " (" + a + ") must be key=value with a key"
                        + " from " + opt.keySet());
            }
            opt.put(key, a.substring(a.indexOf('=') + 1));
        }
        BenchArgs.seconds("warm", opt.get("warm"));
        BenchArgs.wholeNumber("rounds", opt.get("rounds"), 1, 1_000_000);
        BenchArgs.wholeNumber("calls", opt.get("calls"), 1, 1_000_000);
        String[] rows = opt.get("rows").split(",");
        // results[jvm][row][process] = {wall, thread cpu, process cpu} medians (ms per call)
        double[][][][] res = new double[2][rows.length][pairs][];
        String[] version = new String[2];
        StringBuilder log = new StringBuilder();
        for (int p = 0; p < pairs; p++) {
            for (int j = 0; j < 2; j++) {
                List<String> cmd = new ArrayList<>(List.of(java[j], "--add-modules", "jdk.incubator.vector", "-Xmx4g"));
                for (String f : opt.get("flags").split(" ")) {
                    if (!f.isBlank()) {
                        cmd.add(f);
                    }
                }
                cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), JdkAlternation.class.getName(), "child",
                        opt.get("rows"), opt.get("warm"), opt.get("rounds"), opt.get("calls")));
                String loadBefore = load();
                int jvm = j;
                int pair = p;
                ChildJvm.run(cmd, "child on " + java[j], line -> {
                    if (line.startsWith("version ")) {
                        version[jvm] = line.substring(8);
                    } else if (line.startsWith("row ")) {
                        String[] f = line.split(" ");
                        int row = Arrays.asList(rows).indexOf(f[1]);
                        res[jvm][row][pair] = new double[] {Double.parseDouble(f[2]), Double.parseDouble(f[3]),
                                Double.parseDouble(f[4])};
                    } else {
                        System.out.println("  " + line);
                    }
                });
                String msg = String.format(Locale.ROOT, "pair %d %s (load %s -> %s):", p + 1, version[j], loadBefore, load());
                for (int row = 0; row < rows.length; row++) {
                    double[] x = res[j][row][p];
                    msg += String.format(Locale.ROOT, " %s wall %.2f cpu %.2f proc %.2f;", rows[row], x[0], x[1], x[2]);
                }
                System.out.println(msg);
                log.append(log.length() > 0 ? ",\n" : "\n").append(String.format(Locale.ROOT,
                        "{\"pair\": %d, \"jvm\": \"%s\", \"load_before\": \"%s\", \"medians_ms\": {", p + 1, version[j], loadBefore));
                for (int row = 0; row < rows.length; row++) {
                    double[] x = res[j][row][p];
                    log.append(String.format(Locale.ROOT, "%s\"%s\": {\"wall\": %.3f, \"thread_cpu\": %.3f, \"process_cpu\": %.3f}",
                            row > 0 ? ", " : "", rows[row], x[0], x[1], x[2]));
                }
                log.append("}}");
            }
        }
        System.out.println("## medians over " + pairs + " processes per JVM (min–max); B / A per adjacent pair");
        System.out.println("A = " + version[0] + ", B = " + version[1]);
        String[] what = {"wall", "thread CPU", "process CPU"};
        for (int row = 0; row < rows.length; row++) {
            for (int m = 0; m < 3; m++) {
                double[] a = new double[pairs];
                double[] b = new double[pairs];
                double[] ratio = new double[pairs];
                for (int p = 0; p < pairs; p++) {
                    a[p] = res[0][row][p][m];
                    b[p] = res[1][row][p][m];
                    ratio[p] = b[p] / a[p];
                }
                int above = 0;
                for (double x : ratio) {
                    above += x > 1 ? 1 : 0;
                }
                System.out.printf(Locale.ROOT, "%-16s %-11s A %s ms  B %s ms  B/A %s, %d of %d pairs above 1%n", rows[row],
                        what[m], median(a), median(b), median(ratio), above, pairs);
            }
        }
        for (String tier : new String[] {"", "f32-"}) {
            int one = Arrays.asList(rows).indexOf("poly-g6-" + tier + "1t");
            int two = Arrays.asList(rows).indexOf("poly-g6-" + tier + "2t");
            if (one < 0 || two < 0) {
                continue;
            }
            for (int j = 0; j < 2; j++) {
                double[] speedUp = new double[pairs];
                double[] bound = new double[pairs];
                for (int p = 0; p < pairs; p++) {
                    speedUp[p] = res[j][one][p][0] / res[j][two][p][0];
                    bound[p] = 2 * res[j][one][p][2] / res[j][two][p][2];
                }
                System.out.printf(Locale.ROOT, "polynomial%s two threads / one on %s: by wall %s, bound by process CPU %s%n",
                        tier.isEmpty() ? "" : " float32", version[j], median(speedUp), median(bound));
            }
        }
        if (json != null) {
            Files.writeString(Path.of(json), "{\"a\": \"" + version[0] + "\", \"b\": \"" + version[1] + "\", \"options\": \""
                    + opt + "\", \"processes\": [" + log + "\n]}\n");
        }
    }

    /** One process: warm every row up, then rounds of calls of every row in turn; prints each row's medians. */
    private static void child(String[] args) {
        String[] names = args[0].split(",");
        double warm = Double.parseDouble(args[1]);
        int rounds = Integer.parseInt(args[2]);
        int calls = Integer.parseInt(args[3]);
        Runnable[] rows = new Runnable[names.length];
        for (int i = 0; i < names.length; i++) {
            rows[i] = row(names[i]);
        }
        System.out.println("version " + System.getProperty("java.vm.vendor").split(" ")[0] + "-" + System.getProperty("java.version"));
        for (Runnable r : rows) {
            long end = System.nanoTime() + (long) (warm * 1e9);
            do {
                r.run();
            } while (System.nanoTime() < end);
        }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        double[][][] t = new double[names.length][3][rounds];
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < names.length; i++) {
                long c0 = mx.getCurrentThreadCpuTime();
                long p0 = os.getProcessCpuTime();
                long w0 = System.nanoTime();
                for (int c = 0; c < calls; c++) {
                    rows[i].run();
                }
                t[i][0][round] = (System.nanoTime() - w0) / 1e6 / calls;
                t[i][1][round] = (mx.getCurrentThreadCpuTime() - c0) / 1e6 / calls;
                t[i][2][round] = (os.getProcessCpuTime() - p0) / 1e6 / calls;
            }
        }
        for (int i = 0; i < names.length; i++) {
            System.out.printf(Locale.ROOT, "row %s %.4f %.4f %.4f%n", names[i], med(t[i][0]), med(t[i][1]), med(t[i][2]));
        }
    }

    private static Runnable row(String name) {
        switch (name) {
            case "exact-f64-n1024":
            case "exact-f64-n4096":
            case "exact-f32-n1024":
            case "exact-f32-n4096":
            case "exact-f64-n1024-2t":
            case "exact-f64-n4096-2t":
            case "exact-f32-n1024-2t":
            case "exact-f32-n4096-2t":
            case "exact-f64-n16384":
            case "exact-f32-n16384":
            case "exact-f64-n16384-2t":
            case "exact-f32-n16384-2t": {
                boolean two = name.endsWith("-2t");
                int n = Integer.parseInt(name.substring(name.indexOf("-n") + 2, name.length() - (two ? 3 : 0)));
                int d = 64;
                double beta = 1 / Math.sqrt(d);
                BlockedAttention a = BlockedAttention.of(BlockedAttention.Backend.AUTO, two ? 2 : 1);
                double[] q = Inputs.uniform(n * d, 1);
                double[] k = Inputs.uniform(n * d, 2);
                double[] v = Inputs.uniform(n * d, 3);
                if (name.contains("f32")) {
                    float[] qf = Inputs.toFloat(q);
                    float[] kf = Inputs.toFloat(k);
                    float[] vf = Inputs.toFloat(v);
                    float[] out = new float[n * d];
                    return () -> a.attend(n, n, d, d, qf, kf, vf, beta, out);
                }
                double[] out = new double[n * d];
                return () -> a.attend(n, n, d, d, q, k, v, beta, out);
            }
            case "poly-g6-1t":
            case "poly-g6-2t":
            case "poly-g6-f32-1t":
            case "poly-g6-f32-2t":
            case "poly-g6-f32-keys":
            case "poly-g6-f32-queries":
            case "poly-g6-f32-keys-2t":
            case "poly-g6-f32-queries-2t":
            case "poly-g6-keys":
            case "poly-g6-queries":
            case "poly-g6-keys-2t":
            case "poly-g6-queries-2t": {
                int n = 16384;
                int d = 8;
                Apti p = Apti.random(n, d, 1.0, 1e-3, 1.0 / d, 42);
                PolynomialAttention m = (name.contains("f32") ? PolynomialAttention.forProblem(p,
                        PolynomialAttention.Precision.FLOAT32) : PolynomialAttention.forProblem(p))
                        .withThreads(name.endsWith("-2t") ? 2 : 1);
                if (m.degree() != 6) {
                    throw new IllegalStateException("expected g = 6 for the polynomial target, got " + m.name());
                }
                // the two phases of a call, timed apart: all keys against one block of queries (S), and all queries
                // against one block of keys (the queries' monomials times S)
                int few = m.rowsPerBlock();
                int nq = name.contains("-keys") ? few : n;
                int mk = name.contains("-queries") ? few : n;
                double[] q = Arrays.copyOf(p.q(), nq * d);
                double[] k = Arrays.copyOf(p.k(), mk * d);
                double[] v = Arrays.copyOf(p.v(), mk * d);
                double[] out = new double[nq * d];
                return () -> m.attend(nq, mk, d, d, q, k, v, p.beta(), out);
            }
            default:
                throw new IllegalArgumentException("row (" + name + ") must be one of " + ROWS
                        + " or exact-f32-n1024, exact-f32-n4096, exact-f64-n16384, exact-f32-n16384, an exact row with -2t"
                        + " (two threads), poly-g6-f32-1t,"
                        + " poly-g6-f32-2t, poly-g6-keys, poly-g6-queries, poly-g6-keys-2t, poly-g6-queries-2t, or those"
                        + " phases in float32 (poly-g6-f32-keys, …)");
        }
    }

    private static double med(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** "median (min–max)". */
    private static String median(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        return String.format(Locale.ROOT, "%.3g (%.3g–%.3g)", med(x), s[0], s[s.length - 1]);
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }
}
