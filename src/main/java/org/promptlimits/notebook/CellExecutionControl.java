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
 * <p>Stopping is the standard engine's own: on JDK 17 it stops the cell's thread group; on JDK 21+ snippet
 * code checks a stop flag at every backward branch and method entry, and the cell's threads are
 * interrupted, which library loops see through {@link org.promptlimits.check.Interrupts#check()}.
 */
final class CellExecutionControl extends LocalExecutionControl {

    private static final Method RUN;

    static {
        try {
            RUN = CellExecutionControl.class.getDeclaredMethod("run");
            RUN.setAccessible(true);
        } catch (NoSuchMethodException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The snippet method the engine is about to run, and the value it returned. One cell runs at a time. */
    private static volatile Method snippet;
    private static volatile Object value;

    /** Runs on the engine's snippet thread, in place of the snippet method; rethrows what the snippet throws. */
    @SuppressWarnings("unused")
    private static Object run() throws Throwable {
        cellThread = Thread.currentThread();
        try {
            value = snippet.invoke(null);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
        return null; // the engine would otherwise call toString() on every value, however large
    }

    /** The thread running the current snippet (the engine starts one per snippet). */
    private static volatile Thread cellThread;

    /**
     * Interrupts the thread running the current snippet: a sleep, a wait, an interruptible channel or a
     * library loop that checks {@link org.promptlimits.check.Interrupts#check()} then ends. JDK 21+'s engine
     * does this itself on stop; JDK 17's stops the thread instead, which cannot end a blocking call.
     */
    static void interruptCell() {
        Thread t = cellThread;
        if (t != null && t.isAlive()) {
            t.interrupt();
        }
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
