package org.promptlimits.spark;

import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.ExternalClusterManager;
import org.apache.spark.sql.SparkSession;
import org.promptlimits.check.Require;
import org.promptlimits.sweep.Column;
import org.promptlimits.sweep.Grid;
import org.promptlimits.sweep.Sweep;
import org.promptlimits.sweep.SweepExecutor;
import org.promptlimits.sweep.SweepFailure;
import org.promptlimits.sweep.SweepTable;
import tech.tablesaw.api.Table;

import java.io.IOException;
import java.io.Serializable;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.ServiceLoader;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * Runs a sweep as a Spark job whose tasks evaluate grid points ({@link #tasks}: a few tasks per core, each a
 * share of the points) with {@link SweepTable#evaluate} (the code the local executor runs); the rows come back
 * to the driver and, when an output directory is given, are written as Parquet ({@link ParquetTable}) and the
 * Parquet output is read back into the {@link SweepTable}. The table is the local executor's, bit for bit.
 *
 * <p>{@link #start} creates (and {@link #close} stops) a Spark session: embedded {@code local[*]} by default, or
 * a cluster master URL ({@code spark://HOST:7077}, {@code yarn}, {@code k8s://…}). Under {@code spark-submit}
 * pass no master: the one spark-submit set is used. A {@code spark://} master that cannot be reached is refused
 * at once, and a cluster that grants no executor within {@link #REGISTRATION_SECONDS} seconds is an error, not
 * a hang.
 */
public final class SparkExecutor implements SweepExecutor, AutoCloseable {

    /** The default master: embedded Spark on every core of this machine. */
    public static final String LOCAL = "local[*]";
    /** Tasks per core of the master, see {@link #tasks}. */
    static final int TASKS_PER_CORE = 4;
    /** Seconds to wait for a spark:// master to accept a connection. */
    public static final int CONNECT_SECONDS = 5;
    /**
     * Seconds to wait for the first executor of a cluster master: system property
     * {@code promptlimits.spark.registrationSeconds}, 120 by default (an executor JVM can take half a minute to
     * start on a loaded machine).
     */
    public static final int REGISTRATION_SECONDS = Integer.getInteger("promptlimits.spark.registrationSeconds", 120);

    private final SparkSession session;
    private final boolean owned;

    private SparkExecutor(SparkSession session, boolean owned) {
        this.session = session;
        this.owned = owned;
    }

    /**
     * A session on {@code master} (null: the master spark-submit set, else {@link #LOCAL}).
     *
     * @throws IllegalArgumentException if a spark:// master does not accept a connection within
     *                                  {@link #CONNECT_SECONDS} s
     * @throws IllegalStateException    if a cluster grants no executor within {@link #REGISTRATION_SECONDS} s
     */
    public static SparkExecutor start(String master) {
        String m = master != null ? master : System.getProperty("spark.master", LOCAL);
        if (SparkSession.getDefaultSession().isDefined()
                && !SparkSession.getDefaultSession().get().sparkContext().isStopped()) {
            throw new IllegalStateException("a Spark session is already running in this JVM (master "
                    + SparkSession.getDefaultSession().get().sparkContext().master()
                    + "); run on it with SparkExecutor.on(session), or stop it first");
        }
        List<InetSocketAddress> standalone = requireMaster(m);
        if (!standalone.isEmpty()) {
            requireReachable(m, standalone);
        }
        SparkSession.Builder b = SparkSession.builder().appName("promptlimits-sweep").master(m)
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "1");
        if (m.startsWith("local") || isLoopback(m)) {
            b.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1");
        }
        if (!m.startsWith("local") && System.getProperty("spark.executor.extraJavaOptions") == null) {
            // the executors run the same kernels as the driver's JVM (the Vector API module when present)
            b.config("spark.executor.extraJavaOptions", "--add-modules=jdk.incubator.vector");
        }
        SparkSession session = b.getOrCreate();
        if (!m.startsWith("local")) {
            try {
                awaitExecutor(session.sparkContext(), m);
            } catch (RuntimeException e) {
                session.stop();
                throw e;
            }
        }
        return new SparkExecutor(session, true);
    }

    /** An executor on a session the caller owns (it is not stopped by {@link #close}). */
    public static SparkExecutor on(SparkSession session) {
        return new SparkExecutor(Require.notNull("session", session), false);
    }

    /** The session. */
    public SparkSession session() {
        return session;
    }

    /**
     * Runs the sweep and returns its table, built from the rows the job returned as the local executor builds it
     * (no Parquet output: {@link #run(Sweep, Grid, String, boolean)} writes it). A Parquet file written to a
     * temporary directory only to be read back and deleted cost a small sweep about a tenth of a CPU second (the
     * write, the read and the JIT and GC work of Hadoop's and Parquet's code), with nothing to show for it.
     */
    @Override
    public <P extends Record, R> Table run(Sweep<P, R> sweep, Grid<P> grid) {
        Require.notNull("sweep", sweep);
        Require.notNull("grid", grid);
        List<Column> schema = SweepTable.schema(sweep, grid);
        return SweepTable.table(sweep.name(), schema, compute(sweep, grid, tasks(grid.size())));
    }

    /**
     * Runs the sweep, writes its table as Parquet to {@code out} (a path or URI the driver can write to: a local
     * directory, a shared file system, HDFS or an object store) and reads it back.
     *
     * @param overwrite replace {@code out} if it exists
     * @throws IllegalArgumentException if {@code out} exists and {@code overwrite} is false (checked before any
     *                                  point runs)
     */
    public <P extends Record, R> Table run(Sweep<P, R> sweep, Grid<P> grid, String out, boolean overwrite) {
        Require.notNull("sweep", sweep);
        Require.notNull("grid", grid);
        Require.notNull("out", out);
        List<Column> schema = SweepTable.schema(sweep, grid);
        requireWritable(out, overwrite);
        List<Object[]> rows = compute(sweep, grid, tasks(grid.size()));
        ParquetTable.write(rows, schema, out, overwrite, session.sparkContext().hadoopConfiguration());
        return read(sweep.name(), schema, out);
    }

    /** Reads a sweep's Parquet output (a directory of Parquet files, as this executor or Spark writes it). */
    public Table read(String title, List<Column> schema, String out) {
        Require.notNull("title", title);
        Require.notNull("schema", schema);
        Require.notNull("out", out);
        return SweepTable.table(title, schema, ParquetTable.read(schema, out, session.sparkContext().hadoopConfiguration()));
    }

    /**
     * Tasks per sweep: {@value #TASKS_PER_CORE} per core of the master (Spark's default parallelism), at most one
     * per point. Fewer, larger tasks than points save Spark's per-task cost; several per core keep the cores
     * busy when points differ in cost, and the points are dealt to the tasks in a serpentine ({@link #points})
     * so that expensive corners of the grid spread over tasks.
     */
    int tasks(int points) {
        return Math.max(1, Math.min(points, TASKS_PER_CORE * session.sparkContext().defaultParallelism()));
    }

    /**
     * The Spark job in {@code tasks} tasks, task j evaluating the points {@link #points}(j, tasks, n).
     *
     * <p>A point the library refuses ({@link SweepFailure} caused by an {@link IllegalArgumentException}: a
     * budget, a parameter's rule) ends its task normally, carrying the refusal back as its last row: it is the same
     * on every attempt, so Spark does not retry it ({@code spark.task.maxFailures}) or log it with a stack trace,
     * and the driver throws the refusal of the first such point in grid order, as the local executor does. Any
     * other failure fails the task as usual (retried, then the job aborts), and the driver throws the
     * {@link SweepFailure} found in Spark's exception, or an {@link IllegalStateException} with Spark's message.
     */
    <P extends Record, R> List<Object[]> compute(Sweep<P, R> sweep, Grid<P> grid, int tasks) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(session.sparkContext());
        List<Integer> starts = IntStream.range(0, tasks).boxed().toList();
        int n = grid.size();
        jsc.setJobDescription("sweep " + sweep.name() + ", " + n + " points in " + tasks + " tasks");
        List<Object[]> rows;
        try {
            rows = jsc.parallelize(starts, tasks).flatMap(j -> {
                int[] points = points(j, tasks, n);
                List<Object[]> out = new ArrayList<>(points.length);
                for (int i : points) {
                    try {
                        out.add(SweepTable.evaluate(sweep, grid, i));
                    } catch (SweepFailure f) {
                        if (!(f.getCause() instanceof IllegalArgumentException)) {
                            throw f;
                        }
                        out.add(new Object[] {new Refused(i, f)});
                        break;
                    }
                }
                return out.iterator();
            }).collect();
        } catch (Exception e) { // Spark throws its checked SparkException undeclared
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof SweepFailure f) {
                    throw f;
                }
            }
            if (e instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("the Spark job of sweep " + sweep.name() + " failed: "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse(""), e);
        }
        Refused first = null;
        for (Object[] r : rows) {
            if (r.length == 1 && r[0] instanceof Refused refused && (first == null || refused.index() < first.index())) {
                first = refused;
            }
        }
        if (first != null) {
            throw first.failure();
        }
        return rows;
    }

    /** A point the library refused, as a task hands it back (see {@link #compute}). */
    private record Refused(int index, SweepFailure failure) implements Serializable {
    }

    /**
     * The points of task {@code j} of {@code tasks}: the grid is dealt in rounds of {@code tasks} points, forwards
     * in even rounds and backwards in odd ones (task j takes j, 2 tasks − 1 − j, 2 tasks + j, …). Where cost grows
     * along the grid order (a product grid's last axis is often a size), each task gets one point from each
     * stretch of cost and the tasks come out about equal, which a plain stride (j, j + tasks, …) does not give:
     * there the last task takes the most expensive point of every round.
     */
    static int[] points(int j, int tasks, int n) {
        int[] out = new int[n / tasks + 1];
        int count = 0;
        for (int round = 0; round * tasks < n; round++) {
            int i = round * tasks + (round % 2 == 0 ? j : tasks - 1 - j);
            if (i < n) {
                out[count++] = i;
            }
        }
        return Arrays.copyOf(out, count);
    }

    /**
     * Refuses an output directory that exists (unless {@code overwrite}) or cannot be created, before any point
     * runs: a directory that does not exist is created and removed again, so that a place the driver cannot write
     * to (a file in the way, no permission, no such file system) is an error now, not after the sweep.
     */
    private void requireWritable(String out, boolean overwrite) {
        org.apache.hadoop.fs.Path p;
        try {
            p = new org.apache.hadoop.fs.Path(out);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("output directory (" + out + ") must be a path or URI: " + e.getMessage(), e);
        }
        try {
            FileSystem fs = p.getFileSystem(session.sparkContext().hadoopConfiguration());
            if (fs.exists(p)) {
                Require.that(overwrite, "output directory " + out
                        + " exists; choose another or pass --overwrite (overwrite = true) to replace it");
                return;
            }
            Require.that(fs.mkdirs(p), "output directory (" + out + ") cannot be created; choose a place this driver"
                    + " can write to");
            fs.delete(p, true);
        } catch (IOException e) {
            throw new IllegalArgumentException("output directory (" + out + ") cannot be created: " + e.getMessage()
                    + "; choose a place this driver can write to", e);
        }
    }

    /**
     * Refuses a master URL Spark would not start on, with the forms it takes: {@code local}, {@code local[N]},
     * {@code local[*]} (N ≥ 1, optionally {@code [N, F]} with F task failures allowed), {@code local-cluster[...]},
     * {@code spark://HOST:PORT[,HOST:PORT…]}, or a URL of a cluster manager on the class path ({@code yarn},
     * {@code k8s://…} in a cluster's Spark distribution). Spark itself reports the others only after it has begun
     * to start, with a logged stack trace.
     *
     * @return the masters of a {@code spark://} URL, in its order (unresolved: {@link #requireReachable} looks
     * them up), else an empty list
     */
    static List<InetSocketAddress> requireMaster(String master) {
        String forms = "; use local, local[N] or local[*] (N >= 1), spark://HOST:PORT, or under a cluster's"
                + " spark-submit its own master (yarn, k8s://...)";
        if (master.startsWith("local")) {
            Require.that(LOCAL_MASTER.matcher(master).matches(), "master (" + master + ") is not a local master"
                    + " Spark accepts" + forms);
            return List.of();
        }
        if (master.startsWith("spark://")) {
            List<InetSocketAddress> masters = new ArrayList<>();
            for (String hostPort : master.substring("spark://".length()).split(",", -1)) {
                int colon = hostPort.lastIndexOf(':');
                Require.that(colon > 0, "master (" + master + ") must name HOST:PORT for each master, not '" + hostPort
                        + "'" + forms);
                String port = hostPort.substring(colon + 1);
                int number = port.matches("[0-9]{1,5}") ? Integer.parseInt(port) : 0;
                Require.that(number >= 1 && number <= 65535,
                        "master (" + master + "): port '" + port + "' must be a number in [1, 65535]");
                masters.add(InetSocketAddress.createUnresolved(hostPort.substring(0, colon), number));
            }
            return List.copyOf(masters);
        }
        for (ExternalClusterManager cm : ServiceLoader.load(ExternalClusterManager.class,
                Thread.currentThread().getContextClassLoader())) {
            if (cm.canCreate(master)) {
                return List.of();
            }
        }
        throw new IllegalArgumentException("master (" + master + ") is not a master this Spark can start: no cluster"
                + " manager on its class path takes it" + forms);
    }

    private static final Pattern LOCAL_MASTER = Pattern.compile(
            "local|local\\[(\\*|[1-9][0-9]*)(\\s*,\\s*[1-9][0-9]*)?]|local-cluster\\[\\s*[1-9][0-9]*\\s*,\\s*[1-9][0-9]*\\s*,\\s*[1-9][0-9]*\\s*]");

    /** Refuses a {@code spark://} URL none of whose {@code masters} (as {@link #requireMaster} read them) answers. */
    private static void requireReachable(String master, List<InetSocketAddress> masters) {
        List<String> failures = new ArrayList<>();
        for (InetSocketAddress hostPort : masters) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(hostPort.getHostString(), hostPort.getPort()), CONNECT_SECONDS * 1000);
                return;
            } catch (IOException e) {
                failures.add(hostPort.getHostString() + ":" + hostPort.getPort() + ": "
                        + (e instanceof UnknownHostException ? "unknown host" : e.getMessage()));
            }
        }
        throw new IllegalArgumentException("cannot reach the Spark master " + master + " within " + CONNECT_SECONDS
                + " s (" + String.join("; ", failures) + "); start the master or pass another --master");
    }

    private static boolean isLoopback(String master) {
        return master.contains("//127.0.0.1") || master.contains("//localhost");
    }

    private static void awaitExecutor(SparkContext sc, String master) {
        long deadline = System.nanoTime() + REGISTRATION_SECONDS * 1_000_000_000L;
        while (sc.statusTracker().getExecutorInfos().length < 2) {
            if (sc.isStopped()) {
                throw new IllegalStateException("the Spark master " + master + " ended the application before any"
                        + " executor registered: the address does not answer as a Spark master (another service on"
                        + " that port?), or the master rejected the application (Spark's log above says which)");
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no executor registered with the Spark master " + master + " within "
                        + REGISTRATION_SECONDS + " s: is a worker running, with enough free cores and memory?");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for executors", e);
            }
        }
    }

    @Override
    public void close() {
        if (owned) {
            session.stop();
        }
    }
}
