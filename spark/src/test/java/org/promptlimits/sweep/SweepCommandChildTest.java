package org.promptlimits.sweep;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.promptlimits.memorization.MemorizationSweep;
import org.promptlimits.memorization.PromptTuner;
import org.promptlimits.precision.Budget;
import org.promptlimits.quantize.DistanceSweep;
import tech.tablesaw.api.Table;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Notebook 09's SweepCommand with its real child: SweepMain in a JVM of its own, as scripts/sweep starts it (this
 * module's class path instead of the built jar, which is made after the tests).
 */
class SweepCommandChildTest {

    /** {@code java ... org.promptlimits.spark.SweepMain}, with the flags scripts/sweep gives Spark. */
    private static List<String> sweepMain() {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "--add-modules", "jdk.incubator.vector"));
        for (String opt : System.getProperty("sparkOpens", "").split("\\s+")) {
            if (!opt.isEmpty()) {
                command.add(opt);
            }
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.promptlimits.spark.SweepMain"));
        return command;
    }

    /**
     * The child ran scripts/sweep's own memorization sweep with the notebook's root seed only, so a notebook's
     * Budget (its maxSeconds) never reached it: each point ran with the default 60 s. The child now runs the
     * notebook's sweep itself, and refuses a point over that sweep's limit with its one line.
     */
    @Test
    void aMemorizationSweepsOwnTimeLimitHoldsInTheChild(@TempDir Path dir) {
        // ε = 1e-6 is never reached: every length of the search runs its 3,000 steps, far more than a millisecond
        MemorizationSweep tight = new MemorizationSweep(PromptTuner.Options.adam(0.05, 3000, 0.1, 5L), 16, 1,
                Budget.DEFAULT.withMaxSeconds(0.001), 1L);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SweepCommand.spark(sweepMain(),
                dir, tight, MemorizationSweep.Setting.class, "d: 2\nlength: 1\nepsilon: 0.000001\nsize: 1", "local[1]",
                dir.resolve("m.parquet")));
        assertTrue(e.getMessage().startsWith("scripts/sweep refused the sweep: sweep memorization failed at point 0 "),
                e.getMessage());
        assertTrue(e.getMessage().contains("above Budget.maxSeconds = 0.001;"), e.getMessage());
        assertFalse(e.getMessage().contains("--max-seconds"), "a notebook's sweep has no command-line option to"
                + " raise: " + e.getMessage());
    }

    /**
     * Every other setting was lost too: a DistanceSweep of 500 samples ran in the child with scripts/sweep's 2,000.
     * The child's table is now the local executor's for the notebook's own sweep, bit for bit.
     */
    @Test
    void theChildRunsTheNotebooksSweepWithAllItsSettings(@TempDir Path dir) {
        DistanceSweep fewSamples = new DistanceSweep(2, 500, 9L);
        String gridText = "target: affine, square\nd: 1\nlength: 2\nepsilon: 0.5";
        Table child = SweepCommand.spark(sweepMain(), dir, fewSamples, DistanceSweep.Setting.class, gridText,
                "local[1]", dir.resolve("d.parquet"));
        Table local = new LocalExecutor(1).run(fewSamples, Grid.parse(DistanceSweep.Setting.class, gridText));
        assertEquals(Optional.empty(), SweepTable.firstDifference(local, child));
        assertTrue(SweepTable.firstDifference(new LocalExecutor(1).run(new DistanceSweep(2, 2000, 9L),
                Grid.parse(DistanceSweep.Setting.class, gridText)), child).isPresent(), "the settings matter here");
    }
}
