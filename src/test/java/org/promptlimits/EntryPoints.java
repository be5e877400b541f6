package org.promptlimits;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Every public entry point of the library, found by reflection over the compiled main classes, and the bad-input
 * cases of the sweep ({@link EveryEntryPointRefusesBadInputTest}): one case calls one entry point with every
 * argument sane except one, which gets one bad value for its type ({@link SweepValues#bad}), plus one case with
 * every argument sane.
 *
 * <p>Entry points: public constructors of public concrete classes, public static methods, and public instance
 * methods (called on a sane receiver built by {@link SweepValues#sane}) of every public class, nested ones
 * included, in {@code org.promptlimits.*}. The order is deterministic (sorted by class and signature), so the
 * parent test and its forked workers agree on case numbers without sending anything but an index.
 *
 * <p>Package-private classes (the tile and polynomial kernels of {@code attention.exact} and {@code attention.fast})
 * are not entry points: they are reached only through the checked public attention classes.
 *
 * <p>Excluded, with reasons:
 * <ul>
 *   <li>{@code org.promptlimits.notebook}: the Java kernel launcher and display code; they take sockets,
 *       connection files and kernel objects, not user numbers, and are tested by the kernel tests.</li>
 *   <li>{@code equals}, {@code hashCode}: Object's contract (null gives false), not a user computation.</li>
 *   <li>Enum {@code values} / {@code valueOf}: compiler-generated, documented by the JDK.</li>
 *   <li>{@code main(String[])}: command-line entry points, which print usage and exit the JVM (tested by their
 *       own tests).</li>
 * </ul>
 */
final class EntryPoints {

    static final String ROOT = "org.promptlimits";

    /** System property: a regular expression; only entry points whose signature it finds are swept (for debugging). */
    static final String ONLY = "promptlimits.sweep.only";

    static final List<String> EXCLUDED_PACKAGES = List.of("org.promptlimits.notebook");

    static final Set<String> EXCLUDED_METHODS = Set.of("equals", "hashCode", "values", "valueOf", "main");

    /** SweepCommand.spark starts scripts/sweep, a Maven build when the Spark module is stale and a Spark JVM. */
    static final Set<String> EXCLUDED_MEMBERS = Set.of("org.promptlimits.sweep.SweepCommand.spark");

    /** One call: the entry point, which parameter is bad (−1: none) and which bad value it gets. */
    record Case(int index, Executable member, int param, int value) {
        String describe() {
            String where = signature(member);
            if (param < 0) {
                return where + " with sane arguments";
            }
            return where + " with " + parameterName(member, param) + " = "
                    + SweepValues.describeBad(member.getParameters()[param], value);
        }
    }

    private EntryPoints() {
    }

    static String signature(Executable e) {
        StringBuilder s = new StringBuilder(e.getDeclaringClass().getName().substring(ROOT.length() + 1));
        if (e instanceof Method) {
            s.append('.').append(e.getName());
        } else {
            s.append(".<init>");
        }
        s.append('(');
        Class<?>[] types = e.getParameterTypes();
        for (int i = 0; i < types.length; i++) {
            s.append(i == 0 ? "" : ", ").append(types[i].getSimpleName()).append(' ').append(parameterName(e, i));
        }
        return s.append(')').toString();
    }

    static String parameterName(Executable e, int i) {
        return e.getParameters()[i].getName();
    }

    /** The public classes of the library, in name order, without the excluded packages. */
    static List<Class<?>> classes() {
        Path root;
        try {
            root = Path.of(org.promptlimits.check.Require.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        List<String> names = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(p -> p.toString().endsWith(".class"))
                    .map(p -> root.relativize(p).toString().replace('/', '.').replace('\\', '.'))
                    .map(n -> n.substring(0, n.length() - ".class".length()))
                    .filter(n -> n.startsWith(ROOT + "."))
                    .filter(n -> EXCLUDED_PACKAGES.stream().noneMatch(p -> n.startsWith(p + ".")))
                    .forEach(names::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        names.sort(Comparator.naturalOrder());
        List<Class<?>> out = new ArrayList<>();
        ClassLoader loader = EntryPoints.class.getClassLoader();
        for (String n : names) {
            Class<?> c;
            try {
                c = Class.forName(n, false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                continue;
            }
            if (publicAllTheWay(c) && !c.isAnonymousClass() && !c.isSynthetic()) {
                out.add(c);
            }
        }
        return out;
    }

    private static boolean publicAllTheWay(Class<?> c) {
        for (Class<?> k = c; k != null; k = k.getEnclosingClass()) {
            if (!Modifier.isPublic(k.getModifiers())) {
                return false;
            }
        }
        return true;
    }

    /** Every entry point, in a fixed order. */
    static List<Executable> members() {
        List<Executable> out = new ArrayList<>();
        for (Class<?> c : classes()) {
            List<Executable> own = new ArrayList<>();
            if (!c.isInterface() && !c.isEnum() && !Modifier.isAbstract(c.getModifiers())) {
                for (Constructor<?> k : c.getConstructors()) {
                    own.add(k);
                }
            }
            for (Method m : c.getMethods()) {
                if (m.isSynthetic() || m.isBridge() || EXCLUDED_METHODS.contains(m.getName())
                        || EXCLUDED_MEMBERS.contains(c.getName() + "." + m.getName())) {
                    continue;
                }
                boolean isStatic = Modifier.isStatic(m.getModifiers());
                if (isStatic && m.getDeclaringClass() != c) {
                    continue;
                }
                if (!m.getDeclaringClass().getName().startsWith(ROOT + ".")) {
                    continue; // Object's and Enum's methods; Record accessors are declared in c itself
                }
                if (!isStatic && (c.isInterface() || Modifier.isAbstract(c.getModifiers()))) {
                    continue; // reached through the implementing classes
                }
                own.add(m);
            }
            own.sort(Comparator.comparing(EntryPoints::signature));
            out.addAll(own);
        }
        return out;
    }

    /** Every case: for each entry point, the all-sane call, then each parameter with each of its bad values. */
    static List<Case> cases() {
        List<Case> out = new ArrayList<>();
        java.util.regex.Pattern only = java.util.regex.Pattern.compile(System.getProperty(ONLY, ".*"));
        for (Executable e : members()) {
            if (!only.matcher(signature(e)).find()) {
                continue;
            }
            out.add(new Case(out.size(), e, -1, -1));
            java.lang.reflect.Parameter[] ps = e.getParameters();
            for (int i = 0; i < ps.length; i++) {
                int n = SweepValues.badCount(ps[i]);
                for (int v = 0; v < n; v++) {
                    out.add(new Case(out.size(), e, i, v));
                }
            }
        }
        return out;
    }
}
