package org.promptlimits.notebook;

import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.publish.PublishStream;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Standard output and error of the kernel JVM, forwarded to the front end while a cell runs.
 *
 * <p>Writes are collected in order (stdout and stderr interleaved as written) and sent by a flusher thread
 * every {@link #PERIOD_MILLIS} ms as few {@code stream} messages as possible, each at most
 * {@link #MAX_MESSAGE_CHARS} characters: a cell printing in a loop costs a message per batch, not per line,
 * and text without a newline shows within one period. Past {@link #LIMIT_CHARS} characters in one cell the
 * rest is counted, not sent, and the cell's output ends with a line saying how much was left out.
 *
 * <p>Messages go straight to the IOPub socket with the cell's request as parent, so the shell thread may
 * keep its reply environment in any state; {@link #publish(Message)} sends other messages (display data,
 * results, errors) after the pending text, keeping the output's order.
 */
final class CellOutput {

    static final long PERIOD_MILLIS = 50;
    static final int MAX_MESSAGE_CHARS = 64 * 1024;
    static final long LIMIT_CHARS = 8L * 1024 * 1024;

    private final Object bufferLock = new Object();
    private final Object sendLock = new Object();
    private final List<Chunk> pending = new ArrayList<>();
    private ShellReplyEnvironment env;
    private long charsThisCell;
    private long droppedThisCell;

    final PrintStream out = new PrintStream(new Sink(PublishStream.StreamType.OUT), true, StandardCharsets.UTF_8);
    final PrintStream err = new PrintStream(new Sink(PublishStream.StreamType.ERR), true, StandardCharsets.UTF_8);

    CellOutput() {
        Thread flusher = new Thread(() -> {
            while (true) {
                try {
                    Thread.sleep(PERIOD_MILLIS);
                    flush();
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    KernelLog.warn("could not forward output", e);
                }
            }
        }, "output-flusher");
        flusher.setDaemon(true);
        flusher.start();
    }

    /** Output from now on belongs to this request (also output of threads the cell left running). */
    void startCell(ShellReplyEnvironment cellEnv) {
        flush();
        synchronized (bufferLock) {
            env = cellEnv;
            charsThisCell = 0;
            droppedThisCell = 0;
        }
    }

    /** Sends what is pending and, when the cell's output hit the limit, a line saying how much was left out. */
    void endCell() {
        // a print that a stop ended half-way (JDK 17) can leave text in the print stream's own buffer, which
        // the stream writes out with its next print: an empty print writes it now, as this cell's output
        out.print("");
        err.print("");
        flush();
        long dropped;
        synchronized (bufferLock) {
            dropped = droppedThisCell;
            droppedThisCell = 0;
        }
        if (dropped > 0) {
            send(PublishStream.StreamType.ERR, String.format("%n[output limit: this cell printed more than %,d characters;"
                    + " the last %,d were not sent]%n", LIMIT_CHARS, dropped));
        }
    }

    /** Sends the pending text, then the message: the front end shows them in the order the cell made them. */
    void publish(Message<?> message) {
        synchronized (sendLock) {
            flush();
            ShellReplyEnvironment target = currentEnv();
            if (target != null) {
                target.getIopub().sendMessage(message);
            }
        }
    }

    ShellReplyEnvironment currentEnv() {
        synchronized (bufferLock) {
            return env;
        }
    }

    void flush() {
        synchronized (sendLock) {
            List<Chunk> chunks;
            synchronized (bufferLock) {
                if (pending.isEmpty()) {
                    return;
                }
                chunks = new ArrayList<>(pending);
                pending.clear();
            }
            for (Chunk c : chunks) {
                String text = c.text.toString();
                for (int from = 0; from < text.length(); from += MAX_MESSAGE_CHARS) {
                    send(c.type, text.substring(from, Math.min(text.length(), from + MAX_MESSAGE_CHARS)));
                }
            }
        }
    }

    private void send(PublishStream.StreamType type, String text) {
        ShellReplyEnvironment target = currentEnv();
        if (target == null) {
            (type == PublishStream.StreamType.OUT ? KernelLog.STDOUT : KernelLog.STDERR).print(text);
            return;
        }
        synchronized (sendLock) {
            target.getIopub().sendMessage(new Message<>(target.getContext(), PublishStream.MESSAGE_TYPE,
                    new PublishStream(type, text)));
        }
    }

    private void append(PublishStream.StreamType type, String text) {
        synchronized (bufferLock) {
            long room = LIMIT_CHARS - charsThisCell;
            if (room <= 0) {
                droppedThisCell += text.length();
                return;
            }
            if (text.length() > room) {
                droppedThisCell += text.length() - room;
                text = text.substring(0, (int) room);
            }
            charsThisCell += text.length();
            Chunk last = pending.isEmpty() ? null : pending.get(pending.size() - 1);
            if (last == null || last.type != type) {
                last = new Chunk(type);
                pending.add(last);
            }
            last.text.append(text);
        }
    }

    private static final class Chunk {
        final PublishStream.StreamType type;
        final StringBuilder text = new StringBuilder();

        Chunk(PublishStream.StreamType type) {
            this.type = type;
        }
    }

    /**
     * The byte end of one stream. {@link PrintStream} hands it whole characters per call, so each call
     * decodes on its own.
     */
    private final class Sink extends OutputStream {
        private final PublishStream.StreamType type;

        Sink(PublishStream.StreamType type) {
            this.type = type;
        }

        @Override
        public void write(int b) {
            append(type, String.valueOf((char) (b & 0xff)));
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (len > 0) {
                append(type, new String(b, off, len, StandardCharsets.UTF_8));
            }
        }
    }
}
