package org.promptlimits.contextual;

import org.promptlimits.check.Require;
import org.promptlimits.core.Vectors;
import org.promptlimits.precision.BigMath;
import org.promptlimits.precision.Interval;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Random;
import java.util.random.RandomGenerator;

/**
 * Step 1 of Lemma 2.2 (theory §3): a unit direction v on which the vocabulary's projections stay apart.
 * THEORY draws Gaussian directions until {@code |vᵀ(x − x')| ≥ c0‖x − x'‖} on 𝒱 ∪ {0}, with
 * {@code c0 = √(8/(πd))/(K+1)²} (the proof shows a random v succeeds with positive probability); EMPIRICAL keeps
 * the best of all draws for the smallest score bound r the empirical temperature would give.
 *
 * @param v     the chosen unit direction (double)
 * @param draws how many directions were drawn (0 for a caller's v)
 * @param c0    c0 of step 1 (THEORY), or null (EMPIRICAL)
 */
record ProjectionSearch(double[] v, int draws, BigDecimal c0) {

    /**
     * Draws v from a seeded Gaussian source ({@code new Random(seed)}, so a seed always gives the same v).
     *
     * @param threshold 2 ln n + 3, the score gap the EMPIRICAL cost is measured against
     * @throws IllegalArgumentException if THEORY finds no direction within {@code maxDraws}
     * @throws IllegalStateException    if no EMPIRICAL draw separates the read queries' keys
     */
    static ProjectionSearch run(ReadGeometry geometry, boolean theory, long seed, int maxDraws, BigDecimal threshold,
                                MathContext mc) {
        RandomGenerator random = new Random(seed);
        TokenwiseSeparation.Index index = geometry.index();
        int d = index.separation().d();
        int k = index.separation().vocabularySize();
        if (theory) {
            BigDecimal c0 = c0(d, k, mc);
            double need = BigMath.toDouble(c0) * (1 + 1e-6);
            int tried = 0;
            while (true) {
                Require.that(tried < maxDraws, "no projection v with |vᵀ(x − x')| ≥ c0‖x − x'‖ found in draws ("
                        + maxDraws + "); raise draws");
                double[] candidate = unitGaussian(random, d);
                tried++;
                if (projectionRatio(index.vocabulary(), candidate) >= need) {
                    return new ProjectionSearch(candidate, tried, c0);
                }
            }
        }
        double[] chosen = null;
        double best = Double.POSITIVE_INFINITY;
        int tried = 0;
        for (int t = 0; t < maxDraws; t++) {
            double[] candidate = unitGaussian(random, d);
            tried++;
            double cost = geometry.empiricalScoreBound(candidate, threshold.doubleValue());
            if (cost < best) {
                best = cost;
                chosen = candidate;
            }
        }
        if (chosen == null) {
            throw new IllegalStateException("none of " + tried + " random projections v separates the read query"
                    + " tokens and their keys (vᵀx = 0 or equal projections); raise draws");
        }
        return new ProjectionSearch(chosen, tried, null);
    }

    /**
     * A caller's direction, used as given (the construction normalizes it); no draw. THEORY's c0 is still computed:
     * check L2.2-v measures whether this v meets it.
     */
    static ProjectionSearch fixed(double[] v, boolean theory, int d, int k, MathContext mc) {
        return new ProjectionSearch(v.clone(), 0, theory ? c0(d, k, mc) : null);
    }

    /** c0 = √(8/(πd))/(K+1)² of step 1. */
    private static BigDecimal c0(int d, int k, MathContext mc) {
        return BigMath.sqrt(BigDecimal.valueOf(8).divide(BigMath.pi(mc).multiply(BigDecimal.valueOf(d)), mc), mc)
                .divide(BigDecimal.valueOf(k + 1L).pow(2), mc);
    }

    /** A uniformly random unit vector: a normalized standard Gaussian vector (redrawn if zero). */
    private static double[] unitGaussian(RandomGenerator random, int d) {
        double[] g = new double[d];
        double norm = 0;
        while (norm == 0) {
            norm = 0;
            for (int i = 0; i < d; i++) {
                g[i] = random.nextGaussian();
                norm += g[i] * g[i];
            }
        }
        norm = Math.sqrt(norm);
        for (int i = 0; i < d; i++) {
            g[i] /= norm;
        }
        return g;
    }

    /** min |vᵀ(x − x')| / ‖x − x'‖ over pairs of 𝒱 ∪ {0}, in double (v unit). */
    private static double projectionRatio(double[][] voc, double[] v) {
        double worst = Double.POSITIVE_INFINITY;
        for (int a = 0; a < voc.length; a++) {
            worst = Math.min(worst, Math.abs(Vectors.dot(v, voc[a])) / Vectors.norm(voc[a]));
            for (int b = a + 1; b < voc.length; b++) {
                double[] diff = new double[v.length];
                for (int i = 0; i < v.length; i++) {
                    diff[i] = voc[a][i] - voc[b][i];
                }
                worst = Math.min(worst, Math.abs(Vectors.dot(v, diff)) / Vectors.norm(diff));
            }
        }
        return worst;
    }

    /**
     * The enclosure of min over pairs of 𝒱 ∪ {0} of |vᵀ(x−x')|/‖x−x'‖: the projections exact (no rounding), each
     * norm enclosed by an outward-rounded square root at 40 digits.
     */
    static Interval certifiedProjectionRatio(ReadGeometry geometry, BigDecimal[] v) {
        BigDecimal[][] voc = geometry.index().exact();
        BigDecimal[] p = geometry.projections(v, MathContext.UNLIMITED);
        MathContext mc = LemmaConstants.MC40;
        Interval worst = null;
        for (int a = 0; a < voc.length; a++) {
            Interval ratio = Interval.point(p[a].abs()).divide(Interval.point(Vectors.squaredDistance(voc[a], null)).sqrt(mc), mc);
            worst = worst == null ? ratio : worst.min(ratio);
            for (int b = a + 1; b < voc.length; b++) {
                ratio = Interval.point(p[a].subtract(p[b]).abs())
                        .divide(Interval.point(Vectors.squaredDistance(voc[a], voc[b])).sqrt(mc), mc);
                worst = worst.min(ratio);
            }
        }
        return worst;
    }
}
