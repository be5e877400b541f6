package org.promptlimits.precision;

import org.junit.jupiter.api.Test;
import org.promptlimits.core.IntervalForward;
import org.promptlimits.core.SelfAttention;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Interval#softmax} and {@link Interval#softmaxAbsolute} on scores far apart (one weight below e^{−10^9}) or of
 * extreme scale: they finish at once (a generous time guard against the exact sums of 10^8 digits that such inputs
 * used to build), every enclosure holds the exact weight, and a score too large to subtract is refused by name.
 * References: the weights from {@link BigMath#exp} and BigDecimal's division at p + 40 digits; for a gap beyond
 * 10^9, where exp stops, the other scores' softmax without the far one (the far weight e^{−gap} &lt; 10^{−434,294,481}
 * moves them by less than that, far inside the p + 30 digit slack).
 */
class SoftmaxExtremeScoresTest {

    private static final Duration GUARD = Duration.ofSeconds(60);

    private static final BigDecimal EXP_LIMIT = BigMath.EXP_ARGUMENT_LIMIT;

    private static Interval[] points(BigDecimal... a) {
        return Arrays.stream(a).map(Interval::point).toArray(Interval[]::new);
    }

    private static void holds(Interval s, BigDecimal ref, int p, String what) {
        BigDecimal slack = ref.abs().movePointLeft(p + 30);
        assertTrue(s.lo().compareTo(ref.add(slack)) <= 0 && s.hi().compareTo(ref.subtract(slack)) >= 0,
                what + ": " + s + " does not hold " + ref);
    }

    @Test
    void aScoreFarBelowTheOthersIsEnclosedAtOnceAndTheOthersKeepTheirDigits() {
        String[] gaps = {"3000", "1e6", "999999996", "1000000001", "2e9", "1e15", "1e90"};
        assertTimeoutPreemptively(GUARD, () -> {
            for (int p : new int[] {30, 300}) {
                for (String g : gaps) {
                    BigDecimal gap = new BigDecimal(g);
                    BigDecimal[] a = {BigDecimal.ZERO, new BigDecimal("-1.25"), gap.negate(), new BigDecimal("2.5")};
                    boolean representable = gap.add(a[3]).compareTo(EXP_LIMIT) <= 0;    // a_2 − max a ≥ −10^9
                    // the far score left out: the others' weights to within e^{−gap}, far below the slack
                    BigDecimal[] near = {a[0], a[1], a[3]};
                    BigDecimal[] refNear = SoftmaxAbsolutePropertyTest.reference(near, p + 40);
                    BigDecimal[] ref = representable ? SoftmaxAbsolutePropertyTest.reference(a, p + 40) : null;
                    for (boolean absolute : new boolean[] {true, false}) {
                        MathContext mc = new MathContext(p);
                        Interval[] s = absolute ? Interval.softmaxAbsolute(points(a), mc) : Interval.softmax(points(a), mc);
                        String what = (absolute ? "absolute" : "relative") + " p = " + p + " gap " + g;
                        for (int k = 0, r = 0; k < a.length; k++) {
                            if (k == 2) {
                                assertTrue(s[k].lo().signum() >= 0, what + ": far weight " + s[k]);
                                if (representable) {
                                    holds(s[k], ref[k], p, what + " far weight");
                                }
                                // absolute: below every weight's rounding; relative: its own digits, or below e^{−10^9}
                                BigDecimal bound = absolute ? BigDecimal.ONE.movePointLeft(p + 2)
                                        : representable ? ref[k].multiply(new BigDecimal("1.000001"))
                                        : BigDecimal.ONE.movePointLeft(434_294_481);
                                assertTrue(s[k].hi().compareTo(bound) <= 0, what + ": far weight " + s[k] + " above " + bound);
                                continue;
                            }
                            holds(s[k], refNear[r], p, what + " σ_" + k);
                            if (representable) {
                                holds(s[k], ref[k], p, what + " σ_" + k);
                            }
                            assertTrue(s[k].width().compareTo(BigDecimal.valueOf(16).movePointLeft(p - 1)) <= 0,
                                    what + ": σ_" + k + " " + s[k] + " too wide");
                            r++;
                        }
                    }
                }
            }
        });
    }

    @Test
    void anIntervalScoreReachingFarBelowHoldsTheWeightsAtBothItsEnds() {
        assertTimeoutPreemptively(GUARD, () -> {
            int p = 40;
            for (String far : new String[] {"-2e9", "-5e8", "-1e5"}) {
                Interval[] a = {Interval.of(new BigDecimal(far), new BigDecimal("-1")), Interval.point(BigDecimal.ZERO),
                        Interval.point(new BigDecimal("-3"))};
                for (boolean absolute : new boolean[] {true, false}) {
                    Interval[] s = absolute ? Interval.softmaxAbsolute(a, new MathContext(p)) : Interval.softmax(a, new MathContext(p));
                    // at the upper end −1 the weights are the reference's; at the lower end the first is below 10^{−40,000}
                    BigDecimal[] atHi = SoftmaxAbsolutePropertyTest.reference(new BigDecimal[] {new BigDecimal("-1"), BigDecimal.ZERO, new BigDecimal("-3")}, p + 40);
                    BigDecimal[] rest = SoftmaxAbsolutePropertyTest.reference(new BigDecimal[] {BigDecimal.ZERO, new BigDecimal("-3")}, p + 40);
                    String what = (absolute ? "absolute" : "relative") + " lower end " + far;
                    for (int k = 0; k < 3; k++) {
                        holds(s[k], atHi[k], p, what + " σ_" + k + " at the upper end");
                    }
                    assertTrue(s[0].lo().signum() >= 0 && s[0].lo().compareTo(BigDecimal.ONE.movePointLeft(40_000)) <= 0,
                            what + ": " + s[0]);
                    holds(s[1], rest[0], p, what + " σ_1 at the lower end");
                    holds(s[2], rest[1], p, what + " σ_2 at the lower end");
                }
            }
        });
    }

