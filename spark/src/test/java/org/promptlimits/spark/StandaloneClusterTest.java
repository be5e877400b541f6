package org.promptlimits.spark;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.promptlimits.memorization.MemorizationSweep;
import org.promptlimits.sweep.LocalExecutor;
import org.promptlimits.sweep.SweepTable;
import tech.tablesaw.api.Table;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real Spark standalone cluster: a master and one worker as separate JVMs on 127.0.0.1, the sweep submitted
 * from this JVM (the driver). The executors find the library in the embedded SPARK_HOME/jars and this module's
 * classes through spark.executor.extraClassPath (one machine; on a cluster, spark-submit ships the jars).
 */
class StandaloneClusterTest {

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
        cluster = StandaloneCluster.start(Path.of(System.getProperty("sparkHome")), dir, Duration.ofSeconds(300));
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
        KillOnce killer = new KillOnce(Sweeps.MEMORIZATION, victim, marker.toString());
        try (SparkExecutor spark = start()) {
            Table plain = spark.run(Sweeps.MEMORIZATION, Sweeps.memorizationGrid(),
                    dir.resolve("plain.parquet").toString(), false);
            assertEquals(Optional.empty(), SweepTable.firstDifference(expected, plain));

            Table retried = spark.run(killer, Sweeps.memorizationGrid(), dir.resolve("retried.parquet").toString(),
                    false);
            assertTrue(Files.exists(marker), "the first attempt at point 5 killed its executor");
            assertEquals(Optional.empty(), SweepTable.firstDifference(expected, retried));
        }
        // the worker started a second executor after the first died
        try (Stream<Path> apps = Files.list(cluster.workDir)) {
            Path app = apps.filter(Files::isDirectory).findFirst().orElseThrow();
            try (Stream<Path> executors = Files.list(app)) {
                assertTrue(executors.count() >= 2, "executor directories of " + app + "\n" + cluster.log("worker"));
            }
        }
    }

    /** A session on the cluster; on failure the worker's log and its executors' stderr are in the message. */
    static SparkExecutor start() throws IOException {
        try {
            return SparkExecutor.start(cluster.url());
        } catch (IllegalStateException e) {
            StringBuilder logs = new StringBuilder(cluster.log("worker"));
            try (Stream<Path> files = Files.walk(cluster.workDir)) {
                for (Path f : files.filter(p -> p.getFileName().toString().equals("stderr")).toList()) {
                    logs.append("\n--- ").append(f).append('\n').append(Files.readString(f));
                }
            }
            throw new AssertionError(e.getMessage() + "\n" + logs, e);
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
