package org.promptlimits.notebook;

import jdk.jshell.execution.LocalExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;

/**
 * JShell's standard in-process engine ({@code local}), keeping the value of the last executed snippet as an
 * object so that the kernel can render it (JShell itself hands back only its string form).
 *
 * <p>Snippets run on one persistent cell thread ({@link #stopCell(int)} says how they are stopped): on JDK 21+
 * the standard engine's stop flag, checked by snippet code at every backward branch and method entry, and an
 * interrupt, which library loops see through {@link org.promptlimits.check.Interrupts#check()}; on JDK 17
 * {@code Thread.stop}.
 *
 * <p>A stop reaches the cell thread only while it runs a snippet of the cell being stopped: stopping and the
 * start and end of every snippet take one lock, so no stop is issued once the snippet has returned. A
 * {@code ThreadDeath} that is still on its way when the snippet returns (JDK 17 delivers it at the thread's
 * next safepoint check) lands in the cell thread's own loop, which is written to absorb it anywhere: it hands
 * snippets over with plain fields under that lock (no executor, queue or lock object whose state a
 * {@code ThreadDeath} could break half-way), completes a started snippet once, and runs a snippet that had
 * not started yet. Should the cell thread end all the same, the waiting engine thread sees it, reports the
 * snippet stopped and a new cell thread takes over.
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

    /** One snippet handed to the cell thread. Fields guarded by {@link #LOCK}. */
    private static final class Task {
        final Method method;
        final int cell;
        boolean started;
        boolean done;
        Object value;
        Throwable thrown;

        Task(Method method, int cell) {
            this.method = method;
            this.cell = cell;
        }
    }

    private static final Object LOCK = new Object();
    /** The snippet handed over and not yet done (at most one: the engine waits for each). */
    private static Task next;
    /** The snippet whose code runs now: the only one a stop may reach. */
    private static Task running;
    /** The cell the kernel runs now, and the highest cell number whose snippets are refused (stopped). */
    private static int cell;
    private static int refused = -1;
    private static Thread cellThread;
    private static ClassLoader cellLoader;
    /** The engine of the kernel's JShell, whose stop flag JDK 21+ snippet code checks. */
    private static CellExecutionControl engine;

    /** The snippet method the engine is about to run, and the value it returned. One cell runs at a time. */
    private static volatile Method snippet;
    private static volatile Object value;

    /** How often the engine's thread, waiting for a snippet, looks whether the cell thread is still alive. */
    private static final long WATCH_MILLIS = 500;

    /**
     * Runs on the engine's snippet thread, in place of the snippet method: hands the snippet to the cell
     * thread, waits for it, and rethrows what it threw (a stopped snippet throws {@link ThreadDeath}, which
     * the engine reports as stopped).
     */
    private static Object run() throws Throwable {
        Task task;
        boolean interrupted = false;
        synchronized (LOCK) {
            task = new Task(snippet, cell);
            if (cellThread == null || !cellThread.isAlive()) {
                startCellThread();
            }
            next = task;
            LOCK.notifyAll();
            while (!task.done) {
                try {
                    LOCK.wait(WATCH_MILLIS);
                } catch (InterruptedException e) {
                    interrupted = true; // the engine's stop (JDK 21+): the snippet ends on its own stop check
                }
                if (!task.done && !cellThread.isAlive()) {
                    finish(task, null, new ThreadDeath()); // the cell thread ended: reported as stopped
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (task.thrown != null) {
            throw task.thrown;
        }
        value = task.value;
        return null; // the engine would otherwise call toString() on every value, however large
    }

    /**
     * Under {@link #LOCK}: records the task's outcome (its first one), tells the waiting engine thread, and
     * clears the hand-over. Repeatable: a finish cut short by a late {@code ThreadDeath} is done again.
     */
    private static void finish(Task task, Object result, Throwable thrown) {
        if (!task.done) {
            task.value = result;
            task.thrown = thrown;
            task.done = true;
        }
        LOCK.notifyAll();
        if (running == task) {
            running = null; // no stop is issued from here on
        }
        if (next == task) {
            next = null;
        }
    }

    /**
     * The one thread that runs every snippet, as a cell's code expects: thread-local state (a seeded ND4J
     * random generator, for one) carries from one statement and one cell to the next. The engine's own
     * thread per snippet only waits for it.
     */
    private static final ThreadGroup KERNEL_GROUP = Thread.currentThread().getThreadGroup();

    static {
        synchronized (LOCK) {
            cellLoader = Thread.currentThread().getContextClassLoader();
            startCellThread();
        }
    }

    /** Under {@link #LOCK}. */
    private static void startCellThread() {
        // never in the engine's per-snippet thread group: the engine waits for every thread of that group
        Thread t = new Thread(KERNEL_GROUP, CellExecutionControl::serve, "cell");
        t.setDaemon(true);
        t.setContextClassLoader(cellLoader);
        cellThread = t;
        t.start();
    }

    /** The cell thread's loop. Anything a stop throws outside a snippet is absorbed here (see the class comment). */
    private static void serve() {
        Throwable stray = null;
        while (true) {
            try {
                Task task;
                synchronized (LOCK) {
                    while (next == null || next.done) {
                        if (next != null) {
                            finish(next, null, null); // the rest of a finish cut short
                        }
                        LOCK.wait();
                    }
                    task = next;
                    if (task.started) {
                        // something was thrown after the snippet started and before its outcome was recorded
                        finish(task, null, stray != null ? stray : new ThreadDeath());
                        continue;
                    }
                }
                stray = null;
                // a stop or interrupt aimed at an earlier snippet lands here, before this one starts (a native
                // call: a pending ThreadDeath is delivered on its return); the snippet is then taken again
                Thread.sleep(0);
                Object result = null;
                Throwable thrown = null;
                try {
                    synchronized (LOCK) {
                        task.started = true;
                        running = task; // stoppable from here
                    }
                    result = task.method.invoke(null);
                } catch (InvocationTargetException e) {
                    thrown = e.getCause();
                } catch (Throwable t) {
                    thrown = t;
                }
                synchronized (LOCK) {
                    finish(task, result, thrown);
                }
            } catch (Throwable t) {
                stray = t; // a stop that arrived outside a snippet, or an interrupt of the wait
            }
        }
    }

    private static final boolean THREAD_STOP = Runtime.version().feature() < 20;

    /** The kernel starts cell number {@code n} (increasing): its snippets run until {@link #stopCell(int)}. */
    static void startCell(int n) {
        synchronized (LOCK) {
            cell = n;
        }
    }

    /**
     * Stops cell {@code n}: its snippets that have not started do not start, and the one running is stopped.
     * JDK 21+: the engine's stop flag ends snippet code at its next backward branch, and the interrupt ends a
     * sleep, a wait, an interruptible channel or a library loop that checks
     * {@link org.promptlimits.check.Interrupts#check()}. JDK 17: the thread is also stopped
     * ({@code Thread.stop}), which ends any code but a blocking native call. Nothing happens when cell
     * {@code n} is not the one running, or none of its snippets runs at this moment.
     */
    @SuppressWarnings({"removal", "deprecation"})
    static void stopCell(int n) {
        synchronized (LOCK) {
            if (cell != n) {
                return;
            }
            refused = Math.max(refused, n);
            Task task = running;
            if (task == null || task.cell != n) {
                return;
            }
            cellThread.interrupt();
            if (THREAD_STOP) {
                cellThread.stop(); // returns once the ThreadDeath is installed; the snippet cannot end meanwhile
            } else if (engine != null) {
                try {
                    engine.stop();
                } catch (InternalException | EngineTerminationException e) {
                    KernelLog.warn("the engine's stop failed", e);
                }
            }
        }
    }

    @Override
    protected String invoke(Method doitMethod) throws Exception {
        value = null;
        synchronized (LOCK) {
            if (refused == cell) {
                throw new StoppedException();
            }
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
            CellExecutionControl control = new CellExecutionControl();
            synchronized (LOCK) {
                engine = control;
            }
            return control;
        }
    }
}
