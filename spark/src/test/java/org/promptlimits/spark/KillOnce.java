package org.promptlimits.spark;

import org.promptlimits.memorization.MemorizationSweep;
import org.promptlimits.memorization.PromptSearch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The memorization sweep, except that the first attempt at one point writes the process id of the JVM it runs in
 * to a marker file and then either kills that JVM at once ({@code pauseSeconds} = 0: an executor that dies
 * mid-sweep) or waits up to {@code pauseSeconds}, so that a test can kill that JVM's worker meanwhile. A retry
 * finds the marker and computes the point normally. Never run it on the local executor: it would kill the caller.
 */
record KillOnce(MemorizationSweep inner, MemorizationSweep.Setting victim, String marker, int pauseSeconds)
        implements ForwardingSweep<MemorizationSweep.Setting, PromptSearch.Result> {

    @Override
    public PromptSearch.Result run(MemorizationSweep.Setting point, long seed) {
        if (point.equals(victim)) {
            try {
                Path tmp = Path.of(marker + ".tmp");
                Files.writeString(tmp, Long.toString(ProcessHandle.current().pid()));
                Files.move(tmp, Path.of(marker)); // fails if the marker exists: this is the retry
                if (pauseSeconds == 0) {
                    Runtime.getRuntime().halt(137);
                }
                Thread.sleep(pauseSeconds * 1000L);
            } catch (java.nio.file.FileAlreadyExistsException retry) {
                // compute normally
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return inner.run(point, seed);
    }
}
