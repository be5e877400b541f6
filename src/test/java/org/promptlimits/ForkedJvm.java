package org.promptlimits;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Runs a class's main in a new JVM of this JVM's java and class path, for tests that need other JVM options. */
public final class ForkedJvm {

    private ForkedJvm() {
    }

    /**
     * Runs {@code main} with the JVM options and arguments given, waits at most {@code seconds} (a JVM still running
     * then is killed and the test fails), asserts exit status 0 and returns what it printed (output and errors).
     */
    public static String run(long seconds, List<String> jvmOptions, Class<?> main, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(List.of(args));
        File log = File.createTempFile("forked-jvm", ".txt");
        try {
            // output to a file, not a pipe: reading a pipe to its end would wait for a hung JVM without limit
            Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log).start();
            boolean ended = proc.waitFor(seconds, TimeUnit.SECONDS);
            if (!ended) {
                proc.destroyForcibly().waitFor();
            }
            String output = Files.readString(log.toPath(), StandardCharsets.UTF_8);
            if (!ended) {
                fail(main.getSimpleName() + " did not finish in " + seconds + " s: " + output);
            }
            assertEquals(0, proc.exitValue(), output);
            return output;
        } finally {
            Files.deleteIfExists(log.toPath());
        }
    }
}
