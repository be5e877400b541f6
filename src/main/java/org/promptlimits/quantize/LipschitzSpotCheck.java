package org.promptlimits.quantize;

import org.promptlimits.check.Check;
import org.promptlimits.check.Relation;
import org.promptlimits.check.Require;
import org.promptlimits.core.Matrices;
import org.promptlimits.core.Tokens;
import org.promptlimits.precision.Budget;

import java.math.BigDecimal;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * A search for a counterexample to a declared Lipschitz constant: the largest ratio
 * {@code ‖f(X) − f(X')‖_p / ‖X − X'‖_p} over sampled pairs. theory §1.
 *
 * <p>A third of the pairs are independent uniform points, the rest are local perturbations of uniform
 * points at scales 10^{-1} .. 10^{-4} (Lipschitz constants are often attained locally); the best pair found
 * is then refined by a short hill climb. A ratio above L_f·(1 + 1e-9) refutes the declaration. Finding no
 * counterexample proves nothing: it is a spot-check.
 */
public final class LipschitzSpotCheck {

    private LipschitzSpotCheck() {
    }

    /**
     * The result of a search.
     *
     * @param declared the declared L_f
     * @param maxRatio the largest ratio found
     * @param x        the first point of the worst pair (a copy)
     * @param xPrime   the second point of the worst pair (a copy)
     * @param pairs    how many pairs were evaluated
     * @param seed     the seed
     */
    public record Result(double declared, double maxRatio, double[][] x, double[][] xPrime, int pairs, long seed) {
        public Result {
            x = Matrices.copy("x", x);
            xPrime = Matrices.copy("xPrime", xPrime);
        }

        @Override
        public double[][] x() {
            return Matrices.copy(x);
        }

        @Override
        public double[][] xPrime() {
            return Matrices.copy(xPrime);
        }

        /** Whether the worst ratio exceeds the declared constant by more than rounding (1e-9 relative). */
        public boolean refutes() {
            return maxRatio > declared * (1 + 1e-9);
        }

        /** The worst pair and its ratio, for error messages. */
        public String describePair() {
            return "X = " + Tokens.toString(x) + ", X' = " + Tokens.toString(xPrime) + " gives ratio "
                    + maxRatio + " > " + declared;
        }

        /** The check "largest ratio found ≤ L_f". */
        public Check check(String id) {
            return Check.of(id, "sampled ‖f(X)−f(X')‖_p/‖X−X'‖_p ≤ declared L_f", "theory §1",
                    new BigDecimal(maxRatio), Relation.AT_MOST, new BigDecimal(declared * (1 + 1e-9)),
                    pairs + " pairs + hill climb, seed " + seed);
        }
    }

    /**
     * The spot check's size, 4 arrays of d×L per pair, against {@code budget}'s cells.
     *
     * @param fix what the caller can change (a target's own spot check: "lower d or L")
     */
    static void requireCells(int d, int L, int pairs, Budget budget, String fix) {
        budget.requireCells("Lipschitz spot check", BigDecimal.valueOf(4L * pairs)
                        .multiply(BigDecimal.valueOf((long) d * L)),
                "4 arrays of d×L per pair: 4·" + pairs + "·" + d + "·" + L, fix);
    }

    /**
     * Searches {@code pairs} pairs for the largest Lipschitz ratio of f within {@link Budget#DEFAULT}:
     * {@link #search(Seq2Seq, int, long, Budget)}.
     */
    public static Result search(Seq2Seq f, int pairs, long seed) {
        return search(f, pairs, seed, Budget.DEFAULT);
    }

    /**
     * Searches {@code pairs} pairs for the largest Lipschitz ratio of f, then climbs from the best for up to
     * pairs / 2 more.
     *
     * @param f      the target
     * @param pairs  number of pairs ≥ 1
     * @param seed   random seed
     * @param budget holds 4·pairs·d·L to its {@link Budget#maxCells()} and the pairs' estimated time to its
     *               {@link Budget#maxSeconds()} ({@link Budget#repetitions})
     * @throws IllegalArgumentException if 4·pairs·d·L is above maxCells, or when the pairs at their measured cost
     *                                  would take longer than maxSeconds (decided after maxSeconds /
     *                                  {@link Budget#TRUST_FRACTION})
     */
    public static Result search(Seq2Seq f, int pairs, long seed, Budget budget) {
        Require.notNull("f", f);
        Require.positive("pairs", pairs);
        Require.notNull("budget", budget);
        requireCells(f.d(), f.length(), pairs, budget, Budget.orLarger("lower pairs, d or L", "maxCells"));
        Budget.Repetitions guard = budget.repetitions("Lipschitz spot check", pairs + pairs / 2L,
                "pairs + pairs / 2 (hill climb)", Budget.orLarger("lower pairs", "maxSeconds"));
        long unit = 0;
        RandomGenerator rnd = new SplittableRandom(seed);
        int d = f.d();
        int len = f.length();
        double best = -1;
        double[][] bx = null;
        double[][] by = null;
        for (int t = 0; t < pairs; t++) {
            guard.before(unit++);
            double[][] x = uniform(rnd, d, len);
            double[][] y;
            if (t % 3 == 0) {
                y = uniform(rnd, d, len);
            } else {
                double scale = Math.pow(10, -1 - rnd.nextInt(4));
                y = perturb(rnd, x, scale);
            }
            double r = ratio(f, x, y);
            if (r > best) {
                best = r;
                bx = x;
                by = y;
            }
        }
        // Hill climb: move either point of the best pair a little while the ratio grows.
        double step = 0.05;
        for (int t = 0; t < pairs / 2 && step > 1e-6; t++) {
            guard.before(unit++);
            double[][] x = rnd.nextBoolean() ? perturb(rnd, bx, step) : bx;
            double[][] y = x == bx ? perturb(rnd, by, step) : by;
            double r = ratio(f, x, y);
            if (r > best) {
                best = r;
                bx = x;
                by = y;
            } else if (t % 20 == 19) {
                step /= 2;
            }
        }
        return new Result(f.lipschitz(), best, bx, by, pairs + pairs / 2, seed);
    }

    private static double ratio(Seq2Seq f, double[][] x, double[][] y) {
        double dx = Tokens.pDistance(x, y, f.p());
        if (dx == 0) {
            return 0;
        }
        return Tokens.pDistance(f.apply(x), f.apply(y), f.p()) / dx;
    }

    static double[][] uniform(RandomGenerator rnd, int d, int len) {
        double[][] x = new double[d][len];
        for (int i = 0; i < d; i++) {
            for (int l = 0; l < len; l++) {
                x[i][l] = rnd.nextDouble();
            }
        }
        return x;
    }

    private static double[][] perturb(RandomGenerator rnd, double[][] x, double scale) {
        double[][] y = Matrices.copy(x);
        for (double[] row : y) {
            for (int l = 0; l < row.length; l++) {
                row[l] = Math.min(1, Math.max(0, row[l] + scale * (2 * rnd.nextDouble() - 1)));
            }
        }
        return y;
    }
}
