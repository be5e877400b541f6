package org.promptlimits.spark;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.apache.hadoop.conf.Configuration;
import org.promptlimits.memorization.MemorizationSweep;
import org.promptlimits.precision.Budget;
import org.promptlimits.sweep.Grid;
import org.promptlimits.sweep.LocalExecutor;
import org.promptlimits.sweep.SweepTable;
import tech.tablesaw.api.Table;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real Spark standalone cluster: a master and one worker as separate JVMs on 127.0.0.1. A sweep is submitted
 * from this JVM (the driver; the executors find the library in the embedded SPARK_HOME/jars and this module's
 * classes through spark.executor.extraClassPath), and the built jar is submitted with spark-submit, which ships
 * the jar and the library's jars to the executors. Runs after {@code package} (the jar must exist): Maven's
 * integration-test phase.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StandaloneClusterIT {

    @TempDir
    static Path dir;
    static StandaloneCluster cluster;
    static Table expected;

    @BeforeAll
    static void startCluster() throws Exception {
        expected = new LocalExecutor(2).run(Sweeps.MEMORIZATION, Sweeps.memorizationGrid());
        Path target = Path.of(System.getProperty("sparkHome")).getParent();
        System.setProperty("spark.executor.extraClassPath",
                target.resolve("classes") + File.pathSeparator + target.resolve("test-classes"));
        System.setProperty("spark.executor.memory", "1g");
        // two workers of one core each: a worker can die and the other carries on
        cluster = StandaloneCluster.start(Path.of(System.getProperty("sparkHome")), dir, Duration.ofSeconds(300), 2, 1);
    }

    @AfterAll
    static void stopCluster() {
        System.clearProperty("spark.executor.extraClassPath");
        System.clearProperty("spark.executor.memory");
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void sweepOnTheClusterEqualsTheLocalExecutorsAndSurvivesAnExecutorThatDies() throws IOException {
        MemorizationSweep.Setting victim = Sweeps.memorizationGrid().point(5);
        Path marker = dir.resolve("killed-once");
        KillOnce killer = new KillOnce(Sweeps.MEMORIZATION, victim, marker.toString(), 0);
        try (SparkExecutor spark = start()) {
            Table plain = spark.run(Sweeps.MEMORIZATION, Sweeps.memorizationGrid(),
                    dir.resolve("plain.parquet").toString(), false);
            assertEquals(Optional.empty(), SweepTable.firstDifference(expected, plain));

            Table retried = spark.run(killer, Sweeps.memorizationGrid(), dir.resolve("retried.parquet").toString(),
                    false);
            assertTrue(Files.exists(marker), "the first attempt at point 5 killed its executor");
            assertEquals(Optional.empty(), SweepTable.firstDifference(expected, retried));
        }
        // a worker started a third executor after one of the first two died
        try (Stream<Path> apps = Files.list(cluster.workDir)) {
            Path app = apps.filter(Files::isDirectory).findFirst().orElseThrow();
            try (Stream<Path> executors = Files.list(app)) {
                assertTrue(executors.count() >= 3, "executor directories of " + app + "\n" + cluster.workerLogs());
            }
        }
    }

    /** A session on the cluster; on failure the worker's log and its executors' stderr are in the message. */
    static SparkExecutor start() throws IOException {
        try {
            return SparkExecutor.start(cluster.url());
        } catch (IllegalStateException e) {
            StringBuilder logs = new StringBuilder(cluster.workerLogs());
            try (Stream<Path> files = Files.walk(cluster.workDir)) {
                for (Path f : files.filter(p -> p.getFileName().toString().equals("stderr")).toList()) {
                    logs.append("\n--- ").append(f).append('\n').append(Files.readString(f));
                }
            }
            throw new AssertionError(e.getMessage() + "\n" + logs, e);
        }
    }

    /**
     * {@code spark-submit --master spark://… --class org.promptlimits.spark.SweepMain --jars <the library's jars>
     * promptlimits-spark.jar memorization --grid … --out …}: the command is built by Spark's own launcher
     * ({@code org.apache.spark.launcher.Main}, what {@code bin/spark-submit} runs; the embedded SPARK_HOME has
     * the jars but not the shell scripts) and run as a process of its own; its Parquet output is read back here.
     */
    @Test
    void theBuiltJarUnderSparkSubmitWritesTheLocalExecutorsTable() throws Exception {
        Path sparkHome = Path.of(System.getProperty("sparkHome"));
        Path target = sparkHome.getParent();
        Path jar = target.resolve("promptlimits-spark.jar");
        assertTrue(Files.isRegularFile(jar), jar + " is built by 'mvn package' before this test");
        String gridText = "d: 2\nlength: 1, 2\nepsilon: 0.25\nsize: 1, 2";
        Path gridFile = Files.writeString(dir.resolve("submit-grid.txt"), gridText);
        Grid<MemorizationSweep.Setting> grid = Grid.parse(MemorizationSweep.Setting.class, gridText);
        MemorizationSweep sweep = SweepMain.memorization(1, Budget.DEFAULT);
        Table local = new LocalExecutor(2).run(sweep, grid);
        String out = dir.resolve("submitted.parquet").toString();
        String libraryJars;
        try (Stream<Path> jars = Files.list(target.resolve("app-lib"))) {
            libraryJars = String.join(",", jars.map(Path::toString).sorted().toList());
        }
        List<String> submit = List.of("org.apache.spark.deploy.SparkSubmit", "--master", cluster.url(),
                "--deploy-mode", "client", "--class", SweepMain.class.getName(), "--jars", libraryJars,
                "--conf", "spark.executor.memory=1g", "--conf", "spark.driver.memory=1g",
                jar.toString(), "memorization", "--grid", gridFile.toString(), "--out", out, "--seed", "1");
        Path log = dir.resolve("spark-submit.log");
        int code = SparkSubmit.run(sparkHome, submit, log, Duration.ofSeconds(600));
        assertEquals(0, code, "spark-submit exited with " + code + ":\n" + Files.readString(log));
        assertTrue(Files.readString(log).contains("memorization: 4 points in"), Files.readString(log));
        Table submitted = SweepTable.table("memorization", SweepTable.schema(sweep, grid),
                ParquetTable.read(SweepTable.schema(sweep, grid), out, new Configuration()));
        assertEquals(Optional.empty(), SweepTable.firstDifference(local, submitted));
    }

    /**
     * A worker that dies mid-sweep, as its machine would: the worker and its executor are killed while a task
     * runs there; Spark runs that task again on the other worker and the table is complete and identical. Runs
     * last: the cluster has one worker left afterwards.
     */
    @Test
    @Order(Integer.MAX_VALUE)
    void aWorkerThatDiesMidSweepLeavesTheTableCompleteAndIdentical() throws Exception {
        MemorizationSweep.Setting victim = Sweeps.memorizationGrid().point(2);
        Path marker = dir.resolve("paused-once");
        KillOnce paused = new KillOnce(Sweeps.MEMORIZATION, victim, marker.toString(), 120);
        try (SparkExecutor spark = start()) {
            java.util.concurrent.CompletableFuture<Table> result = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> spark.run(paused, Sweeps.memorizationGrid(), dir.resolve("worker-died.parquet").toString(),
                            false));
            long deadline = System.nanoTime() + 300_000_000_000L;
            while (!Files.exists(marker) && !result.isDone() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(Files.exists(marker), "the task at point 2 never started\n" + cluster.workerLogs());
            int dead = cluster.killWorkerRunning(Long.parseLong(Files.readString(marker).strip()));
            Table table = result.get(300, java.util.concurrent.TimeUnit.SECONDS);
            assertTrue(!cluster.workerAlive(dead), "worker " + dead + " was killed");
            assertEquals(Optional.empty(), SweepTable.firstDifference(expected, table));
        }
    }

    @Test
    void anUnreachableMasterIsAClearErrorWithinThirtySeconds() throws IOException {
        String nowhere = "spark://127.0.0.1:" + StandaloneCluster.freePort();
        IllegalArgumentException e = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> assertThrows(IllegalArgumentException.class, () -> SparkExecutor.start(nowhere)));
        assertTrue(e.getMessage().startsWith("cannot reach the Spark master " + nowhere), e.getMessage());
    }
}
