package org.promptlimits.notebook;

import jdk.jshell.DeclarationSnippet;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.UnresolvedReferenceException;
import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.JupyterIO;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.comm.CommManager;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.util.StringStyler;
import org.dflib.jjava.jupyter.messages.KernelTimestamp;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.publish.PublishDisplayData;
import org.dflib.jjava.jupyter.messages.publish.PublishError;
import org.dflib.jjava.jupyter.messages.publish.PublishExecuteInput;
import org.dflib.jjava.jupyter.messages.publish.PublishExecuteResult;
import org.dflib.jjava.jupyter.messages.reply.ErrorReply;
import org.dflib.jjava.jupyter.messages.reply.ExecuteReply;
import org.dflib.jjava.jupyter.messages.reply.InterruptReply;
import org.dflib.jjava.jupyter.messages.request.ExecuteRequest;
import org.dflib.jjava.jupyter.messages.request.InterruptRequest;
import org.promptlimits.check.Interrupts;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The notebooks' Java kernel (kernelspec {@code java}): the Jupyter protocol of {@code jjava-jupyter}, JShell
 * as the evaluator, with JShell's standard in-process engine ({@link CellExecutionControl}).
 *
 * <ul>
 *   <li>Interrupt ({@code interrupt_request}) stops the running cell ({@link CellExecutionControl#stopCell(int)}):
 *   snippet code always stops; library code stops where it checks {@link Interrupts#check()} (JDK 21+) or
 *   anywhere (JDK 17, where the cell's thread is stopped). The cell ends with an error saying it was
 *   interrupted; what was defined before survives, and the stop never reaches the next cell.</li>
 *   <li>Output streams while the cell runs, batched ({@link CellOutput}).</li>
 *   <li>A per-cell time limit in seconds comes from the environment variable {@value #TIMEOUT_ENV}
 *   (headless runs set it; unset means none).</li>
 *   <li>Every result carries {@code text/plain} ({@link Display}).</li>
 * </ul>
 */
public final class NotebookKernel extends BaseKernel {

    static final String TIMEOUT_ENV = "PROMPTLIMITS_CELL_TIMEOUT";

    /**
     * Evaluated before the first cell: the packages that JJava and other Java kernels import at start (so
     * that notebooks move between them), and {@code display(x)}.
     */
    private static final List<String> STARTUP = List.of(
            "import java.util.*;", "import java.io.*;", "import java.math.*;", "import java.net.*;",
            "import java.util.concurrent.*;", "import java.util.prefs.*;", "import java.util.regex.*;",
            "import static org.promptlimits.notebook.Display.display;");

    private enum Stop { NONE, INTERRUPT, TIMEOUT }

    private final CellOutput output;
    private final CompletableFuture<JShell> shell;
    private final long timeoutSeconds;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cell-timer");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger count = new AtomicInteger(1);
    /** The cell that runs (numbered from 1), whether it runs, and the stop asked for it. */
    private final Object cellLock = new Object();
    private int cellNumber;
    private boolean running;
    private Stop stop = Stop.NONE;
    /** When and by which client session the running cell was requested (null: the header did not say). */
    private Instant requestedAt;
    private String requestSession;
    /** The last interrupt request that arrived while no cell ran: when and by which session it was sent. */
    private Instant idleStopAt;
    private String idleStopSession;

    private NotebookKernel(CellOutput output, long timeoutSeconds) {
        super("promptlimits-java", "1", new LanguageInfo.Builder("java")
                        .version(Runtime.version().toString())
                        .mimetype("text/x-java-source")
                        .fileExtension(".jshell")
                        .pygments("java")
                        .codemirror("text/x-java")
                        .build(),
                List.of(), null, new JupyterIO(StandardCharsets.UTF_8), new CommManager(), new Renderer(),
                null, null, false, new StringStyler.Builder().build());
        this.output = output;
        this.timeoutSeconds = timeoutSeconds;
        this.shell = CompletableFuture.supplyAsync(NotebookKernel::startShell);
    }

    /** Creates JShell on the kernel's class path and runs the start-up snippets. */
    private static JShell startShell() {
        JShell jshell = JShell.builder()
                .executionEngine(new CellExecutionControl.Provider(), null)
                .out(System.out)
                .err(System.err)
                .build();
        jshell.addToClasspath(System.getProperty("java.class.path"));
        for (String s : STARTUP) {
            for (SnippetEvent e : jshell.eval(s)) {
                if (e.status() == Snippet.Status.REJECTED) {
                    throw new IllegalStateException("start-up snippet rejected: " + s + " "
                            + jshell.diagnostics(e.snippet()).map(d -> d.getMessage(Locale.ROOT)).toList());
                }
            }
        }
        return jshell;
    }

    private JShell jshell() {
        return shell.join();
    }

    // ---------------------------------------------------------------- execution

    @Override
    protected synchronized void handleExecuteRequest(ShellReplyEnvironment env, Message<ExecuteRequest> request) {
        int cell;
        synchronized (cellLock) {
            cell = ++cellNumber;
            running = true;
            stop = Stop.NONE;
            requestedAt = sentAt(request);
            requestSession = request.getHeader().getSessionId();
            if (sentBefore(requestedAt, requestSession, idleStopAt, idleStopSession)) {
                stop = Stop.INTERRUPT; // the interrupt overtook this request, which was sent before it
            }
            idleStopAt = null;
            idleStopSession = null;
        }
        commManager.setMessageContext(request);
        ExecuteRequest content = request.getContent();
        int n = content.isSilent() ? count.get() : count.getAndIncrement();
        env.setBusyDeferIdle();
        output.startCell(env);
        output.publish(new Message<>(env.getContext(), PublishExecuteInput.MESSAGE_TYPE,
                new PublishExecuteInput(content.getCode(), n)));
        Display.sink(data -> output.publish(new Message<>(env.getContext(), PublishDisplayData.MESSAGE_TYPE,
                new PublishDisplayData(data))));
        ScheduledFuture<?> limit = null;
        CellError error = null;
        Object result = null;
        boolean hasResult = false;
        Stop why;
        try {
            JShell jshell = jshell(); // the limit counts from here: the first cell may wait for JShell's start
            CellExecutionControl.startCell(cell);
            if (timeoutSeconds > 0) {
                limit = timer.schedule(() -> requestStop(Stop.TIMEOUT, null, null), timeoutSeconds, TimeUnit.SECONDS);
            }
            SourceCodeAnalysis sca = jshell.sourceCodeAnalysis();
            String remaining = content.getCode();
            while (stopAsked() == Stop.NONE) {
                SourceCodeAnalysis.CompletionInfo info = sca.analyzeCompletion(remaining);
                if (info.completeness() == SourceCodeAnalysis.Completeness.EMPTY) {
                    break;
                }
                if (!info.completeness().isComplete()) {
                    error = new CellError("IncompleteSource", "the cell ends inside a statement",
                            List.of("incomplete: " + info.remaining().strip()));
                    break;
                }
                remaining = info.remaining();
                Evaluated ev = evalSnippet(jshell, info.source());
                hasResult = ev.hasValue;
                result = ev.value;
            }
        } catch (CellError e) {
            error = e;
        } catch (RuntimeException e) {
            error = new CellError(e.getClass().getName(), String.valueOf(e.getMessage()), trace(e));
        } finally {
            synchronized (cellLock) {
                running = false;
                why = stop;
            }
            if (limit != null) {
                limit.cancel(false);
            }
        }
        if (why != Stop.NONE) {
            error = why == Stop.TIMEOUT
                    ? new CellError("CellTimeout", "the cell ran longer than its " + timeoutSeconds + " s limit ("
                    + TIMEOUT_ENV + ") and was stopped", List.of())
                    : new CellError("Interrupted", "the cell was interrupted; what earlier cells defined is kept",
                    List.of());
            hasResult = false;
        }
        if (error == null && hasResult && !content.isSilent()) {
            try {
                DisplayData data = Display.render(result);
                output.publish(new Message<>(env.getContext(), PublishExecuteResult.MESSAGE_TYPE,
                        new PublishExecuteResult(n, data)));
            } catch (RuntimeException e) {
                error = new CellError(e.getClass().getName(), "could not show the result: " + e.getMessage(), trace(e));
            }
        }
        output.endCell();
        if (error == null) {
            env.reply(new ExecuteReply(n, Collections.emptyMap()));
        } else {
            List<String> traceback = new ArrayList<>();
            traceback.add(error.name + ": " + error.value);
            traceback.addAll(error.trace);
            output.publish(new Message<>(env.getContext(), PublishError.MESSAGE_TYPE,
                    new PublishError(error.name, error.value, traceback)));
            ErrorReply reply = new ErrorReply(error.name, error.value, traceback);
            reply.setExecutionCount(n);
            env.replyError(ExecuteReply.MESSAGE_TYPE.error(), reply);
        }
    }

    private static final class Evaluated {
        final boolean hasValue;
        final Object value;

        Evaluated(boolean hasValue, Object value) {
            this.hasValue = hasValue;
            this.value = value;
        }
    }

    /** Evaluates one snippet; its value when it is an expression with a value. */
    private Evaluated evalSnippet(JShell jshell, String source) {
        List<SnippetEvent> events = jshell.eval(source);
        Object value = CellExecutionControl.takeValue();
        Evaluated result = new Evaluated(false, null);
        for (SnippetEvent e : events) {
            if (e.causeSnippet() != null) {
                continue; // an update of an earlier snippet
            }
            Snippet snippet = e.snippet();
            if (e.status() == Snippet.Status.REJECTED) {
                throw compileError(jshell, snippet, source);
            }
            JShellException thrown = e.exception();
            if (thrown != null) {
                if (stopAsked() != Stop.NONE) {
                    throw new CellError("Interrupted", "stopped", List.of());
                }
                throw runtimeError(thrown);
            }
            if (e.status() == Snippet.Status.RECOVERABLE_DEFINED || e.status() == Snippet.Status.RECOVERABLE_NOT_DEFINED) {
                if (snippet instanceof DeclarationSnippet) {
                    output.err.println("note: " + ((DeclarationSnippet) snippet).name() + " refers to "
                            + jshell.unresolvedDependencies((DeclarationSnippet) snippet).toList()
                            + ", not defined yet");
                }
            }
            Snippet.SubKind kind = snippet.subKind();
            if (kind == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND || kind == Snippet.SubKind.VAR_VALUE_SUBKIND) {
                result = new Evaluated(true, value);
            } else {
                result = new Evaluated(false, null);
            }
        }
        return result;
    }

    private static CellError compileError(JShell jshell, Snippet snippet, String source) {
        List<String> lines = new ArrayList<>();
        String first = null;
        for (Diag d : (Iterable<Diag>) jshell.diagnostics(snippet)::iterator) {
            String message = d.getMessage(Locale.ROOT);
            if (first == null) {
                first = message;
            }
            int start = (int) Math.max(0, d.getStartPosition());
            int lineStart = source.lastIndexOf('\n', Math.max(0, start - 1)) + 1;
            int lineEnd = source.indexOf('\n', start);
            String line = source.substring(lineStart, lineEnd < 0 ? source.length() : lineEnd);
            lines.add(line);
            lines.add(" ".repeat(Math.max(0, start - lineStart)) + "^ " + message);
        }
        if (first == null) {
            first = "the snippet was rejected: " + source.strip();
        }
        return new CellError("CompilationError", first, lines);
    }

    private static CellError runtimeError(JShellException thrown) {
        if (thrown instanceof UnresolvedReferenceException) {
            DeclarationSnippet s = ((UnresolvedReferenceException) thrown).getSnippet();
            return new CellError("UnresolvedReference", s.name() + " refers to something not defined yet", List.of());
        }
        String name = thrown instanceof EvalException ? ((EvalException) thrown).getExceptionClassName()
                : thrown.getClass().getName();
        return new CellError(name, String.valueOf(thrown.getMessage()), trace(thrown));
    }

    /** The stack trace down to the snippet, without the engine's and the kernel's frames; causes included. */
    private static List<String> trace(Throwable t) {
        List<String> lines = new ArrayList<>();
        Set<Throwable> seen = new LinkedHashSet<>();
        for (Throwable c = t; c != null && seen.add(c); c = c.getCause()) {
            if (c != t) {
                String name = c instanceof EvalException ? ((EvalException) c).getExceptionClassName() : c.getClass().getName();
                lines.add("Caused by: " + name + ": " + c.getMessage());
            }
            for (StackTraceElement f : c.getStackTrace()) {
                String cls = f.getClassName();
                if (cls.startsWith("jdk.internal.reflect.") || cls.startsWith("java.lang.reflect.")
                        || cls.startsWith(CellExecutionControl.class.getName()) || cls.startsWith("jdk.jshell.")) {
                    break;
                }
                boolean snippet = cls.isEmpty() || cls.startsWith("REPL.");  // JShell names snippet frames ""
                lines.add("    at " + (snippet ? "cell" : cls + "." + f.getMethodName())
                        + (f.getLineNumber() > 0 ? " line " + f.getLineNumber() : ""));
            }
        }
        return lines;
    }

    /** An error shown as the cell's error output. */
    private static final class CellError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String name;
        final String value;
        final transient List<String> trace;

        CellError(String name, String value, List<String> trace) {
            super(name + ": " + value, null, false, false);
            this.name = name;
            this.value = value;
            this.trace = trace;
        }
    }

    private Stop stopAsked() {
        synchronized (cellLock) {
            return stop;
        }
    }

    /**
     * Stops the running cell ({@link CellExecutionControl#stopCell(int)}). A stop acts only while snippet code
     * runs (JDK 17's {@code Thread.stop} can be caught by the cell's code, an interrupt swallowed), so it is
     * repeated every {@value #STOP_REPEAT_MILLIS} ms until the cell has ended; snippets not yet started are
     * refused. Interrupt requests travel on their own socket and can overtake or trail the execute requests
     * sent around them, so their client's clock decides when it is known (the same client session): an
     * interrupt sent before the running cell was requested was meant for an earlier cell and is ignored; one
     * that arrives while no cell runs stops the next cell if that was requested before it, and nothing else.
     *
     * @param sentAt when the request was sent, by the clock of client session {@code session} (null: unknown)
     */
    private void requestStop(Stop why, Instant sentAt, String session) {
        int cell;
        synchronized (cellLock) {
            if (!running) {
                if (why == Stop.INTERRUPT) {
                    idleStopAt = sentAt;
                    idleStopSession = session;
                }
                return;
            }
            if (stop != Stop.NONE || sentBefore(sentAt, session, requestedAt, requestSession)) {
                return;
            }
            stop = why;
            cell = cellNumber;
        }
        repeatStop(cell);
    }

    private static final long STOP_REPEAT_MILLIS = 100;

    /** Stops cell number {@code cell} until it has ended (never the cell after it). */
    private void repeatStop(int cell) {
        synchronized (cellLock) {
            if (!running || cellNumber != cell) {
                return;
            }
        }
        CellExecutionControl.stopCell(cell);
        timer.schedule(() -> repeatStop(cell), STOP_REPEAT_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Whether message a was sent before message b by the same client session (false when unknown). */
    private static boolean sentBefore(Instant a, String sessionA, Instant b, String sessionB) {
        return a != null && b != null && sessionA != null && sessionA.equals(sessionB) && a.isBefore(b);
    }

    /** The header's date, or null when it has none or one in an unknown form. */
    private static Instant sentAt(Message<?> message) {
        KernelTimestamp date = message.getHeader().getTimestamp();
        if (date == null || date.getDateString() == null) {
            return null;
        }
        try {
            return DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(date.getDateString(), Instant::from);
        } catch (DateTimeException e) {
            return null;
        }
    }

    @Override
    protected void handleInterruptRequest(ShellReplyEnvironment env, Message<InterruptRequest> request) {
        env.setBusyDeferIdle();
        env.defer().reply(new InterruptReply());
        requestStop(Stop.INTERRUPT, sentAt(request), request.getHeader().getSessionId());
    }

    @Override
    public void interrupt() {
        requestStop(Stop.INTERRUPT, null, null);
    }

    @Override
    public Object evalRaw(String source) {
        throw new UnsupportedOperationException("cells run through execute requests");
    }

    // ---------------------------------------------------------------- editing help

    @Override
    public DisplayData inspect(String code, int at, boolean extraDetail) {
        List<SourceCodeAnalysis.Documentation> docs = jshell().sourceCodeAnalysis().documentation(code, at, extraDetail);
        if (docs.isEmpty()) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        for (SourceCodeAnalysis.Documentation d : docs) {
            text.append(d.signature()).append('\n');
            if (d.javadoc() != null && !d.javadoc().isBlank()) {
                text.append(d.javadoc().strip()).append("\n\n");
            }
        }
        return new DisplayData(text.toString().strip());
    }

    @Override
    public ReplacementOptions complete(String code, int at) {
        int[] anchor = {at};
        List<SourceCodeAnalysis.Suggestion> suggestions = jshell().sourceCodeAnalysis().completionSuggestions(code, at, anchor);
        Set<String> options = new LinkedHashSet<>();
        for (SourceCodeAnalysis.Suggestion s : suggestions) {
            if (s.matchesType()) {
                options.add(s.continuation());
            }
        }
        for (SourceCodeAnalysis.Suggestion s : suggestions) {
            options.add(s.continuation());
        }
        return new ReplacementOptions(new ArrayList<>(options), anchor[0], at);
    }

    @Override
    public String isComplete(String code) {
        SourceCodeAnalysis sca = jshell().sourceCodeAnalysis();
        String remaining = code;
        while (true) {
            SourceCodeAnalysis.CompletionInfo info = sca.analyzeCompletion(remaining);
            switch (info.completeness()) {
                case EMPTY:
                    return IS_COMPLETE_YES;
                case COMPLETE:
                case COMPLETE_WITH_SEMI:
                    if (info.remaining().isBlank()) {
                        return IS_COMPLETE_YES;
                    }
                    remaining = info.remaining();
                    break;
                case DEFINITELY_INCOMPLETE:
                case CONSIDERED_INCOMPLETE:
                    return "    ";
                default:
                    return IS_COMPLETE_BAD;
            }
        }
    }

    @Override
    public void onShutdown(boolean isRestarting) {
        if (shell.isDone() && !shell.isCompletedExceptionally()) {
            jshell().close();
        }
        super.onShutdown(isRestarting);
    }

    // ---------------------------------------------------------------- start

    /**
     * The argument of the install-time run that exercises what a kernel start loads (JShell and its compiler,
     * the protocol's JSON, display of tables and charts), so that {@code -XX:ArchiveClassesAtExit} can write a
     * class-data archive that later starts map instead of loading and verifying those classes again.
     */
    static final String WARM_UP = "--warm-up";

    private static void warmUp() {
        KernelConnectionProperties.parse("{\"ip\": \"127.0.0.1\", \"transport\": \"tcp\", \"shell_port\": 1}");
        JShell jshell = startShell();
        for (String s : List.of("int a = 1 + 1;", "a * 21",
                "org.promptlimits.check.CheckTable.of(\"t\")",
                "new org.knowm.xchart.XYChartBuilder().width(60).height(40).title(\"t\").build()")) {
            for (SnippetEvent e : jshell.eval(s)) {
                if (e.status() == Snippet.Status.REJECTED) {
                    throw new IllegalStateException("warm-up snippet rejected: " + s);
                }
            }
            Display.render(CellExecutionControl.takeValue());
        }
        jshell.sourceCodeAnalysis().completionSuggestions("Stri", 4, new int[1]);
        jshell.close();
    }

    /**
     * The protocol's connection whose request sockets (shell, control, stdin) hand a client identity over to the
     * newest connection. jupyter_client gives every client of one kernel manager the same identity, so a
     * client that connects after another disconnected (a reloaded page, a second client of a running kernel)
     * arrives while the old connection may still hold that identity; without hand-over the socket drops the
     * newcomer's requests, and every other such client got no reply at all.
     */
    private static final class HandoverConnection extends JupyterConnection {
        HandoverConnection(KernelConnectionProperties properties) throws GeneralSecurityException {
            super(properties);
            for (ZMQ.Socket s : List.of(shell, control, stdin)) {
                if (!s.setRouterHandover(true)) {
                    throw new IllegalStateException("ZeroMQ refused ROUTER_HANDOVER on a request socket");
                }
            }
        }
    }

    /**
     * Ends the kernel when the process that started it ends. jupyter_client's launcher names itself in
     * {@code JPY_PARENT_PID}; when that is this JVM's parent, the kernel exits once it has another parent (the
     * system hands a process's children on when it ends, even before anyone collects its exit status), as ipykernel
     * does, so a client killed without shutting its kernel down (a killed test run, a crashed server) leaves no JVM
     * behind. When the launcher had ended before the JVM got here (killed while the kernel started: the JVM already
     * belongs to init, or the launcher is gone), the kernel exits at once. A live launcher that is not the parent (a
     * wrapper started the JVM) or no value: no watch.
     */
    static void exitWithParent(String parentPid) {
        long launcher;
        try {
            launcher = parentPid == null ? -1 : Long.parseLong(parentPid.strip());
        } catch (NumberFormatException e) {
            return;
        }
        if (launcher <= 0) {
            return;
        }
        if (parentPid() == launcher) {
            Thread watch = new Thread(() -> {
                while (parentPid() == launcher) {
                    try {
                        Thread.sleep(PARENT_POLL_MILLIS);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                System.exit(0);
            }, "parent-watch");
            watch.setDaemon(true);
            watch.start();
        } else if (parentPid() == 1 || ProcessHandle.of(launcher).filter(ProcessHandle::isAlive).isEmpty()) {
            KernelLog.STDERR.println("kernel exits: the process that started it (JPY_PARENT_PID " + launcher
                    + ") ended before the kernel was up, so nobody would shut it down");
            KernelLog.STDERR.flush();
            System.exit(0);
        }
    }

    /** How often the kernel looks whether the process that started it has ended. */
    static final long PARENT_POLL_MILLIS = 250;

    private static long parentPid() {
        return ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(1L);
    }

    /** The exit status of a kernel that could not bind its sockets or start its handlers. */
    static final int START_FAILED = 3;

    /**
     * The line a failed start prints on the terminal. A port in use was most often taken by another process
     * between the client choosing it and this JVM binding it; the line names it: the sockets bind in the order
     * hb, shell, control, stdin, iopub and stop at the first failure, so it is the last of these ports that a
     * probe finds taken (the ones before it are this kernel's own).
     */
    static String startFailure(KernelConnectionProperties p, Exception e) {
        if (!(e instanceof ZMQException z && z.getErrorCode() == ZMQ.Error.EADDRINUSE.getCode())) {
            return "kernel start failed: " + e;
        }
        String[] names = {"hb_port", "shell_port", "control_port", "stdin_port", "iopub_port"};
        int[] ports = {p.getHbPort(), p.getShellPort(), p.getControlPort(), p.getStdinPort(), p.getIopubPort()};
        String taken = "a port";
        for (int i = 0; i < ports.length; i++) {
            try (ServerSocket probe = new ServerSocket()) {
                probe.bind(new InetSocketAddress(p.getIp(), ports[i]));
            } catch (IOException | IllegalArgumentException | SecurityException inUse) {
                taken = names[i] + " (" + ports[i] + ")";
            }
        }
        return "kernel start failed: " + taken + " of " + p.getTransport() + "://" + p.getIp() + " is in use and"
                + " must be free for the kernel to bind it: another process took it after the client chose it;"
                + " starting the kernel again picks new ports";
    }

    /** The kernel's main class: {@code NotebookKernel <connection-file>}, as kernel.json runs it. */
    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals(WARM_UP)) {
            warmUp();
            return;
        }
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: NotebookKernel <connection-file>; got " + args.length + " arguments");
        }
        Path connectionFile = Path.of(args[0]);
        if (!Files.isRegularFile(connectionFile)) {
            throw new IllegalArgumentException("connection file (" + connectionFile + ") must be an existing file");
        }
        long timeout = 0;
        String limit = System.getenv(TIMEOUT_ENV);
        if (limit != null && !limit.isBlank()) {
            try {
                timeout = Long.parseLong(limit.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(TIMEOUT_ENV + " (" + limit + ") must be a whole number of seconds");
            }
            if (timeout < 0) {
                throw new IllegalArgumentException(TIMEOUT_ENV + " (" + limit + ") must be >= 0 (0: no limit)");
            }
        }
        KernelConnectionProperties properties = KernelConnectionProperties.parse(
                Files.readString(connectionFile, StandardCharsets.UTF_8));
        PrintStream terminal = System.err;
        CellOutput output = new CellOutput();
        System.setOut(output.out);
        System.setErr(output.err);
        NotebookKernel kernel = new NotebookKernel(output, timeout);
        JupyterConnection connection;
        try {
            connection = new HandoverConnection(properties);
            kernel.becomeHandlerForConnection(connection); // every handler is in place before any socket is bound
            connection.connect();
            kernel.onStartup();
        } catch (RuntimeException | GeneralSecurityException e) {
            // The sockets bound before the failing one already poll on threads that keep the JVM alive: it would
            // answer heartbeats and never reply. Exit, so that the client sees the kernel die and can start it
            // again on new ports (JupyterLab's restarter does; scripts/run_notebooks.py does).
            terminal.println(startFailure(properties, e));
            terminal.flush();
            System.exit(START_FAILED);
            return;
        }
        exitWithParent(System.getenv("JPY_PARENT_PID"));
        connection.waitUntilClose();
        System.exit(0); // the shutdown request has run onShutdown; the engine's threads must not keep the JVM

    }
}
