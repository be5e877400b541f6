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
import org.rapaio.jupyter.kernel.message.messages.IOPubStatus;

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
 * This launcher does the same work in a safe order: it registers the channels with the kernel and
 * installs the complete handler map <em>before</em> any socket is bound, then binds, then replaces each
 * polling thread by one whose {@code running} flag is set before it starts. The kernel's classes are
 * used as they are; the private fields involved are reached by reflection, and any mismatch (another
 * kernel version) fails at start with a message naming the field.
 */
public final class KernelLauncher {

    private static final List<String> CHANNEL_FIELDS = List.of("heartbeat", "iopub", "stdin", "control", "shell");
    private static final List<String> POLLING_CHANNELS = List.of("heartbeat", "control", "shell");

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
        for (String name : POLLING_CHANNELS) {
            restartPolling((AbstractChannel) get(channels, name));
        }
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
        old.shutdown();
        old.join();
        LoopThread replacement = new LoopThread(old.getName(), (Long) get(old, "sleep"), (Runnable) get(old, "loopBody"));
        set(replacement, "running", true);
        replacement.setDaemon(old.isDaemon());
        set(channel, "loopThread", replacement);
        replacement.start();
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
