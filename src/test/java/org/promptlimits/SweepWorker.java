package org.promptlimits;

import java.io.PrintStream;
import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The forked side of the bad-input sweep: runs cases {@code from, from + stride, …} of {@link EntryPoints#cases}
 * and prints, for each, {@code S <index>} before the call and {@code R <index> <verdict> <text>} after it. The
 * parent ({@link EveryEntryPointRefusesBadInputTest}) watches the time between the two lines and kills a worker
 * that hangs (or dies); an OutOfMemoryError is reported and the worker goes on with the next case.
 *
 * <p>Verdicts: {@code OK} (a documented refusal with a message, or a finite result whose public no-argument
 * methods, for a library object returned for a bad value, also answer finitely or refuse clearly), {@code NONAME} (a refusal
 * whose message does not name the bad parameter), {@code SKIP} (no sane receiver or sane value could be built), and
 * {@code FAIL} (anything else: an internal exception, a refusal without a message, a non-finite result, an
 * OutOfMemoryError).
 */
public final class SweepWorker {

    private SweepWorker() {
    }

    public static void main(String[] args) throws Exception {
        int from = Integer.parseInt(args[0]);
        int stride = Integer.parseInt(args[1]);
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
                StandardCharsets.UTF_8);
        // library code must not write to our protocol stream
        System.setOut(new PrintStream(java.io.OutputStream.nullOutputStream()));
        Thread orphanGuard = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // the parent never writes; end of input means it is gone
                }
            } catch (java.io.IOException ignored) {
                // same
            }
            Runtime.getRuntime().halt(2);
        }, "orphan-guard");
        orphanGuard.setDaemon(true);
        orphanGuard.start();
        List<EntryPoints.Case> cases = EntryPoints.cases();
        java.util.Set<String> known = EveryEntryPointRefusesBadInputTest.knownDefects();
        // load ND4J's native libraries before the first case, so that start-up is not timed as a call
        org.nd4j.linalg.factory.Nd4j.create(new double[][] {{1}}).mmul(org.nd4j.linalg.factory.Nd4j.create(new double[][] {{1}}));
        Map<Class<?>, Object> receivers = new HashMap<>();
        for (int i = from; i < cases.size(); i += stride) {
            EntryPoints.Case c = cases.get(i);
            if (known.contains(EntryPoints.signature(cases.get(i).member()))) {
                out.println("R " + i + " KNOWN listed in bad-input-sweep-known.txt, not run [0 ms]");
                continue;
            }
            out.println("B " + i);
            int idx = i;
            String verdict;
            long[] t0 = {0};
            try {
                verdict = run(c, receivers, () -> {
                    out.println("S " + idx);
                    t0[0] = System.nanoTime();
                });
            } catch (OutOfMemoryError e) {
                // the failed request was not allocated; what the call did allocate is garbage now
                verdict = "FAIL OutOfMemoryError: " + e.getMessage();
                receivers.clear();
                System.gc();
            } catch (Throwable t) {
                verdict = "FAIL sweep error " + t;
            }
            out.println("R " + i + " " + verdict.replace('\n', ' ') + " [" + (t0[0] == 0 ? 0 : (System.nanoTime() - t0[0]) / 1_000_000) + " ms]");
        }
        out.println("DONE");
        Runtime.getRuntime().halt(0);
    }

    static String run(EntryPoints.Case c, Map<Class<?>, Object> receivers, Runnable started) throws Throwable {
        Executable e = c.member();
        Object receiver = null;
        if (e instanceof Method m && !Modifier.isStatic(m.getModifiers())) {
            Class<?> k = m.getDeclaringClass().isInterface() || Modifier.isAbstract(m.getDeclaringClass().getModifiers())
                    ? null : m.getDeclaringClass();
            Class<?> owner = k == null ? receiverClass(c) : k;
            if (!receivers.containsKey(owner)) {
                try {
                    receivers.put(owner, SweepValues.sane(owner, "receiver", 0));
                } catch (Throwable t) {
                    receivers.put(owner, null);
                }
            }
            receiver = receivers.get(owner);
            if (receiver == null) {
                return "SKIP no sane " + owner.getSimpleName() + " to call it on";
            }
        }
        Parameter[] ps = e.getParameters();
        Object[] args = new Object[ps.length];
        for (int i = 0; i < ps.length; i++) {
            try {
                args[i] = i == c.param() ? SweepValues.bad(ps[i]).get(c.value()).value().get() : SweepValues.sane(ps[i]);
            } catch (RuntimeException ex) {
                return "SKIP no sane " + ps[i].getType().getSimpleName() + " for " + ps[i].getName();
            }
        }
        started.run();
        Object result;
        try {
            result = e instanceof Method m ? m.invoke(receiver, args) : ((Constructor<?>) e).newInstance(args);
        } catch (InvocationTargetException ite) {
            String verdict = judge(ite.getCause(), c);
            if (verdict.startsWith("NONAME") && c.param() >= 0) {
                // a refusal that names another parameter: if the all-sane call meets the same refusal, the sane
                // values do not fit this entry point and the bad value was never reached
                String message = ite.getCause().getMessage();
                String sane = saneRefusal(e, receiver);
                if (sane != null && sane.equals(message)) {
                    return "SKIP the sane arguments are refused the same way: " + sane;
                }
                // the refusal is about another argument (whole-word match of its name): the bad value was not reached
                for (int i = 0; i < e.getParameterCount(); i++) {
                    String other = e.getParameters()[i].getName();
                    if (i != c.param() && java.util.regex.Pattern.compile("(?i)(^|[^a-z0-9_])"
                            + java.util.regex.Pattern.quote(other) + "([^a-z0-9_]|$)").matcher(message).find()) {
                        return "SKIP refused for another argument (" + other + "): " + message;
                    }
                }
            }
            return verdict;
        }
        if (e instanceof Constructor<?> k && k.getDeclaringClass().isRecord()) {
            // a record is plain data: its canonical constructor stores what it is given (PhaseTransition.Point
            // keeps +∞ for "did not run"); records that hold options check their components themselves
            return "OK returned";
        }
        String bad = nonFinite(result, "result", 0, new IdentityHashMap<>());
        if (bad != null) {
            return "FAIL returned " + bad;
        }
        if (c.param() >= 0) {
            String unusable = exercise(result);
            if (unusable != null) {
                return unusable;
            }
        }
        return "OK returned";
    }

    /**
     * A bad value that an entry point accepted must leave a usable result: every public no-argument instance method
     * of a returned library object (toString included) either answers with finite values or refuses clearly. A
     * factory that accepts a size whose product overflows would otherwise pass the sweep and fail only later, in
     * whatever the user calls next (a negative count, a NegativeArraySizeException, an R of Infinity).
     *
     * @return null when every method passes, else the first failure
     */
    static String exercise(Object value) throws Throwable {
        if (value == null || value.getClass().isEnum() || value.getClass().isArray()
                || !value.getClass().getName().startsWith(EntryPoints.ROOT + ".")) {
            return null;
        }
        List<Method> methods = new java.util.ArrayList<>();
        for (Method m : value.getClass().getMethods()) {
            if (m.getParameterCount() == 0 && !Modifier.isStatic(m.getModifiers()) && !m.isSynthetic()
                    && !EntryPoints.EXCLUDED_METHODS.contains(m.getName())
                    && (m.getName().equals("toString") || m.getDeclaringClass().getName().startsWith(EntryPoints.ROOT + "."))) {
                methods.add(m);
            }
        }
        methods.sort(java.util.Comparator.comparing(Method::getName));
        for (Method m : methods) {
            Object result;
            try {
                result = m.invoke(value);
            } catch (InvocationTargetException ite) {
                Throwable t = ite.getCause();
                if (t instanceof OutOfMemoryError oom) {
                    throw oom;
                }
                boolean documented = t instanceof IllegalArgumentException || t instanceof IllegalStateException
                        || t instanceof java.io.UncheckedIOException;
                if (!documented || t.getMessage() == null || t.getMessage().isBlank()) {
                    return "FAIL the accepted value's " + m.getName() + "() threw " + t + " at " + where(t);
                }
                continue;
            }
            String bad = nonFinite(result, value.getClass().getSimpleName() + "." + m.getName() + "()", 0,
                    new IdentityHashMap<>());
            if (bad != null) {
                return "FAIL the accepted value's " + bad;
            }
        }
        return null;
    }

    /** The message of the all-sane call's refusal, or null if it returns. */
    private static String saneRefusal(Executable e, Object receiver) {
        Parameter[] ps = e.getParameters();
        Object[] args = new Object[ps.length];
        try {
            for (int i = 0; i < ps.length; i++) {
                args[i] = SweepValues.sane(ps[i]);
            }
            if (e instanceof Method m) {
                m.invoke(receiver, args);
            } else {
                ((Constructor<?>) e).newInstance(args);
            }
            return null;
        } catch (InvocationTargetException ite) {
            return ite.getCause().getMessage();
        } catch (ReflectiveOperationException | RuntimeException other) {
            return null;
        }
    }

    private static Class<?> receiverClass(EntryPoints.Case c) {
        return c.member().getDeclaringClass();
    }

    static String judge(Throwable t, EntryPoints.Case c) throws Throwable {
        if (t instanceof OutOfMemoryError oom) {
            throw oom;
        }
        if (t instanceof Error) {
            return "FAIL " + t;
        }
        String message = t.getMessage();
        String name = c.param() < 0 ? null : c.member().getParameters()[c.param()].getName();
        // an input/output failure (a file that is not there) is reported with the file's name: documented too
        boolean documented = t instanceof IllegalArgumentException || t instanceof IllegalStateException
                || t instanceof java.io.UncheckedIOException
                || (t instanceof NullPointerException && fromRequireNonNull(t));
        if (!documented) {
            return "FAIL " + t.getClass().getName() + ": " + message + " at " + where(t);
        }
        if (message == null || message.isBlank()) {
            return "FAIL " + t.getClass().getSimpleName() + " without a message at " + where(t);
        }
        boolean helper = java.util.Arrays.stream(c.member().getParameters())
                .anyMatch(p -> p.getType() == String.class && (p.getName().equals("name") || p.getName().equals("what")));
        // a helper such as Require.positive(name, value) names whatever its caller passes as name
        if (name != null && !helper && !names(message, name)) {
            return "NONAME " + t.getClass().getSimpleName() + ": " + message;
        }
        return "OK " + t.getClass().getSimpleName() + ": " + message;
    }

    /**
     * Math symbols a message may use for a parameter, as the javadoc writes them (B for {@code bound}, R for
     * {@code scoreBound}); other names are matched ignoring case ({@code q} in "Q_p").
     */
    static final Map<String, List<String>> ALIASES = Map.of(
            "bound", List.of("B"), "scoreBound", List.of("R"), "length", List.of("L"),
            "lipschitz", List.of("L_f"), "promptLength", List.of("Lp"), "prompt", List.of("P"));

    static boolean names(String message, String name) {
        String m = message.toLowerCase(java.util.Locale.ROOT).replace("_", "");
        String n = name.toLowerCase(java.util.Locale.ROOT).replaceFirst("^new(?=.)", "");
        if (m.contains(n)) {
            return true;
        }
        for (String alias : ALIASES.getOrDefault(name, List.of())) {
            if (message.contains(alias)) {
                return true;
            }
        }
        return false;
    }

    private static boolean fromRequireNonNull(Throwable t) {
        StackTraceElement[] st = t.getStackTrace();
        return st.length > 0 && st[0].getClassName().equals("java.util.Objects");
    }

    private static String where(Throwable t) {
        for (StackTraceElement s : t.getStackTrace()) {
            if (s.getClassName().startsWith(EntryPoints.ROOT + ".")) {
                return s.getClassName().substring(EntryPoints.ROOT.length() + 1) + "." + s.getMethodName() + ":"
                        + s.getLineNumber();
            }
        }
        StackTraceElement[] st = t.getStackTrace();
        return st.length == 0 ? "?" : st[0].toString();
    }

    /** Whether a record has a boolean component {@code feasible} that is false. */
    private static boolean infeasible(Object record) {
        for (RecordComponent rc : record.getClass().getRecordComponents()) {
            if (rc.getName().equals("feasible") && rc.getType() == boolean.class) {
                try {
                    return !(Boolean) rc.getAccessor().invoke(record);
                } catch (ReflectiveOperationException e) {
                    return false;
                }
            }
        }
        return false;
    }

    /** The path of the first non-finite double or float reachable from {@code o}, or null. */
    static String nonFinite(Object o, String path, int depth, IdentityHashMap<Object, Boolean> seen) {
        if (o == null || depth > 5) {
            return null;
        }
        if (o instanceof Double d) {
            return Double.isFinite(d) ? null : path + " = " + d;
        }
        if (o instanceof Float f) {
            return Float.isFinite(f) ? null : path + " = " + f;
        }
        if (o instanceof String || o instanceof Number || o instanceof Boolean || o instanceof Enum<?>) {
            return null;
        }
        if (seen.put(o, Boolean.TRUE) != null) {
            return null;
        }
        Class<?> k = o.getClass();
        if (k.isArray()) {
            int n = Math.min(Array.getLength(o), 100_000);
            for (int i = 0; i < n; i++) {
                String r = nonFinite(Array.get(o, i), path + "[" + i + "]", depth + 1, seen);
                if (r != null) {
                    return r;
                }
            }
            return null;
        }
        if (o instanceof Collection<?> col) {
            int i = 0;
            for (Object x : col) {
                if (i >= 1000) {
                    break;
                }
                String r = nonFinite(x, path + "[" + i++ + "]", depth + 1, seen);
                if (r != null) {
                    return r;
                }
            }
            return null;
        }
        if (o instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> x : map.entrySet()) {
                String r = nonFinite(x.getValue(), path + "[" + x.getKey() + "]", depth + 1, seen);
                if (r != null) {
                    return r;
                }
            }
            return null;
        }
        if (o instanceof org.nd4j.linalg.api.ndarray.INDArray a) {
            if (a.length() <= 100_000 && a.length() > 0) {
                double[] v = a.dup().data().asDouble();
                for (int i = 0; i < v.length; i++) {
                    if (!Double.isFinite(v[i])) {
                        return path + ".data[" + i + "] = " + v[i];
                    }
                }
            }
            return null;
        }
        if (k.isRecord()) {
            for (RecordComponent rc : k.getRecordComponents()) {
                try {
                    Object value = rc.getAccessor().invoke(o);
                    if (rc.getName().startsWith("log10") && value instanceof Double v && v == Double.NEGATIVE_INFINITY) {
                        continue; // the log10 of an exact 0 (e.g. a bound that is 0) is −∞ by definition
                    }
                    if (value instanceof Double v && v == Double.POSITIVE_INFINITY && infeasible(o)) {
                        continue; // a record marked feasible = false reports +∞ for what did not run (documented)
                    }
                    String r = nonFinite(value, path + "." + rc.getName(), depth + 1, seen);
                    if (r != null) {
                        return r;
                    }
                } catch (ReflectiveOperationException ignored) {
                    // a failing accessor is not a returned value
                }
            }
        }
        return null;
    }
}
