package org.promptlimits.check;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The machine a measurement was taken on: CPU model, logical cores, JDK. Times and speed-ups are facts about
 * this machine, not about a theorem, so every {@link MeasurementTable} names it.
 *
 * @param cpu   CPU model, e.g. "AMD EPYC 7B13" (from /proc/cpuinfo; os.arch where that is not readable)
 * @param cores logical processors available to the JVM
 * @param jdk   vendor and version of the running JDK, e.g. "Eclipse Adoptium 17.0.12+7"
 */
public record Machine(String cpu, int cores, String jdk) {

    public Machine {
        Require.that(cpu != null && !cpu.isBlank(), "cpu (" + cpu + ") must be a non-blank string");
        Require.positive("cores", cores);
        Require.that(jdk != null && !jdk.isBlank(), "jdk (" + jdk + ") must be a non-blank string");
    }

    /** The machine this JVM runs on. */
    public static Machine current() {
        String cpu = System.getProperty("os.arch");
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
            for (String line : lines) {
                if (line.startsWith("model name")) {
                    cpu = line.substring(line.indexOf(':') + 1).trim();
                    break;
                }
            }
        } catch (IOException | SecurityException e) {
            // not Linux, or not readable: keep os.arch
        }
        return new Machine(cpu, Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vendor") + " " + System.getProperty("java.runtime.version"));
    }

    /** "AMD EPYC 7B13, 2 logical cores, JDK Eclipse Adoptium 17.0.12+7". */
    @Override
    public String toString() {
        return cpu + ", " + cores + " logical core" + (cores == 1 ? "" : "s") + ", JDK " + jdk;
    }
}