    @Test
    void scoresWithManyDigitsAfterThePointFinishAtOnce() {
        assertTimeoutPreemptively(GUARD, () -> {
            int p = 40;
            BigDecimal tiny = BigDecimal.ONE.movePointLeft(100_000_000);
            Interval[] a = {Interval.point(tiny), Interval.point(BigDecimal.ZERO), Interval.of(BigDecimal.ZERO, tiny)};
            for (boolean absolute : new boolean[] {true, false}) {
                Interval[] s = absolute ? Interval.softmaxAbsolute(a, new MathContext(p)) : Interval.softmax(a, new MathContext(p));
                BigDecimal third = BigDecimal.ONE.divide(BigDecimal.valueOf(3), new MathContext(p + 40));
                for (Interval x : s) {
                    // e^{±10^{−10^8}} moves each weight by less than 10^{−99,999,999}: 1/3 ± 10^{−(p+30)} lies inside
                    holds(x, third, p, (absolute ? "absolute" : "relative"));
                    assertTrue(x.width().compareTo(BigDecimal.ONE.movePointLeft(p - 2)) <= 0, x.toString());
                }
            }
            assertTrue(Interval.of(tiny, BigDecimal.ONE).toString().contains("width 1"));
        });
    }

    @Test
    void aScoreTooLargeToSubtractIsRefusedByName() {
        Interval[] a = points(BigDecimal.ZERO, new BigDecimal("-1e200000"));
        for (boolean absolute : new boolean[] {true, false}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> {
                if (absolute) {
                    Interval.softmaxAbsolute(a, new MathContext(30));
                } else {
                    Interval.softmax(a, new MathContext(30));
                }
            });
            assertTrue(e.getMessage().startsWith("a[1] (-1e200000) must be below 10^100000 in magnitude"), e.getMessage());
        }
    }

    /** d = 1, W_O = W_V = W_Q = 1, W_K = k: the scores k z_j z_q, 10^12 apart for k = 10^12. */
    @Test
    void attentionWithScoresFarApartOrEntriesOfExtremeScaleFinishesAndHoldsItsValue() {
        BigDecimal[][] one = {{BigDecimal.ONE}};
        assertTimeoutPreemptively(GUARD, () -> {
            int p = 50;
            SelfAttention hard = SelfAttention.ofExact(one, one, new BigDecimal[][] {{new BigDecimal("1e12")}}, one);
            BigDecimal[][] z = {{BigDecimal.ONE, BigDecimal.ONE.negate(), new BigDecimal("0.5")}};
            // query 0 puts all but e^{−5·10^11} of its weight on key 0: z_0 + v_0 = 2 to within that
            BigDecimal[] want = {new BigDecimal("2"), new BigDecimal("-2"), new BigDecimal("1.5")};
            for (boolean absolute : new boolean[] {true, false}) {
                Interval[][] out = absolute ? IntervalForward.attentionToAbsoluteDigits(hard, IntervalForward.points(z), new MathContext(p), 0, 1, 2)
                        : IntervalForward.attention(hard, IntervalForward.points(z), new MathContext(p), 0, 1, 2);
                for (int q = 0; q < 3; q++) {
                    assertTrue(out[0][q].contains(want[q]) && out[0][q].width().compareTo(BigDecimal.ONE.movePointLeft(p - 2)) <= 0,
                            (absolute ? "absolute " : "relative ") + q + ": " + out[0][q]);
                }
            }
            // an entry of 10^{−10^8} beside entries of 1: its exact sums would have 10^8 digits
            SelfAttention plain = SelfAttention.ofExact(one, one, one, one);
            BigDecimal[][] mixed = {{BigDecimal.ONE, BigDecimal.ONE.movePointLeft(100_000_000), BigDecimal.ONE}};
            Interval[][] abs = IntervalForward.attentionToAbsoluteDigits(plain, IntervalForward.points(mixed), new MathContext(p), 0, 1, 2);
            Interval[][] fine = IntervalForward.attention(plain, IntervalForward.points(mixed), new MathContext(p + 40), 0, 1, 2);
            for (int q = 0; q < 3; q++) {
                assertTrue(abs[0][q].lo().compareTo(fine[0][q].hi()) <= 0 && abs[0][q].hi().compareTo(fine[0][q].lo()) >= 0,
                        q + ": " + abs[0][q] + " against " + fine[0][q]);
                assertTrue(abs[0][q].width().compareTo(BigDecimal.ONE.movePointLeft(p - 2)) <= 0, abs[0][q].toString());
            }
            assertEquals(3, abs[0].length);
        });
    }
}
