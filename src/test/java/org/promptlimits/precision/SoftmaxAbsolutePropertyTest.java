package org.promptlimits.precision;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.promptlimits.core.IntervalForward;
import org.promptlimits.core.SelfAttention;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Interval#softmaxAbsolute} and {@link IntervalForward#attentionToAbsoluteDigits} on random inputs: every
 * enclosure holds BigDecimal's own value at p + 40 digits (e^x from {@link BigMath#exp}, the quotient from
 * {@link BigDecimal#divide}), and its width is within the documented bound.
 */
class SoftmaxAbsolutePropertyTest {

    /** Random scores: n in [1, 6], spread up to ±3000 (weights down to e^{−6000}), 0–12 fraction digits. */
    private static BigDecimal[] scores(Random rnd) {
        int n = 1 + rnd.nextInt(6);
        double spread = new double[] {1, 30, 300, 3000}[rnd.nextInt(4)];
        BigDecimal[] a = new BigDecimal[n];
        for (int j = 0; j < n; j++) {
            a[j] = new BigDecimal((rnd.nextDouble() * 2 - 1) * spread).setScale(rnd.nextInt(13), RoundingMode.HALF_EVEN);
        }
        if (n > 1 && rnd.nextInt(4) == 0) {
            a[n - 1] = a[0];    // a tie for the largest score
        }
        return a;
    }

    /** σ_k at {@code digits} digits from BigMath.exp and BigDecimal's division, in double-rounding-free steps. */
    static BigDecimal[] reference(BigDecimal[] a, int digits) {
        MathContext mc = new MathContext(digits);
        BigDecimal m = a[0];
        for (BigDecimal x : a) {
            m = m.max(x);
        }
        BigDecimal[] e = new BigDecimal[a.length];
        BigDecimal total = BigDecimal.ZERO;
        for (int j = 0; j < a.length; j++) {
            e[j] = BigMath.exp(a[j].subtract(m), mc);
            total = total.add(e[j], mc);
        }
        BigDecimal[] s = new BigDecimal[a.length];
        for (int j = 0; j < a.length; j++) {
            s[j] = e[j].divide(total, mc);
        }
        return s;
    }

    @Property(tries = 400)
    void everyWeightHoldsTheHighPrecisionValueAndIsWithinItsAbsoluteBound(@ForAll long seed) {
        Random rnd = new Random(seed);
        BigDecimal[] a = scores(rnd);
        int p = 20 + rnd.nextInt(280);
        Interval[] points = new Interval[a.length];
        for (int j = 0; j < a.length; j++) {
            points[j] = Interval.point(a[j]);
        }
        Interval[] s = Interval.softmaxAbsolute(points, new MathContext(p));
        BigDecimal[] ref = reference(a, p + 40);
        BigDecimal bound = BigDecimal.valueOf(4L * a.length).movePointLeft(p - 1);
        for (int k = 0; k < a.length; k++) {
            String what = "σ_" + k + " of " + java.util.Arrays.toString(a) + " at p = " + p + ": " + s[k];
            // the reference is off by a few units in its (p + 40)-th digit, relative to itself: far inside this slack,
            // so the check bites on the smallest weights too
            BigDecimal slack = ref[k].movePointLeft(p + 30);
            assertTrue(s[k].lo().compareTo(ref[k].add(slack)) <= 0 && s[k].hi().compareTo(ref[k].subtract(slack)) >= 0, what);
            assertTrue(s[k].width().compareTo(bound) <= 0, what + " wider than " + bound);
            assertTrue(s[k].lo().signum() >= 0 && s[k].hi().compareTo(BigDecimal.ONE) <= 0, what);
        }
    }

    /**
     * One score 10^3 to 10^15 below the others (beyond e^x's limit 10^9 too): the far weight lies in [0, 10^{−(p+2)}],
     * and the others hold the softmax of the remaining scores (which the far weight, below e^{−1000}, moves by less than
     * the p + 30 digit slack for p ≤ 300).
     */
    @Property(tries = 150)
    void aScoreFarBelowIsBoundedAndLeavesTheOthersAsWithoutIt(@ForAll long seed) {
        Random rnd = new Random(seed);
        BigDecimal[] near = scores(rnd);
        int p = 20 + rnd.nextInt(280);
        BigDecimal gap = BigDecimal.TEN.pow(3 + rnd.nextInt(13)).multiply(BigDecimal.valueOf(1 + rnd.nextInt(9)));
        BigDecimal top = java.util.Arrays.stream(near).max(BigDecimal::compareTo).orElseThrow();
        int at = rnd.nextInt(near.length + 1);
        Interval[] points = new Interval[near.length + 1];
        for (int j = 0, r = 0; j < points.length; j++) {
            points[j] = Interval.point(j == at ? top.subtract(gap) : near[r++]);
        }
        Interval[] s = Interval.softmaxAbsolute(points, new MathContext(p));
        BigDecimal[] ref = reference(near, p + 40);
        for (int k = 0, r = 0; k < points.length; k++) {
            String what = "σ_" + k + " of " + java.util.Arrays.toString(near) + " and gap " + gap + " at " + at + ", p = " + p + ": " + s[k];
            if (k == at) {
                assertTrue(s[k].lo().signum() >= 0 && s[k].hi().compareTo(BigDecimal.ONE.movePointLeft(p + 2)) <= 0, what);
                continue;
            }
            BigDecimal slack = ref[r].movePointLeft(p + 30);
            assertTrue(s[k].lo().compareTo(ref[r].add(slack)) <= 0 && s[k].hi().compareTo(ref[r].subtract(slack)) >= 0, what);
            assertTrue(s[k].width().compareTo(BigDecimal.valueOf(4L * points.length).movePointLeft(p - 1)) <= 0, what);
            r++;
        }
    }

    /** Interval scores: each absolute enclosure holds the relative one's ends' high-precision enclosures. */
    @Property(tries = 200)
    void intervalScoresEncloseEveryValueTheRelativeFormEncloses(@ForAll long seed) {
        Random rnd = new Random(seed);
        BigDecimal[] a = scores(rnd);
        int p = 20 + rnd.nextInt(200);
        BigDecimal w = BigDecimal.ONE.movePointLeft(p / 2 + 5 + rnd.nextInt(p));
        Interval[] x = new Interval[a.length];
        for (int j = 0; j < a.length; j++) {
            x[j] = Interval.of(a[j], a[j].add(w));
        }
        Interval[] abs = Interval.softmaxAbsolute(x, new MathContext(p));
        Interval[] fine = Interval.softmax(x, new MathContext(p + 40));
        for (int k = 0; k < a.length; k++) {
            String what = "σ_" + k + " at p = " + p + ": " + abs[k] + " against " + fine[k];
            // the fine relative enclosure is at most a few units of 10^{−(p+40)}·σ wider than the true range
            BigDecimal slack = fine[k].hi().movePointLeft(p + 30);
            assertTrue(abs[k].lo().compareTo(fine[k].lo().add(slack)) <= 0, what);
            assertTrue(abs[k].hi().compareTo(fine[k].hi().subtract(slack)) >= 0, what);
            assertTrue(abs[k].width().compareTo(fine[k].width().multiply(BigDecimal.valueOf(a.length))
                    .add(BigDecimal.valueOf(4L * a.length).movePointLeft(p - 1))) <= 0, what + " too wide");
        }
    }

    /** The attention outputs: meet the relative form's enclosure at p + 40 digits, and are at most a little wider than it at p. */
    @Property(tries = 60)
    void attentionOutputsEncloseTheFineOnesAndStayNarrow(@ForAll long seed) {
        Random rnd = new Random(seed);
        int d = 1 + rnd.nextInt(3), n = 1 + rnd.nextInt(4);
        double scale = new double[] {1, 10, 40}[rnd.nextInt(3)];
        SelfAttention sa = SelfAttention.of(matrix(rnd, d, d, 1), matrix(rnd, d, d, 1),
                matrix(rnd, d, d, scale), matrix(rnd, d, d, scale));
        BigDecimal[][] z = new BigDecimal[d][n];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < n; j++) {
                z[i][j] = new BigDecimal(rnd.nextDouble() * 4 - 2);
            }
        }
        int p = 30 + rnd.nextInt(200);
        int[] cols = new int[n];
        for (int j = 0; j < n; j++) {
            cols[j] = j;
        }
        Interval[][] abs = IntervalForward.attentionToAbsoluteDigits(sa, IntervalForward.points(z), new MathContext(p), cols);
        Interval[][] rel = IntervalForward.attention(sa, IntervalForward.points(z), new MathContext(p), cols);
        Interval[][] fine = IntervalForward.attention(sa, IntervalForward.points(z), new MathContext(p + 40), cols);
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < n; j++) {
                String what = "(" + i + ", " + j + ") at p = " + p + ": " + abs[i][j] + " against " + fine[i][j];
                // the exact value lies in fine (width ~10^{−(p+38)}): abs must reach into it from both sides (abs's
                // exactly accumulated ends can be tighter than fine's own roundings, so not necessarily hold all of it)
                assertTrue(abs[i][j].lo().compareTo(fine[i][j].hi()) <= 0 && abs[i][j].hi().compareTo(fine[i][j].lo()) >= 0, what);
                BigDecimal size = BigDecimal.ONE.add(rel[i][j].hi().abs());
                assertTrue(abs[i][j].width().compareTo(rel[i][j].width().multiply(BigDecimal.valueOf(10))
                        .add(size.movePointLeft(p - 2))) <= 0, what + " too wide against " + rel[i][j]);
            }
        }
    }

    private static double[][] matrix(Random rnd, int rows, int cols, double scale) {
        double[][] m = new double[rows][cols];
        for (double[] row : m) {
            for (int j = 0; j < cols; j++) {
                row[j] = (rnd.nextDouble() * 2 - 1) * scale;
            }
        }
        return m;
    }

    @Test
    void aSingleScoreIsTheWeightOne() {
        Interval[] s = Interval.softmaxAbsolute(new Interval[] {Interval.point(new BigDecimal("-7.25"))}, new MathContext(30));
        assertTrue(s[0].contains(BigDecimal.ONE) && s[0].width().compareTo(new BigDecimal("1e-29")) < 0, s[0].toString());
    }
}
