package org.promptlimits.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs a measurement in a JVM of its own and hands the lines it prints to the caller, for the benchmarks that compare
 * processes ({@link JdkAlternation}: two JDKs; {@link PolynomialThreads}: one rule per process). The JDK's warning
 * about the incubating Vector API module is dropped; a child that exits with another status than 0 fails the run.
 */
final class ChildJvm {

    private ChildJvm() {
    }

    /** Starts cmd, passes each line of its output (standard error merged in) to lines, and waits for it to end. */
    static void run(List<String> cmd, String what, Consumer<String> lines) throws IOException, InterruptedException {
        Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(proc.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (!line.startsWith("WARNING")) {
                    lines.accept(line);
                }
            }
        }
        int status = proc.waitFor();
        if (status != 0) {
            throw new IllegalStateException(what + " failed (exit status " + status + ")");
        }
    }
}
