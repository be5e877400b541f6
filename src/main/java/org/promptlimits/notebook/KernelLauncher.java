package org.promptlimits.notebook;

import org.rapaio.jupyter.kernel.MainApp;
import org.rapaio.jupyter.kernel.channels.AbstractChannel;
import org.rapaio.jupyter.kernel.channels.Channels;
import org.rapaio.jupyter.kernel.channels.LoopThread;
import org.rapaio.jupyter.kernel.channels.MessageHandler;
import org.rapaio.jupyter.kernel.core.ConnectionProperties;
import org.rapaio.jupyter.kernel.core.RapaioKernel;
import org.rapaio.jupyter.kernel.core.Transform;
import org.rapaio.jupyter.kernel.message.Message;
import org.rapaio.jupyter.kernel.message.MessageType;
import org.rapaio.jupyter.kernel.message.messages.ControlInterruptReply;
import org.rapaio.jupyter.kernel.message.messages.IOPubStatus;
import org.rapaio.org.zeromq.ZMQ;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/**
 * Starts the rapaio Java kernel (io.github.padreati:rapaio-jupyter-kernel 3.0.1) without its two
 * start-up races. This class is the main class in the installed kernel.json.
 *
 * <p>The kernel's own start ({@code MainApp} → {@code Channels.connect}) hangs in about one start in
 * five, never answering {@code kernel_info_request}. Two races cause it:
 * <ol>
 *   <li>{@code connect} binds the sockets, which starts the shell thread, before it creates the map from
 *       message type to handler. A request that arrives in that window makes the shell thread call
 *       {@code getHandler} on a null map; the NullPointerException is outside the thread's try block,
 *       so the shell thread dies and no request is ever answered.</li>
 *   <li>Each channel's {@code LoopThread} sets its {@code running} flag only after
 *       {@code Thread.start()}; a thread scheduled at once reads {@code false} and exits, leaving that
 *       channel deaf.</li>
 * </ol>
 * A third defect shows in JupyterLab, whose server sends {@code kernel_info_request} on the shell and
 * control channels at once: the kernel handles control messages on the control thread with the same
 * shared state (current message id, after-actions) as the shell thread, and sends their replies on the
 * shell socket, so two threads use one ZeroMQ socket (which is not thread-safe) and the kernel can stop
 * answering.
 *
 * <p>This launcher does the same work in a safe order: it registers the channels with the kernel and
 * installs the complete handler map <em>before</em> any socket is bound, then binds, then replaces the
 * polling threads. The heartbeat gets a thread whose {@code running} flag is set before it starts. Shell
 * and control messages are all handled on one dispatch thread, the only thread that touches the shell
 * socket; the control thread only receives, answering an interrupt itself (on its own socket) so that an
 * interrupt still reaches a running cell. The kernel's classes are
 * used as they are; the private fields involved are reached by reflection, and any mismatch (another
 * kernel version) fails at start with a message naming the field.
 */
public final class KernelLauncher {

    private static final List<String> CHANNEL_FIELDS = List.of("heartbeat", "iopub", "stdin", "control", "shell");
    private static final long LOOP_SLEEP_MILLIS = 5;
    private static final Logger LOG = Logger.getLogger(KernelLauncher.class.getSimpleName());

