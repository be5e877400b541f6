package org.promptlimits.boltzmann;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.promptlimits.check.Check;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Properties B1–B4 of the Boltzmann operator (theory §2) on 10,000 generated cases each. jqwik prints the seed of a
 * failing run; rerun it with {@code @Property(seed = "...")}.
 */
class BoltzmannPropertiesTest {

    private static final int TRIES = 10_000;

    @Provide
    Arbitrary<double[]> scores() {
        Arbitrary<Double> entry = Arbitraries.oneOf(
                Arbitraries.doubles().between(-10, 10),
                Arbitraries.doubles().between(-1e6, 1e6),
                Arbitraries.of(0.0, 1.0, -1.0, 1e-300, -745.5, 709.0));
        return entry.array(double[].class).ofMinSize(1).ofMaxSize(12);
    }

    @Property(tries = TRIES)
    void boltzmannLiesBetweenMinAndMaxInDouble(@ForAll("scores") double[] a) {
        double b = Boltzmann.of(a);
        double min = Arrays.stream(a).min().orElseThrow();
        double max = Arrays.stream(a).max().orElseThrow();
        assertTrue(min <= b && b <= max, "boltz = " + b + " outside [" + min + ", " + max + "] for " + Arrays.toString(a));
    }

    @Provide
    Arbitrary<double[]> exactScores() {
        Arbitrary<Double> entry = Arbitraries.oneOf(
                Arbitraries.doubles().between(-10, 10),
                Arbitraries.doubles().between(-1e3, 1e3).ofScale(3),
                Arbitraries.of(0.0, 1.0, -1.0, -745.5, 709.0, 1e-20));
        return entry.array(double[].class).ofMinSize(1).ofMaxSize(6);
    }

    @Property(tries = TRIES)
    void checkB1HoldsInExactArithmetic(@ForAll("exactScores") double[] a) {
        Check b1 = BoltzmannChecks.b1(a);
        assertTrue(b1.holds(), b1.toString());
    }

