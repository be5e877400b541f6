package org.promptlimits;

import org.nd4j.linalg.factory.Nd4j;
import org.promptlimits.attention.Apti;
import org.promptlimits.attention.Attention;
import org.promptlimits.attention.exact.ReferenceAttention;
import org.promptlimits.contextual.ContextualMapping;
import org.promptlimits.contextual.MappingOptions;
import org.promptlimits.contextual.Sequences;
import org.promptlimits.core.FeedForward;
import org.promptlimits.core.Layer;
import org.promptlimits.memorization.Dataset;
import org.promptlimits.memorization.FrozenTransformer;
import org.promptlimits.quantize.Grid;
import org.promptlimits.quantize.GridTable;
import org.promptlimits.quantize.Seq2Seq;
import org.promptlimits.quantize.Targets;
import org.promptlimits.universality.Theorem24;

import java.lang.reflect.Array;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The values of the bad-input sweep: a sane value for every parameter (small, valid for most entry points, so
 * that the one bad argument of a case is what the call meets), and the bad values per parameter type.
 *
 * <p>Bad values (each case gets exactly one, all other arguments sane): null for every reference; for
 * {@code int} and {@code long} 0, −1 and the extremes; for {@code double} NaN, ±Infinity, 0, −1, 1e300 and
 * 1e-300; for BigDecimal/BigInteger 0, −1, a 100,000-digit number and its inverse; for arrays the empty array,
 * ragged rows, a null row or element and non-finite or huge entries; for lists the empty list and lists holding
 * null; for a {@link MathContext} unlimited and 1-digit precision; for functions one returning NaN and one
 * returning null. Sane values that are library objects come from {@link #SANE} or, failing that, from the
 * class's own public constants and smallest static factory called with sane arguments.
 */
final class SweepValues {

    private SweepValues() {
    }

    /** A bad value and how the report names it. */
    record Bad(String label, Supplier<Object> value) {
    }

    private static final BigDecimal HUGE_DECIMAL = BigDecimal.ONE.scaleByPowerOfTen(100_000);
    private static final BigDecimal TINY_DECIMAL = BigDecimal.ONE.scaleByPowerOfTen(-100_000);

    private static final double[][] VOCABULARY = {{1.0, 0.0}, {-1.8, 0.45}, {-0.65, -1.65}};

    /** Sane library objects, by class: small instances valid for the sane numbers below. */
    static final Map<Class<?>, Supplier<Object>> SANE = new HashMap<>();

    static {
        SANE.put(Seq2Seq.class, () -> Targets.shift(1, 2, 2));
        SANE.put(Grid.class, () -> Grid.of(1, 2, 0.5));
        SANE.put(GridTable.class, () -> GridTable.of(Grid.of(1, 2, 0.5), new double[4][1][2]));
        SANE.put(Sequences.class, () -> Sequences.allArrangements(VOCABULARY, 2, 100));
        SANE.put(ContextualMapping.class, () -> ContextualMapping.construct(Sequences.allArrangements(VOCABULARY, 2, 100),
                MappingOptions.empirical().withArithmetic(ContextualMapping.Arithmetic.DOUBLE)));
        SANE.put(MappingOptions.class, MappingOptions::empirical);
        SANE.put(Dataset.class, () -> Dataset.random(2, 2, 2, 1));
        SANE.put(FrozenTransformer.class, () -> FrozenTransformer.random(2, 2, 0, 1, 3, 1));
        SANE.put(Apti.class, () -> Apti.random(4, 2, 1, 0.1, 1, 1));
        SANE.put(Attention.class, ReferenceAttention::create);
        SANE.put(Layer.class, () -> FeedForward.of("sane", new double[][] {{1, 0}, {0, 1}}, new double[] {0, 0},
                new double[][] {{1, 0}, {0, 1}}, new double[] {0, 0}));
        SANE.put(FeedForward.class, SANE.get(Layer.class));
        SANE.put(Theorem24.class, () -> Theorem24.forTargets(List.of(Targets.shift(1, 2, 2)), 0.5));
        SANE.put(org.promptlimits.memorization.MemorizingConstruction.class, () -> org.promptlimits.memorization
                .MemorizingConstruction.forLabelings(1, 2, 0.5, 0.25, 2, 1, Theorem24.Options.defaults()));
        // a timer that times (Timer.skip() leaves times NaN by design: "not timed")
        SANE.put(org.promptlimits.sweep.Timer.class, () -> org.promptlimits.sweep.WallClock.fastest(1));
        SANE.put(MathContext.class, () -> new MathContext(40));
        SANE.put(org.nd4j.linalg.api.ndarray.INDArray.class, () -> Nd4j.create(new double[][] {{0.1, 0.2}, {0.3, 0.4}}));
        SANE.put(UnaryOperator.class, () -> (UnaryOperator<double[][]>) x -> x);
        SANE.put(java.util.function.Function.class, () -> (java.util.function.Function<Object, Object>) x -> x);
        SANE.put(Runnable.class, () -> (Runnable) () -> { });
        SANE.put(String.class, () -> "x");
        // files the sweep may write or read live under target/, never in the working tree
        SANE.put(java.nio.file.Path.class, () -> java.nio.file.Path.of("target", "bad-input-sweep-files", "x.csv"));
        SANE.put(Object.class, () -> "x");
    }

    /** Sane doubles by parameter name; 0.25 otherwise. */
    private static final Map<String, Double> SANE_DOUBLES = Map.ofEntries(
            Map.entry("p", 2.0), Map.entry("confidence", 0.9), Map.entry("lipschitz", 1.0),
            Map.entry("lipschitzInPrompt", 1.0), Map.entry("beta", 1.0), Map.entry("bound", 1.0),
            Map.entry("scale", 1.0), Map.entry("promptRadius", 1.0), Map.entry("delta", 0.5),
            Map.entry("epsilon", 0.25), Map.entry("temperature", 1.0), Map.entry("r", 2.0),
            Map.entry("learningRate", 0.1), Map.entry("rate", 0.1), Map.entry("x", 0.25), Map.entry("fill", 0.0),
            Map.entry("seconds", 10.0), Map.entry("maxSeconds", 10.0), Map.entry("scoreBound", 1.0),
            Map.entry("magnitude", 1.0), Map.entry("log10Resolution", -10.0));

    /** Sane ints by parameter name; 2 otherwise. */
    private static final Map<String, Integer> SANE_INTS = Map.ofEntries(
            Map.entry("maxCount", 100), Map.entry("samples", 8), Map.entry("pairs", 8), Map.entry("sampleRows", 2),
            Map.entry("maxSteps", 5), Map.entry("steps", 5), Map.entry("reps", 1), Map.entry("threads", 1),
            Map.entry("outputDigits", 12), Map.entry("digits", 12), Map.entry("permutations", 3),
            Map.entry("rank", 1), Map.entry("maxLength", 2), Map.entry("restarts", 1), Map.entry("window", 1),
            Map.entry("i", 0), Map.entry("j", 0), Map.entry("k", 2), Map.entry("lo", 1), Map.entry("hi", 3),
            Map.entry("maxDigits", 1000), Map.entry("draws", 2), Map.entry("nMax", 16), Map.entry("bits", 2),
            Map.entry("i0", 0), Map.entry("i1", 1), Map.entry("from", 0), Map.entry("to", 1), Map.entry("a", 0),
            Map.entry("inputRows", 1), Map.entry("off", 0), Map.entry("size", 2), Map.entry("m", 2));

    /** The sane value for a parameter. */
    static Object sane(Parameter p) {
        Executable owner = p.getDeclaringExecutable();
        Integer small = SMALL.getOrDefault(owner.getDeclaringClass().getSimpleName() + "." + owner.getName(), Map.of())
                .get(p.getName());
        return small != null ? small : sane(p.getParameterizedType(), p.getName(), 0);
    }

    /**
     * Constructions exponential in d·L: their sane d is 1 (d = 2 takes seconds on a loaded machine); the full
     * labeling family also has its sane L at 1 (|Λ|^(dL·δ^{−dL}) labelings: 2^8 = 256 at L = 2, 25 s in the
     * sweep's worker; 2^2 = 4 at L = 1). Each bad value is still tried against these sane others.
     */
    private static final Map<String, Map<String, Integer>> SMALL = Map.of(
            "MemorizingConstruction.forLabelings", Map.of("d", 1),
            "MemorizingConstruction.forAllLabelings", Map.of("d", 1, "L", 1));

    static Object sane(Type type, String name, int depth) {
        Class<?> raw = raw(type);
        if (raw == int.class || raw == Integer.class) {
            return SANE_INTS.getOrDefault(name, 2);
        }
        if (raw == long.class || raw == Long.class) {
            return name.toLowerCase().contains("cells") || name.toLowerCase().contains("bytes") ? 1_000_000L : 1L;
        }
        if (raw == double.class || raw == Double.class) {
            return SANE_DOUBLES.getOrDefault(name, 0.25);
        }
        if (raw == float.class || raw == Float.class) {
            return 0.25f;
        }
        if (raw == boolean.class || raw == Boolean.class) {
            return false;
        }
        if (raw == BigDecimal.class) {
            return name.equals("eta") ? new BigDecimal("0.001") : new BigDecimal("0.25");
        }
        if (raw == BigInteger.class) {
            return BigInteger.TWO;
        }
        if (raw == double[].class) {
            return new double[] {0.1, 0.2, 0.3, 0.4};
        }
        if (raw == float[].class) {
            return new float[] {0.1f, 0.2f, 0.3f, 0.4f};
        }
        if (raw == int[].class) {
            return name.equals("ns") ? new int[] {8, 16} : new int[] {1};
        }
        if (raw == long[].class) {
            return new long[] {0, 1};
        }
        if (raw == double[][].class) {
            return new double[][] {{0.1, 0.2}, {0.3, 0.4}};
        }
        if (raw == double[][][].class) {
            return new double[][][] {{{0.1, 0.2}, {0.3, 0.4}}, {{0.5, 0.6}, {0.7, 0.8}}};
        }
        if (raw == BigDecimal[].class) {
            return new BigDecimal[] {new BigDecimal("0.1"), new BigDecimal("0.2")};
        }
        if (raw == BigDecimal[][].class) {
            return new BigDecimal[][] {{new BigDecimal("0.1"), new BigDecimal("0.2")},
                    {new BigDecimal("0.3"), new BigDecimal("0.4")}};
        }
        if (List.class.isAssignableFrom(raw) || raw == java.util.Collection.class) {
            Type element = typeArgument(type, 0);
            Class<?> e = raw(element);
            if (e == double[][].class || e == org.nd4j.linalg.api.ndarray.INDArray.class) {
                return List.of(sane(element, name, depth + 1), e == double[][].class
                        ? new double[][] {{0.5, 0.6}, {0.7, 0.8}} : Nd4j.create(new double[][] {{0.5, 0.6}, {0.7, 0.8}}));
            }
            return List.of(sane(element, name, depth + 1));
        }
        if (raw == Map.class) {
            return Map.of();
        }
        if (raw.isArray()) {
            Object a = Array.newInstance(raw.getComponentType(), 1);
            Array.set(a, 0, sane(raw.getComponentType(), name, depth + 1));
            return a;
        }
        if (raw == String.class && name.equals("target")) {
            return "shift"; // a target of the catalogue (Targets.catalogue), as sweep settings name them
        }
        Supplier<Object> s = SANE.get(raw);
        if (s != null) {
            return s.get();
        }
        if (raw.isEnum()) {
            return raw.getEnumConstants()[0];
        }
        if (depth > 2) {
            throw new IllegalStateException("no sane " + raw.getSimpleName());
        }
        return discover(raw, depth);
    }

    private static final Map<Class<?>, Object> DISCOVERED = new HashMap<>();

    /** A sane instance from the class's own public constants or smallest public factory/constructor. */
    private static Object discover(Class<?> raw, int depth) {
        if (DISCOVERED.containsKey(raw)) {
            return DISCOVERED.get(raw);
        }
        for (Field f : raw.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == raw) {
                try {
                    Object v = f.get(null);
                    DISCOVERED.put(raw, v);
                    return v;
                } catch (IllegalAccessException ignored) {
                    // next
                }
            }
        }
        List<Executable> makers = new ArrayList<>();
        for (Method m : raw.getMethods()) {
            if (Modifier.isStatic(m.getModifiers()) && raw.isAssignableFrom(m.getReturnType())) {
                makers.add(m);
            }
        }
        if (!raw.isInterface() && !Modifier.isAbstract(raw.getModifiers())) {
            makers.addAll(Arrays.asList(raw.getConstructors()));
        }
        makers.sort(Comparator.comparingInt(Executable::getParameterCount).thenComparing(EntryPoints::signature));
        for (Executable e : makers) {
            try {
                Parameter[] ps = e.getParameters();
                Object[] args = new Object[ps.length];
                for (int i = 0; i < ps.length; i++) {
                    args[i] = sane(ps[i].getParameterizedType(), ps[i].getName(), depth + 1);
                }
                Object v = e instanceof Method m ? m.invoke(null, args)
                        : ((java.lang.reflect.Constructor<?>) e).newInstance(args);
                if (v != null) {
                    DISCOVERED.put(raw, v);
                    return v;
                }
            } catch (ReflectiveOperationException | RuntimeException ignored) {
                // try the next factory
            }
        }
        DISCOVERED.put(raw, null);
        throw new IllegalStateException("no sane " + raw.getSimpleName());
    }

    static Class<?> raw(Type t) {
        if (t instanceof Class<?> c) {
            return c;
        }
        if (t instanceof ParameterizedType p) {
            return raw(p.getRawType());
        }
        if (t instanceof WildcardType w) {
            return raw(w.getUpperBounds()[0]);
        }
        if (t instanceof GenericArrayType g) {
            return Array.newInstance(raw(g.getGenericComponentType()), 0).getClass();
        }
        if (t instanceof TypeVariable<?> v) {
            return raw(v.getBounds()[0]);
        }
        return Object.class;
    }

    static Type typeArgument(Type t, int i) {
        if (t instanceof ParameterizedType p) {
            return p.getActualTypeArguments()[i];
        }
        return Object.class;
    }

    private static final Set<Class<?>> NO_BAD = Set.of(boolean.class, Boolean.class, char.class);

    /** The bad values for a parameter's type. */
    static List<Bad> bad(Parameter p) {
        Type type = p.getParameterizedType();
        Class<?> raw = raw(type);
        List<Bad> out = new ArrayList<>();
        if (NO_BAD.contains(raw)) {
            return out;
        }
        if (raw == int.class) {
            add(out, "0", 0);
            add(out, "-1", -1);
            add(out, "Integer.MAX_VALUE", Integer.MAX_VALUE);
            add(out, "Integer.MIN_VALUE", Integer.MIN_VALUE);
            return out;
        }
        if (raw == long.class) {
            add(out, "0", 0L);
            add(out, "-1", -1L);
            add(out, "Long.MAX_VALUE", Long.MAX_VALUE);
            add(out, "Long.MIN_VALUE", Long.MIN_VALUE);
            return out;
        }
        if (raw == double.class) {
            for (double v : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0, -1, 1e300, 1e-300}) {
                add(out, Double.toString(v), v);
            }
            return out;
        }
        if (raw == float.class) {
            add(out, "NaN", Float.NaN);
            add(out, "Infinity", Float.POSITIVE_INFINITY);
            return out;
        }
        add(out, "null", null); // every reference type
        if (raw == BigDecimal.class) {
            add(out, "0", BigDecimal.ZERO);
            add(out, "-1", BigDecimal.ONE.negate());
            add(out, "1e100000", HUGE_DECIMAL);
            add(out, "1e-100000", TINY_DECIMAL);
        } else if (raw == BigInteger.class) {
            add(out, "0", BigInteger.ZERO);
            add(out, "-1", BigInteger.ONE.negate());
            add(out, "2^100000", BigInteger.TWO.pow(100_000));
        } else if (raw == double[].class) {
            add(out, "{}", new double[0]);
            out.add(new Bad("{NaN, ...}", () -> new double[] {Double.NaN, 0.2, 0.3, 0.4}));
            out.add(new Bad("{Infinity, ...}", () -> new double[] {Double.POSITIVE_INFINITY, 0.2, 0.3, 0.4}));
            out.add(new Bad("{1e300, -1e300, ...}", () -> new double[] {1e300, -1e300, 1e300, -1e300}));
        } else if (raw == float[].class) {
            add(out, "{}", new float[0]);
            out.add(new Bad("{NaN, ...}", () -> new float[] {Float.NaN, 0.2f, 0.3f, 0.4f}));
            out.add(new Bad("{3e38, ...}", () -> new float[] {3e38f, -3e38f, 3e38f, -3e38f}));
        } else if (raw == int[].class) {
            add(out, "{}", new int[0]);
            out.add(new Bad("{-1}", () -> new int[] {-1}));
            out.add(new Bad("{Integer.MAX_VALUE}", () -> new int[] {Integer.MAX_VALUE}));
        } else if (raw == long[].class) {
            add(out, "{}", new long[0]);
            out.add(new Bad("{-1}", () -> new long[] {-1}));
        } else if (raw == double[][].class) {
            add(out, "{}", new double[0][]);
            out.add(new Bad("{{}}", () -> new double[][] {{}}));
            out.add(new Bad("ragged {{0.1, 0.2}, {0.3}}", () -> new double[][] {{0.1, 0.2}, {0.3}}));
            out.add(new Bad("{{0.1, 0.2}, null}", () -> new double[][] {{0.1, 0.2}, null}));
            out.add(new Bad("{{NaN, 0.2}, ...}", () -> new double[][] {{Double.NaN, 0.2}, {0.3, 0.4}}));
            out.add(new Bad("{{1e300, -1e300}, ...}", () -> new double[][] {{1e300, -1e300}, {-1e300, 1e300}}));
        } else if (raw == double[][][].class) {
            add(out, "{}", new double[0][][]);
            out.add(new Bad("{null}", () -> new double[][][] {null}));
            out.add(new Bad("ragged", () -> new double[][][] {{{0.1, 0.2}, {0.3, 0.4}}, {{0.1}, {0.2}}}));
            out.add(new Bad("{{{NaN, ...}}}", () -> new double[][][] {{{Double.NaN, 0.2}, {0.3, 0.4}}, {{0.5, 0.6}, {0.7, 0.8}}}));
        } else if (raw == BigDecimal[].class) {
            add(out, "{}", new BigDecimal[0]);
            out.add(new Bad("{null, 0.2}", () -> new BigDecimal[] {null, new BigDecimal("0.2")}));
            out.add(new Bad("{1e100000, 0.2}", () -> new BigDecimal[] {HUGE_DECIMAL, new BigDecimal("0.2")}));
        } else if (raw == BigDecimal[][].class) {
            add(out, "{}", new BigDecimal[0][]);
            out.add(new Bad("{{}}", () -> new BigDecimal[][] {{}}));
            out.add(new Bad("ragged", () -> new BigDecimal[][] {{BigDecimal.ONE, BigDecimal.ONE}, {BigDecimal.ONE}}));
            out.add(new Bad("{row, null}", () -> new BigDecimal[][] {{BigDecimal.ONE, BigDecimal.ONE}, null}));
            out.add(new Bad("{{null, 1}, ...}", () -> new BigDecimal[][] {{null, BigDecimal.ONE}, {BigDecimal.ONE, BigDecimal.ONE}}));
            out.add(new Bad("{{1e100000, 1}, ...}", () -> new BigDecimal[][] {{HUGE_DECIMAL, BigDecimal.ONE}, {BigDecimal.ONE, BigDecimal.ONE}}));
        } else if (raw.isArray()) {
            out.add(new Bad("{}", () -> Array.newInstance(raw.getComponentType(), 0)));
            out.add(new Bad("{null}", () -> Array.newInstance(raw.getComponentType(), 1)));
        } else if (List.class.isAssignableFrom(raw) || raw == java.util.Collection.class) {
            add(out, "[]", List.of());
            out.add(new Bad("[null]", () -> Arrays.asList((Object) null)));
            out.add(new Bad("[sane, null]", () -> {
                List<Object> l = new ArrayList<>((List<?>) sane(type, p.getName(), 0));
                l.add(null);
                return l;
            }));
        } else if (raw == MathContext.class) {
            add(out, "MathContext.UNLIMITED", MathContext.UNLIMITED);
            add(out, "1 digit", new MathContext(1));
        } else if (raw == UnaryOperator.class) {
            out.add(new Bad("x -> NaN everywhere", () -> (UnaryOperator<double[][]>) x -> {
                double[][] y = new double[x.length][];
                for (int i = 0; i < x.length; i++) {
                    y[i] = new double[x[i].length];
                    Arrays.fill(y[i], Double.NaN);
                }
                return y;
            }));
            out.add(new Bad("x -> null", () -> (UnaryOperator<double[][]>) x -> null));
        } else if (raw == org.nd4j.linalg.api.ndarray.INDArray.class) {
            out.add(new Bad("2×2 with NaN", () -> Nd4j.create(new double[][] {{Double.NaN, 0.2}, {0.3, 0.4}})));
            out.add(new Bad("1×3", () -> Nd4j.create(new double[][] {{0.1, 0.2, 0.3}})));
        }
        return out;
    }

    private static void add(List<Bad> out, String label, Object v) {
        out.add(new Bad(label, () -> v));
    }

    static int badCount(Parameter p) {
        return bad(p).size();
    }

    static String describeBad(Parameter p, int i) {
        return bad(p).get(i).label();
    }
}
