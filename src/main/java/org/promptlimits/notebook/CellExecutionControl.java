package org.promptlimits.notebook;

import jdk.jshell.execution.LocalExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * JShell's standard in-process engine ({@code local}), keeping the value of the last executed snippet as an
 * object so that the kernel can render it (JShell itself hands back only its string form).
 *
 * <p>Snippets run on one persistent cell thread ({@link #stopCell()} says how they are stopped): on JDK 21+
 * the standard engine's stop flag, checked by snippet code at every backward branch and method entry, and an
 * interrupt, which library loops see through {@link org.promptlimits.check.Interrupts#check()}; on JDK 17
 * {@code Thread.stop}.
 */
final class CellExecutionControl extends LocalExecutionControl {

    private static final Method RUN;

    static {
        try {
            RUN = Trampoline.class.getMethod("run");
        } catch (NoSuchMethodException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * What the engine invokes in place of a snippet method: public, so the engine can call it without any
     * access override.
     */
    public static final class Trampoline {
        private Trampoline() {
        }

        public static Object run() throws Throwable {
            return CellExecutionControl.run();
        }
    }

    /** The snippet method the engine is about to run, and the value it returned. One cell runs at a time. */
    private static volatile Method snippet;
    private static volatile Object value;

    /**
     * Runs on the engine's snippet thread, in place of the snippet method: hands the snippet to the cell
     * thread, waits for it, and rethrows what it threw (a stopped snippet throws {@link ThreadDeath}, which
     * the engine reports as stopped).
     */
    private static Object run() throws Throwable {
        Method m = snippet;
        Future<Object> done = CELL.submit(() -> {
            Thread.interrupted(); // an interrupt aimed at an earlier snippet does not reach this one
            inSnippet = true;
            try {
                return m.invoke(null);
            } finally {
                inSnippet = false;
            }
        });
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    value = done.get();
                    return null; // the engine would otherwise call toString() on every value, however large
                } catch (InterruptedException e) {
                    interrupted = true; // the engine's stop (JDK 21+): the snippet ends on its own stop check
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    throw cause instanceof InvocationTargetException ? cause.getCause() : cause;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * The one thread that runs every snippet, as a cell's code expects: thread-local state (a seeded ND4J
     * random generator, for one) carries from one statement and one cell to the next. The engine's own
     * thread per snippet only waits for it.
     */
    private static volatile Thread cellThread;
    private static volatile boolean inSnippet;
    private static final ThreadGroup KERNEL_GROUP = Thread.currentThread().getThreadGroup();
    private static final ThreadPoolExecutor CELL = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(), r -> {
        // never in the engine's per-snippet thread group: the engine waits for every thread of that group
        Thread t = new Thread(KERNEL_GROUP, r, "cell");
        t.setDaemon(true);
        cellThread = t;
        return t;
    });

    static {
        CELL.prestartCoreThread();
    }

    private static final boolean THREAD_STOP = Runtime.version().feature() < 20;

    /**
     * Stops the snippet running on the cell thread. JDK 21+: the engine's stop flag ends snippet code at its
     * next backward branch, and the interrupt ends a sleep, a wait, an interruptible channel or a library
     * loop that checks {@link org.promptlimits.check.Interrupts#check()}. JDK 17: the thread is also stopped
     * ({@code Thread.stop}), which ends any code but a blocking native call.
     *
     * @return whether JShell's own stop should be called as well (it holds the flag that JDK 21+ snippets check)
     */
    @SuppressWarnings({"removal", "deprecation"})
    static boolean stopCell() {
        Thread t = cellThread;
        if (t != null && inSnippet) {
            t.interrupt();
            if (THREAD_STOP) {
                t.stop();
            }
        }
        return !THREAD_STOP;
    }

    /** Set when the kernel stops the cell: snippets that have not started yet do not start. */
    private static volatile boolean stopping;

    static void stopping(boolean stop) {
        stopping = stop;
    }

    @Override
    protected String invoke(Method doitMethod) throws Exception {
        value = null;
        if (stopping) {
            throw new StoppedException();
        }
        snippet = doitMethod;
        return super.invoke(RUN);
    }

    /** The value of the last snippet run, and forgets it. */
    static Object takeValue() {
        Object v = value;
        value = null;
        return v;
    }

    /** Registered with {@code JShell.builder().executionEngine(...)}. */
    static final class Provider implements ExecutionControlProvider {
        @Override
        public String name() {
            return "promptlimits-local";
        }

        @Override
        public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
            return new CellExecutionControl();
        }
    }
}
