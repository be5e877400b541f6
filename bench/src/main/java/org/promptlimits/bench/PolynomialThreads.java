package org.promptlimits.bench;

import org.promptlimits.attention.Apti;
import org.promptlimits.attention.fast.PolynomialAttention;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * One thread against two on the polynomial method's APTI target (d = 8, n = 16384, B = 1, δF = 1e-3, β = 1/d),
 * as ratios inside one JVM: each round times {@code calls} calls on one thread and {@code calls} on two, in
 * alternating order (1, 2 then 2, 1), by wall time and by the process's CPU time. The CPU ratio
 * 2·CPU(1 thread)/CPU(2 threads) bounds the wall speed-up a quiet machine can show.
 *
 * <pre>java [-Drows=R] -cp ... org.promptlimits.bench.PolynomialThreads ROUNDS CALLS [OUT.json or -] [RULE...]</pre>
 * ({@code -Drows} fixes the rows per block, {@link PolynomialAttention#withRowsPerBlock}; float32 rules take 2R).
 * RULE is a rule of {@link PolynomialBench} or "fma": {@link CeilingBench}'s FMA loop, the ceiling of the second
 * thread, timed the same way (default: fma, instance, instance-f32).
 *
 * <p>Each rule runs in a JVM of its own (the same JVM, flags and class path), one after the other, as a program that
 * uses one arithmetic tier does: on JDK 17 the Vector API code run earlier in a process changes how C2 compiles the
 * code run later (bench/RESULTS.md: the exact float64 kernel ran 1.4–1.5× slower after the float32 polynomial
 * method), so rules timed one after another in one JVM measured a history no user's process has.
 */
public final class PolynomialThreads {

    /** Set in a rule's own JVM: it prints its JSON for the JVM that started it. */
    private static final String CHILD = "promptlimits.bench.child";

    /** Where the FMA loop's result goes, so that the compiler cannot drop the loop. */
    static volatile double sink;

    private PolynomialThreads() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        String rounds = args.length > 0 ? args[0] : "9";
        String calls = args.length > 1 ? args[1] : "4";
        String json = args.length > 2 && !args[2].equals("-") ? args[2] : null;
        String[] rules = args.length > 3 ? Arrays.copyOfRange(args, 3, args.length)
                : new String[] {"fma", "instance", "instance-f32"};
        if (Boolean.getBoolean(CHILD)) {      // a rule's own JVM: its JSON object for the parent, on one line
            System.out.println("json " + time(Integer.parseInt(rounds), Integer.parseInt(calls), rules[0]));
            return;
        }
        BenchArgs.wholeNumber("ROUNDS", rounds, 1, 1_000_000);
        BenchArgs.wholeNumber("CALLS", calls, 1, 1_000_000);
        StringBuilder all = new StringBuilder("[");
        for (String rule : rules) {
            all.append(all.length() > 1 ? ",\n" : "\n").append(child(rounds, calls, rule));
        }
        all.append("\n]\n");
        if (json != null) {
            Files.writeString(Path.of(json), all);
        }
    }

    /** Times one rule in this JVM, one thread against two; prints its line and returns its JSON object. */
    private static String time(int rounds, int calls, String rule) {
        int n = 16384;
        int d = 8;
        Apti p = Apti.random(n, d, 1.0, 1e-3, 1.0 / d, 42);
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        Runnable[] m;
        String name;
        int rowsPerBlock;
        if (rule.equals("fma")) {
            m = new Runnable[] {() -> sink = CeilingBench.fma(1), () -> sink = CeilingBench.fma(2)};
            name = "FMA loop, " + CeilingBench.ITERATIONS + " x 12 vector FMAs";
            rowsPerBlock = 0;
        } else {
            PolynomialAttention chosen = PolynomialBench.method(rule, p);
            String forced = System.getProperty("rows");
            if (forced != null) {
                int r = Integer.parseInt(forced);
                boolean f32 = chosen.precision() == PolynomialAttention.Precision.FLOAT32;
                chosen = chosen.withRowsPerBlock(f32 ? 2 * r : r);
            }
            PolynomialAttention one = chosen;
            PolynomialAttention two = one.withThreads(2);
            double[] o = new double[n * d];
            // the inputs copied once, outside the timed calls (Apti's accessors return copies: three 1 MiB copies
            // per call were serial work inside every call, as JMH's state and JdkAlternation do not have)
            double[] q = p.q();
            double[] k = p.k();
            double[] v = p.v();
            m = new Runnable[] {() -> one.attend(n, n, d, d, q, k, v, p.beta(), o),
                    () -> two.attend(n, n, d, d, q, k, v, p.beta(), o)};
            name = one.name() + ", " + one.backend() + ", " + one.rowsPerBlock() + " rows per block";
            rowsPerBlock = one.rowsPerBlock();
        }
        for (int w = 0; w < 8; w++) {
            for (Runnable x : m) {
                x.run();
            }
        }
        String loadBefore = load();
        List<double[]> rows = new ArrayList<>();   // wall 1, cpu 1, wall 2, cpu 2 (ms per call)
        for (int r = 0; r < rounds; r++) {
            double[] row = new double[4];
            for (int k = 0; k < 2; k++) {
                int t = (r % 2 == 0) ? k : 1 - k;
                long c0 = os.getProcessCpuTime();
                long w0 = System.nanoTime();
                for (int c = 0; c < calls; c++) {
                    m[t].run();
                }
                row[2 * t] = (System.nanoTime() - w0) / 1e6 / calls;
                row[2 * t + 1] = (os.getProcessCpuTime() - c0) / 1e6 / calls;
            }
            rows.add(row);
        }
        String loadAfter = load();
        double[] wall = rows.stream().mapToDouble(x -> x[0] / x[2]).toArray();
        double[] cpu = rows.stream().mapToDouble(x -> 2 * x[1] / x[3]).toArray();
        String line = String.format(Locale.ROOT, "%s (%s): two threads / one by wall %s, bound by CPU %s; one thread"
                        + " %s ms wall, %s ms CPU; two threads %s ms wall, %s ms CPU in all; %d rounds of %d calls;"
                        + " load %s -> %s", rule, name, median(wall), median(cpu),
                median(column(rows, 0)), median(column(rows, 1)), median(column(rows, 2)), median(column(rows, 3)),
                rounds, calls, loadBefore, loadAfter);
        System.out.println(line);
        return String.format(Locale.ROOT,
                "{\"rule\": \"%s\", \"method\": \"%s\", \"rows_per_block\": %d, \"calls\": %d, \"load_before\": \"%s\", \"load_after\": \"%s\","
                        + " \"rounds_ms\": %s}", rule, name, rowsPerBlock, calls, loadBefore, loadAfter, rowsJson(rows));
    }

    /** One rule in a JVM of its own (this JVM's executable, flags and class path); prints its line, returns its JSON. */
    private static String child(String rounds, String calls, String rule) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.add("-D" + CHILD + "=true");
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), PolynomialThreads.class.getName(), rounds, calls,
                "-", rule));
        String[] json = {null};
        ChildJvm.run(cmd, "the JVM timing rule " + rule, line -> {
            if (line.startsWith("json ")) {
                json[0] = line.substring(5);
            } else {
                System.out.println(line);
            }
        });
        if (json[0] == null) {
            throw new IllegalStateException("the JVM timing rule " + rule + " printed no result");
        }
        return json[0];
    }

    private static double[] column(List<double[]> rows, int c) {
        return rows.stream().mapToDouble(x -> x[c]).toArray();
    }

    /** "median (min–max)". */
    private static String median(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        double med = s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
        return String.format(Locale.ROOT, "%.3g (%.3g–%.3g)", med, s[0], s[s.length - 1]);
    }

    private static String rowsJson(List<double[]> rows) {
        StringBuilder b = new StringBuilder("[");
        for (double[] r : rows) {
            b.append(b.length() > 1 ? ", " : "").append(String.format(Locale.ROOT,
                    "{\"wall1\": %.3f, \"cpu1\": %.3f, \"wall2\": %.3f, \"cpu2\": %.3f}", r[0], r[1], r[2], r[3]));
        }
        return b.append("]").toString();
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }
}
