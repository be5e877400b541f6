package org.promptlimits.spark;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Spark standalone master and its workers, each a JVM of its own, bound to 127.0.0.1 on free ports. Closing it
 * (or the JVM exiting) stops them all and every executor JVM a worker started.
 */
final class StandaloneCluster implements AutoCloseable {

    final int port;
    final Path workDir;
    private final Path logs;
    private final List<Process> processes = new ArrayList<>();
    private final Thread hook = new Thread(this::stopAll, "stop-standalone-cluster");

    private StandaloneCluster(int port, Path workDir, Path logs) {
        this.port = port;
        this.workDir = workDir;
        this.logs = logs;
    }

    /**
     * Starts the master, then {@code workers} workers (each {@code cores} cores, 2 GiB, logs worker0, worker1, …),
     * and waits until every worker has registered.
     */
    static StandaloneCluster start(Path sparkHome, Path dir, Duration timeout, int workers, int cores)
            throws IOException, InterruptedException {
        StandaloneCluster c = new StandaloneCluster(freePort(), Files.createDirectories(dir.resolve("work")),
                Files.createDirectories(dir.resolve("logs")));
        Runtime.getRuntime().addShutdownHook(c.hook);
        try {
            c.launch(sparkHome, "master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                    "--port", "" + c.port, "--webui-port", "" + freePort());
            c.await("master", "Starting Spark master", timeout);
            for (int w = 0; w < workers; w++) { // the workers start side by side
                c.launch(sparkHome, "worker" + w, "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
                        "--port", "" + freePort(), "--webui-port", "" + freePort(), "--cores", "" + cores,
                        "--memory", "2g", "--work-dir", c.workDir.toString(), c.url());
            }
            for (int w = 0; w < workers; w++) {
                c.await("worker" + w, "Successfully registered with master", timeout);
            }
            return c;
        } catch (IOException | InterruptedException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    String url() {
        return "spark://127.0.0.1:" + port;
    }

    /**
     * Kills, as a machine failure would, the worker that runs the JVM with process id {@code pid} (an executor)
     * together with every process it started. Returns the worker's index.
     *
     * @throws IllegalStateException if no worker runs that process
     */
    synchronized int killWorkerRunning(long pid) {
        for (int i = 1; i < processes.size(); i++) { // 0 is the master
            Process p = processes.get(i);
            if (p.descendants().anyMatch(h -> h.pid() == pid)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                return i - 1;
            }
        }
        throw new IllegalStateException("no worker runs process " + pid);
    }

    /** Whether worker {@code w} is still running. */
    synchronized boolean workerAlive(int w) {
        return processes.get(w + 1).isAlive();
    }

    /** The logs of every worker so far (for failure messages). */
    String workerLogs() {
        StringBuilder all = new StringBuilder();
        for (int w = 0; w < processes.size() - 1; w++) {
            all.append("--- worker").append(w).append('\n').append(log("worker" + w));
        }
        return all.toString();
    }

    /** A log so far (for failure messages). */
    String log(String name) {
        try {
            return Files.readString(logs.resolve(name + ".log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private void launch(Path sparkHome, String name, String mainClass, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx512m");
        for (String opt : System.getProperty("sparkOpens", "").split("\\s+")) {
            if (!opt.isBlank()) {
                cmd.add(opt);
            }
        }
        cmd.add("-cp");
        cmd.add(sparkHome.resolve("jars") + File.separator + "*");
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(logs.resolve(name + ".log").toFile());
        pb.environment().put("SPARK_HOME", sparkHome.toString());
        pb.environment().put("SPARK_SCALA_VERSION", "2.12");
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        pb.environment().put("SPARK_LOCAL_HOSTNAME", "localhost");
        processes.add(pb.start());
    }

    /** Waits until process {@code name} (launched in this order: master, worker0, worker1, …) logs {@code line}. */
    private void await(String name, String line, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Process p = processes.get(name.equals("master") ? 0 : 1 + Integer.parseInt(name.substring("worker".length())));
        while (!log(name).contains(line)) {
            if (!p.isAlive()) {
                throw new IllegalStateException(name + " exited (" + p.exitValue() + "):\n" + log(name));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " did not log '" + line + "' within " + timeout + ":\n" + log(name));
            }
            Thread.sleep(200);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    /** Stops the worker (which stops its executors), then the master; anything left is killed. */
    private synchronized void stopAll() {
        List<ProcessHandle> all = new ArrayList<>();
        for (int i = processes.size() - 1; i >= 0; i--) {
            Process p = processes.get(i);
            all.addAll(p.descendants().toList());
            all.add(p.toHandle());
            p.destroy();
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
        for (ProcessHandle h : all) {
            h.destroyForcibly();
        }
        processes.clear();
    }

    @Override
    public void close() {
        stopAll();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run
        }
    }
}
