package org.promptlimits.spark;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * spark-submit without its shell scripts: Spark's launcher ({@code org.apache.spark.launcher.Main}, from
 * SPARK_HOME/jars) builds the full driver command — class path, memory, the Java flags Spark needs — and prints
 * it as NUL-separated words after a line holding a single NUL; the command then runs as a process of its own.
 */
final class SparkSubmit {

    private SparkSubmit() {
    }

    /**
     * Runs {@code org.apache.spark.launcher.Main args} and then the command it prints; output of both goes to
     * {@code log}. Returns the command's exit code.
     *
     * @throws IllegalStateException if the launcher fails or the command runs longer than {@code limit}
     */
    static int run(Path sparkHome, List<String> args, Path log, Duration limit) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> launcher = new ArrayList<>(List.of(java, "-Xmx128m", "-cp",
                sparkHome.resolve("jars") + File.separator + "*", "org.apache.spark.launcher.Main"));
        launcher.addAll(args);
        ProcessBuilder lb = new ProcessBuilder(launcher).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        environment(lb, sparkHome);
        Process l = lb.start();
        String printed = new String(l.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!l.waitFor(120, TimeUnit.SECONDS) || l.exitValue() != 0) {
            l.destroyForcibly();
            throw new IllegalStateException("Spark's launcher failed: " + printed);
        }
        int start = printed.indexOf("\0\n");
        if (start < 0) {
            throw new IllegalStateException("Spark's launcher printed no command: " + printed);
        }
        List<String> words = new ArrayList<>();
        for (String w : printed.substring(start + 2).split("\0")) {
            if (!w.isEmpty()) {
                words.add(w.strip());
            }
        }
        Map<String, String> env = new HashMap<>();
        if (!words.isEmpty() && words.get(0).equals("env")) { // the launcher passes variables through env(1)
            words.remove(0);
            while (!words.isEmpty() && words.get(0).contains("=") && !words.get(0).startsWith("-")) {
                String kv = words.remove(0);
                env.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
            }
        }
        ProcessBuilder pb = new ProcessBuilder(words).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        environment(pb, sparkHome);
        pb.environment().putAll(env);
        Process p = pb.start();
        try {
            if (!p.waitFor(limit.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException("spark-submit ran longer than " + limit);
            }
            return p.exitValue();
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    private static void environment(ProcessBuilder pb, Path sparkHome) {
        pb.environment().put("SPARK_HOME", sparkHome.toString());
        pb.environment().put("SPARK_SCALA_VERSION", "2.12");
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        pb.environment().put("SPARK_LOCAL_HOSTNAME", "localhost");
    }
}