    @Property(tries = TRIES)
    void boltzmannIsExactlyPermutationInvariant(@ForAll("scores") double[] a, @ForAll long seed) {
        double[] p = a.clone();
        Random random = new Random(seed);
        for (int i = p.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            double t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        assertEquals(Double.doubleToLongBits(Boltzmann.of(a)), Double.doubleToLongBits(Boltzmann.of(p)));
        assertTrue(BoltzmannChecks.permutationInvariance(a, 3, seed).holds());
    }

    @Property(tries = TRIES)
    void doubleAgreesWithExactOracle(@ForAll("exactScores") double[] a) {
        BigDecimal[] x = Arrays.stream(a).mapToObj(BigDecimal::new).toArray(BigDecimal[]::new);
        double exact = Boltzmann.of(x, new MathContext(40)).doubleValue();
        double scale = Arrays.stream(a).map(Math::abs).max().orElseThrow() + Double.MIN_NORMAL;
        assertTrue(Math.abs(Boltzmann.of(a) - exact) <= 1e-14 * scale, Boltzmann.of(a) + " vs exact " + exact);
    }

    @Provide
    Arbitrary<double[]> moderateScores() {
        return Arbitraries.doubles().between(-8, 8).array(double[].class).ofMinSize(1).ofMaxSize(8);
    }

    /** B2 in double: the closed-form gradient against a central difference with h = 1e-5. */
    @Property(tries = TRIES)
    void gradientMatchesCentralDifference(@ForAll("moderateScores") double[] a) {
        double[] g = Boltzmann.gradient(a);
        double h = 1e-5;
        for (int k = 0; k < a.length; k++) {
            double[] up = a.clone();
            double[] down = a.clone();
            up[k] += h;
            down[k] -= h;
            double fd = (Boltzmann.of(up) - Boltzmann.of(down)) / (up[k] - down[k]);
            assertTrue(Math.abs(fd - g[k]) < 1e-6, "k = " + k + ": closed form " + g[k] + ", difference " + fd);
        }
        double sum = Arrays.stream(g).sum(); // Σ σ_k(1 + a_k − boltz) = 1
        assertTrue(Math.abs(sum - 1) < 1e-12, "gradient sums to " + sum);
    }

    /** B3: max a − boltz(a) ≤ (n−1)Δe^{−Δ} for a unique maximum at least Δ ≥ 1 above the rest. */
    @Property(tries = TRIES)
    void gapToMaximumIsAtMostTheB3Bound(@ForAll("gapped") double[] a) {
        Check b3 = BoltzmannChecks.b3(a);
        assertTrue(b3.holds(), b3.toString());
    }

    @Provide
    Arbitrary<double[]> gapped() {
        Arbitrary<Double> top = Arbitraries.doubles().between(-50, 50);
        Arbitrary<Double> delta = Arbitraries.doubles().between(1, 60);
        Arbitrary<double[]> below = Arbitraries.doubles().between(0, 100).array(double[].class).ofMinSize(1).ofMaxSize(10);
        return Combinators.combine(top, delta, below).as((m, d, rest) -> {
            double[] a = new double[rest.length + 1];
            a[0] = m;
            for (int i = 0; i < rest.length; i++) {
                a[i + 1] = m - d - rest[i];
            }
            return a;
        }).filter(a -> new BigDecimal(a[0]).subtract(new BigDecimal(Arrays.stream(a, 1, a.length).max().orElseThrow()))
                .compareTo(BigDecimal.ONE) >= 0);
    }

    /**
     * B4: m vectors with entries from a ladder of values spaced more than 2 ln n + 3 apart; boltz values of vectors
     * that are not permutations of each other differ by more than (ln n)² e^{−2r}.
     */
    @Property(tries = TRIES)
    void separatedVectorsHaveSeparatedBoltzmannValues(@ForAll("ladders") List<double[]> vectors, @ForAll("slack") double slack) {
        double r = Arrays.stream(vectors.stream().flatMapToDouble(Arrays::stream).toArray()).map(Math::abs).max().orElseThrow() + slack;
        Check b4 = BoltzmannChecks.b4(vectors.toArray(new double[0][]), r);
        assertTrue(b4.holds(), b4.toString());
    }

    @Provide
    Arbitrary<Double> slack() {
        return Arbitraries.doubles().between(1e-6, 3).ofScale(9);
    }

    @Provide
    Arbitrary<List<double[]>> ladders() {
        Arbitrary<Integer> n = Arbitraries.integers().between(2, 4);
        return n.flatMap(len -> {
            double gap = 2 * Math.log(len) + 3;
            Arbitrary<Double> step = Arbitraries.doubles().between(1.000001, 1.6).ofScale(6).map(f -> gap * f);
            Arbitrary<Double> start = Arbitraries.doubles().between(-12, 0);
            Arbitrary<int[]> picks = Arbitraries.integers().between(0, len + 1).array(int[].class).ofSize(len)
                    .filter(p -> Arrays.stream(p).distinct().count() == p.length);
            return Combinators.combine(start, step, picks.list().ofMinSize(2).ofMaxSize(4))
                    .as((s, st, list) -> list.stream().map(p -> Arrays.stream(p).mapToDouble(i -> s + i * st).toArray()).toList())
                    .filter(BoltzmannPropertiesTest::notAllPermutations);
        });
    }

    private static boolean notAllPermutations(List<double[]> vectors) {
        double[] first = vectors.get(0).clone();
        Arrays.sort(first);
        for (double[] v : vectors) {
            double[] s = v.clone();
            Arrays.sort(s);
            if (!Arrays.equals(s, first)) {
                return true;
            }
        }
        return false;
    }

    @Property(tries = 200)
    void exactB2CheckHolds(@ForAll("moderateScores") double[] a, @ForAll @IntRange(min = 0, max = 0) int unused) {
        Check b2 = BoltzmannChecks.b2(a);
        assertTrue(b2.certified(), b2.toString());
        assertTrue(b2.holds(), b2.toString());
        // the enclosure is far narrower than the bound it is decided against
        assertTrue(b2.enclosure().width().compareTo(b2.bound().movePointLeft(10)) < 0, b2.toString());
    }
}
