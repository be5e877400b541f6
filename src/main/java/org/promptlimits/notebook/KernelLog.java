package org.promptlimits.notebook;

import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** The kernel's own messages go to the terminal that started Jupyter, never into a cell's output. */
final class KernelLog {

    static final PrintStream STDOUT = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    static final PrintStream STDERR = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);

    private KernelLog() {
    }

    static void warn(String what, Throwable e) {
        STDERR.println("[promptlimits kernel] " + what + ": " + e);
    }
}
