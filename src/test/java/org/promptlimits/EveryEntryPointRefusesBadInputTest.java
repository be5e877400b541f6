package org.promptlimits;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every public entry point of the library refuses bad input clearly (Guava's {@code NullPointerTester} idea, for
 * every kind of bad value): called with one bad argument and all others sane ({@link SweepValues}), it either
 * throws IllegalArgumentException / IllegalStateException / a {@code requireNonNull} NullPointerException with a
 * message that names the bad parameter, or returns a result with no NaN or infinity in it; a library object it
 * returns for a bad value must be usable too, each of its public no-argument methods (toString included) answering
 * the same way ({@link SweepWorker#exercise}). Anything else fails:
 * another exception type (NullPointerException from inside, NegativeArraySizeException, ArithmeticException,
 * IndexOutOfBounds…), a refusal without a message or without the parameter's name, a non-finite value, an
 * OutOfMemoryError in a 256 MiB heap, or no answer within the per-call limit.
 *
 * <p>Each call runs in a forked JVM ({@link SweepWorker}); a pool of workers is reused across calls and a worker
 * is replaced when it hangs or runs out of memory. New public API is swept automatically
 * ({@link EntryPoints} lists what is excluded and why). The verdict of every case is written to
 * {@code target/bad-input-sweep.txt}.
 */
class EveryEntryPointRefusesBadInputTest {

    static final int WORKERS = Integer.getInteger("promptlimits.sweep.workers", 2);
    static final long CALL_LIMIT_MILLIS = Long.getLong("promptlimits.sweep.callMillis", 60_000);
    static final String HEAP = System.getProperty("promptlimits.sweep.heap", "256m");
    /** Verdicts other than OK as they arrive, for watching a long run: {@code -Dpromptlimits.sweep.log=FILE}. */
    static final java.io.PrintStream LOG = openLog(System.getProperty("promptlimits.sweep.log"));

    private static java.io.PrintStream openLog(String file) {
        try {
            return file == null ? null : new java.io.PrintStream(new java.io.FileOutputStream(file), true, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Part of {@code mvn verify} (so of the full test command); {@code -Dpromptlimits.sweep=false} skips it in a
     * quick local loop. Two worker JVMs by default ({@code -Dpromptlimits.sweep.workers=N}).
     */
    @Test
    @DisabledIfSystemProperty(named = "promptlimits.sweep", matches = "false")
    void everyPublicEntryPointRefusesBadInputClearly() throws Exception {
        long t0 = System.nanoTime();
        List<EntryPoints.Case> cases = EntryPoints.cases();
        Map<Integer, String> verdicts = new ConcurrentHashMap<>();
        List<Thread> threads = new ArrayList<>();
        List<Throwable> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            int start = w;
            Thread t = new Thread(() -> {
                try {
                    drive(start, WORKERS, cases, verdicts);
                } catch (Throwable e) {
                    errors.add(e);
                }
            }, "sweep-" + w);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        assertTrue(errors.isEmpty(), () -> "sweep driver failed: " + errors);
        double seconds = (System.nanoTime() - t0) / 1e9;

        Map<String, List<String>> byVerdict = new TreeMap<>();
        StringBuilder report = new StringBuilder();
        for (EntryPoints.Case c : cases) {
            String v = verdicts.getOrDefault(c.index(), "FAIL no verdict");
            String kind = v.split(" ", 2)[0];
            String line = c.index() + " " + c.describe() + " -> " + v;
            byVerdict.computeIfAbsent(kind, k -> new ArrayList<>()).add(line);
            report.append(line).append('\n');
        }
        long entryPoints = cases.stream().map(EntryPoints.Case::member).distinct().count();
        String summary = String.format("bad-input sweep: %d entry points, %d calls, %.1f s; %s", entryPoints,
                cases.size(), seconds, byVerdict.entrySet().stream()
                        .map(e -> e.getKey() + " " + e.getValue().size()).collect(Collectors.joining(", ")));
        Path file = Path.of("target", "bad-input-sweep.txt");
        Files.createDirectories(file.getParent());
        Files.writeString(file, summary + "\n" + report);
        System.out.println(summary);
        java.util.Set<String> known = knownDefects();
        List<String> failures = new ArrayList<>();
        for (EntryPoints.Case c : cases) {
            String v = verdicts.getOrDefault(c.index(), "FAIL no verdict");
            if ((v.startsWith("FAIL") || v.startsWith("NONAME")) && !known.contains(EntryPoints.signature(c.member()))) {
                failures.add(c.index() + " " + c.describe() + " -> " + v);
            }
        }
        assertTrue(failures.isEmpty(), () -> summary + "\n" + String.join("\n", failures));
    }

    /**
     * Entry points with a known defect not yet fixed, one signature per line as {@link EntryPoints#signature} writes
     * it, each followed by {@code #} and the reason ({@code bad-input-sweep-known.txt}); they are not called (so a known
     * hang costs no time) and are counted as KNOWN in {@code target/bad-input-sweep.txt}. The list only shrinks.
     */
    static java.util.Set<String> knownDefects() throws IOException {
        java.util.Set<String> out = new java.util.HashSet<>();
        try (var in = EveryEntryPointRefusesBadInputTest.class.getResourceAsStream("/bad-input-sweep-known.txt")) {
            if (in == null) {
                return out;
            }
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String sig = line.replaceAll("#.*", "").trim();
                if (!sig.isEmpty()) {
                    out.add(sig);
                }
            }
        }
        return out;
    }

    /** Runs cases start, start + stride, … in a worker JVM, replacing the worker when it hangs or dies. */
    private static void drive(int start, int stride, List<EntryPoints.Case> cases, Map<Integer, String> verdicts)
            throws Exception {
        int count = cases.size();
        int next = start;
        while (next < count) {
            Process p = launch(next, stride);
            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        lines.add(line);
                    }
                } catch (IOException ignored) {
                    // the worker was killed
                }
                lines.add("EOF");
            });
            reader.setDaemon(true);
            reader.start();
            int current = -1;
            boolean started = false;
            boolean building = false;
            try {
                while (true) {
                    // JVM start-up (and loading native libraries) gets a longer allowance than one call
                    long limit = started ? CALL_LIMIT_MILLIS : CALL_LIMIT_MILLIS + 60_000;
                    String line = lines.poll(limit, TimeUnit.MILLISECONDS);
                    if (line == null) {
                        if (current < 0) {
                            throw new IllegalStateException("sweep worker did not start within " + limit + " ms");
                        }
                        verdicts.put(current, building
                                ? "SKIP building the sane receiver and arguments took over " + CALL_LIMIT_MILLIS + " ms"
                                : "FAIL hang: no answer within " + CALL_LIMIT_MILLIS + " ms");
                        if (LOG != null) {
                            synchronized (LOG) {
                                LOG.println("R " + current + " FAIL hang " + cases.get(current).describe());
                            }
                        }
                        next = current + stride;
                        break;
                    }
                    if (line.startsWith("B ")) {
                        current = Integer.parseInt(line.substring(2).trim());
                        started = true;
                        building = true;
                    } else if (line.startsWith("S ")) {
                        building = false;
                    } else if (line.startsWith("R ")) {
                        String[] parts = line.split(" ", 3);
                        verdicts.put(Integer.parseInt(parts[1]), parts.length > 2 ? parts[2] : "FAIL empty verdict");
                        if (LOG != null && !line.contains(" OK ")) {
                            synchronized (LOG) {
                                LOG.println(line + " " + cases.get(Integer.parseInt(parts[1])).describe());
                            }
                        }
                        next = Integer.parseInt(parts[1]) + stride;
                    } else if (line.equals("DONE")) {
                        next = count;
                        break;
                    } else if (line.equals("EOF")) {
                        if (current < 0) {
                            throw new IllegalStateException("sweep worker died before its first case; see "
                                    + stderrFile(start));
                        }
                        verdicts.putIfAbsent(current, "FAIL worker JVM died (exit " + p.waitFor() + ")");
                        next = current + stride;
                        break;
                    }
                }
            } finally {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static Path stderrFile(int worker) {
        return Path.of("target", "bad-input-sweep-worker-" + worker + ".err");
    }

    private static Process launch(int from, int stride) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx" + HEAP, "-XX:+UseSerialGC", "-Xshare:auto",
                "-Djava.awt.headless=true", "--add-modules", "jdk.incubator.vector",
                "-D" + EntryPoints.ONLY + "=" + System.getProperty(EntryPoints.ONLY, ".*"),
                "-cp", System.getProperty("java.class.path"), SweepWorker.class.getName(),
                Integer.toString(from), Integer.toString(stride)));
        Path err = stderrFile(from % stride);
        Files.createDirectories(err.getParent());
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(err.toFile())).start();
    }
}