    private KernelLauncher() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: KernelLauncher <connection-file>; got " + args.length + " arguments");
        }
        Path connectionFile = Path.of(args[0]);
        if (!Files.isRegularFile(connectionFile)) {
            throw new IllegalArgumentException("connection file (" + connectionFile + ") must be an existing file");
        }
        try (InputStream logging = MainApp.class.getClassLoader().getResourceAsStream("logging.properties")) {
            if (logging != null) {
                LogManager.getLogManager().readConfiguration(logging);
            }
        }
        // The kernel logs every message it handles at INFO; keep the terminal for warnings and errors.
        Logger.getLogger("").setLevel(Level.WARNING);
        String json = Files.readString(connectionFile, StandardCharsets.UTF_8);
        ConnectionProperties properties = Transform.fromJson(json, ConnectionProperties.class);
        if (!"tcp".equals(properties.transport())) {
            throw new IllegalArgumentException("transport (" + properties.transport() + ") must be tcp; the kernel supports no other");
        }

        RapaioKernel kernel = quietly(() -> MainApp.kernel); // display() in cells goes through this instance
        Channels channels = new Channels(properties);
        kernel.registerChannels(channels);
        set(channels, "handlers", handlers(kernel));

        for (String name : CHANNEL_FIELDS) {
            AbstractChannel channel = (AbstractChannel) get(channels, name);
            channel.bind(properties);
        }
        set(channels, "isConnected", true); // connect() would bind a second time
        restartPolling((AbstractChannel) get(channels, "heartbeat"));
        startDispatch(channels, kernel);
        AbstractChannel iopub = (AbstractChannel) get(channels, "iopub");
        iopub.sendMessage(new Message<>(MessageType.IOPUB_STATUS, IOPubStatus.STARTING));

        channels.joinUntilClose();
    }

    /**
     * Creates the kernel with standard output silenced: building it prints two lines per class-path jar
     * (over a hundred here) to the terminal that started Jupyter.
     */
    private static RapaioKernel quietly(java.util.function.Supplier<RapaioKernel> create) {
        PrintStream out = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8));
        try {
            return create.get();
        } finally {
            System.setOut(out);
        }
    }

    /** The handler for every message type the kernel answers; the same set {@code Channels.connect} installs. */
    @SuppressWarnings("rawtypes")
    private static Map<MessageType<?>, MessageHandler> handlers(RapaioKernel kernel) {
        Map<MessageType<?>, MessageHandler> map = new HashMap<>();
        map.put(MessageType.SHELL_EXECUTE_REQUEST, (MessageHandler<?>) m -> kernel.handleExecuteRequest(cast(m)));
        map.put(MessageType.SHELL_INSPECT_REQUEST, (MessageHandler<?>) m -> kernel.handleInspectRequest(cast(m)));
        map.put(MessageType.SHELL_COMPLETE_REQUEST, (MessageHandler<?>) m -> kernel.handleCompleteRequest(cast(m)));
        map.put(MessageType.SHELL_HISTORY_REQUEST, (MessageHandler<?>) m -> kernel.handleHistoryRequest(cast(m)));
        map.put(MessageType.SHELL_IS_COMPLETE_REQUEST, (MessageHandler<?>) m -> kernel.handleIsCompleteRequest(cast(m)));
        map.put(MessageType.SHELL_KERNEL_INFO_REQUEST, (MessageHandler<?>) m -> kernel.handleKernelInfoRequest(cast(m)));
        map.put(MessageType.CONTROL_SHUTDOWN_REQUEST, (MessageHandler<?>) m -> kernel.handleShutdownRequest(cast(m)));
        map.put(MessageType.CONTROL_INTERRUPT_REQUEST, (MessageHandler<?>) m -> kernel.handleInterruptRequest(cast(m)));
        map.put(MessageType.CUSTOM_COMM_OPEN, (MessageHandler<?>) m -> kernel.handleCommOpenCommand(cast(m)));
        map.put(MessageType.CUSTOM_COMM_MSG, (MessageHandler<?>) m -> kernel.handleCommMsgCommand(cast(m)));
        map.put(MessageType.CUSTOM_COMM_CLOSE, (MessageHandler<?>) m -> kernel.handleCommCloseCommand(cast(m)));
        map.put(MessageType.SHELL_COMM_INFO_REQUEST, (MessageHandler<?>) m -> kernel.handleCommInfoRequest(cast(m)));
        return map;
    }

    @SuppressWarnings("unchecked")
    private static <T> Message<T> cast(Message<?> message) {
        return (Message<T>) message;
    }

    /**
     * Stops the polling thread {@code bind} started (which may already have exited through the flag race),
     * waits for it, and starts a replacement running the same loop body whose flag is set before start.
     */
    private static void restartPolling(AbstractChannel channel) throws ReflectiveOperationException, InterruptedException {
        LoopThread old = (LoopThread) get(channel, "loopThread");
        stopPolling(channel);
        LoopThread replacement = running(new LoopThread(old.getName(), (Long) get(old, "sleep"), (Runnable) get(old, "loopBody")));
        replacement.setDaemon(old.isDaemon());
        set(channel, "loopThread", replacement);
        replacement.start();
    }

    /**
     * Replaces the shell and control threads: the dispatch thread reads the shell socket and handles every
     * shell and control message in arrival order; the control thread reads the control socket, answers an
     * interrupt at once and queues everything else for the dispatch thread.
     */
    private static void startDispatch(Channels channels, RapaioKernel kernel) throws ReflectiveOperationException, InterruptedException {
        AbstractChannel shell = (AbstractChannel) get(channels, "shell");
        AbstractChannel control = (AbstractChannel) get(channels, "control");
        stopPolling(shell);
        stopPolling(control);
        ZMQ.Socket shellSocket = (ZMQ.Socket) get(shell, "socket");
        ZMQ.Socket controlSocket = (ZMQ.Socket) get(control, "socket");
        BlockingQueue<Message<?>> fromControl = new LinkedBlockingQueue<>();

        LoopThread dispatch = running(new LoopThread("Kernel-dispatch", LOOP_SLEEP_MILLIS, () -> {
            Message<?> message = fromControl.poll();
            if (message == null && readable(shellSocket)) {
                message = shell.readMessage();
            }
            if (message != null) {
                handle(channels, message);
            }
        }));
        LoopThread receive = running(new LoopThread("Control-receive", LOOP_SLEEP_MILLIS, () -> {
            if (!readable(controlSocket)) {
                return;
            }
            Message<?> message = control.readMessage();
            if (message.header().type() == MessageType.CONTROL_INTERRUPT_REQUEST) {
                control.sendMessage(new Message<>(message.getId(), MessageType.CONTROL_INTERRUPT_REPLY,
                        new ControlInterruptReply()));
                kernel.interrupt();
            } else {
                fromControl.add(message);
            }
        }));
        set(shell, "loopThread", dispatch);
        set(control, "loopThread", receive);
        dispatch.start();
        receive.start();
    }

    private static boolean readable(ZMQ.Socket socket) {
        return (socket.getEvents() & ZMQ.Poller.POLLIN) != 0;
    }

    /** What the kernel's own shell loop does with one message, on the dispatch thread. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private static void handle(Channels channels, Message<?> message) {
        MessageType<?> type = message.header().type();
        MessageHandler handler = channels.getHandler(type);
        if (handler == null) {
            LOG.warning("unhandled message " + type.name());
            return;
        }
        channels.setMsgId(message.getId());
        try {
            handler.handle(message);
        } catch (RuntimeException e) {
            LOG.severe("exception handling " + type.name() + ": " + e);
        } finally {
            channels.runAfterActions();
        }
        if (channels.isMarkedForShutdown()) {
            channels.close();
        }
    }

    private static void stopPolling(AbstractChannel channel) throws ReflectiveOperationException, InterruptedException {
        LoopThread old = (LoopThread) get(channel, "loopThread");
        old.shutdown();
        old.join();
    }

    /** The thread with its running flag already set, so it cannot exit before its first iteration. */
    private static LoopThread running(LoopThread thread) throws ReflectiveOperationException {
        set(thread, "running", true);
        return thread;
    }

    private static Object get(Object target, String name) throws ReflectiveOperationException {
        return field(target.getClass(), name).get(target);
    }

    private static void set(Object target, String name, Object value) throws ReflectiveOperationException {
        field(target.getClass(), name).set(target, value);
    }

    private static Field field(Class<?> type, String name) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField(name);
                f.setAccessible(true);
                return f;
            } catch (NoSuchFieldException ignored) {
                // look in the superclass
            }
        }
        throw new IllegalStateException("field " + type.getName() + "." + name + " not found: this launcher fits "
                + "rapaio-jupyter-kernel 3.0.1; check the kernel version on the class path");
    }

}
