package org.promptlimits.bench;

import org.promptlimits.check.Require;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks of the command-line arguments of the process-comparing benchmarks ({@link JdkAlternation},
 * {@link PolynomialThreads}), made before any child JVM starts: a bad argument stops the run with its name, its value
 * and the rule, not with a parse error in every child.
 */
final class BenchArgs {

    private BenchArgs() {
    }

    /** value as a whole number in [lo, hi], or an error naming the argument, its value and the rule. */
    static int wholeNumber(String name, String value, int lo, int hi) {
        try {
            return Require.inRange(name, Integer.parseInt(value.trim()), lo, hi);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " (" + value + ") must be a whole number from " + lo + " to " + hi);
        }
    }

    /**
     * path if it names a java launcher that can run: an executable file, or a bare name (such as {@code java}) found
     * on the PATH as one; else an error that says so (for a JDK home, with the launcher inside it).
     */
    static String javaExecutable(String name, String path) {
        Path p = Path.of(path);
        boolean found = runnable(p);
        if (!found && p.getNameCount() == 1 && !p.isAbsolute()) {
            for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
                found |= !dir.isEmpty() && runnable(Path.of(dir, path));
            }
        }
        if (!found) {
            throw new IllegalArgumentException(name + " (" + path + ") must be an executable java launcher"
                    + (Files.isDirectory(p) ? ", e.g. " + p.resolve("bin").resolve("java") : ""));
        }
        return path;
    }

    private static boolean runnable(Path p) {
        return Files.isRegularFile(p) && Files.isExecutable(p);
    }

    /** value as a finite number of seconds above 0, or an error naming the argument, its value and the rule. */
    static double seconds(String name, String value) {
        try {
            return Require.positive(name, Require.finite(name, Double.parseDouble(value.trim())));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " (" + value + ") must be a number of seconds above 0");
        }
    }
}
