package org.promptlimits.spark;

import org.promptlimits.memorization.MemorizationSweep;
import org.promptlimits.memorization.PromptSearch;
import org.promptlimits.sweep.Column;
import org.promptlimits.sweep.Sweep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The memorization sweep, except that the first attempt at one point kills the JVM it runs in (an executor that
 * dies mid-sweep). The marker file records that the kill happened; the retry then computes the point normally.
 * Never run it on the local executor: it would kill the caller.
 */
record KillOnce(MemorizationSweep inner, MemorizationSweep.Setting victim, String marker)
        implements Sweep<MemorizationSweep.Setting, PromptSearch.Result> {

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public long rootSeed() {
        return inner.rootSeed();
    }

    @Override
    public long seed(MemorizationSweep.Setting point) {
        return inner.seed(point);
    }

    @Override
    public PromptSearch.Result run(MemorizationSweep.Setting point, long seed) {
        if (point.equals(victim)) {
            try {
                Files.createFile(Path.of(marker));
                Runtime.getRuntime().halt(137);
            } catch (java.nio.file.FileAlreadyExistsException second) {
                // the retry: compute normally
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return inner.run(point, seed);
    }

    @Override
    public List<Column> columns() {
        return inner.columns();
    }

    @Override
    public Object[] row(PromptSearch.Result result) {
        return inner.row(result);
    }
}
