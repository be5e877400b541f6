package org.promptlimits.precision;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Interval against mpmath's interval arithmetic: reference/interval_reference.txt holds 3,200 cases (add, sub,
 * mul, div, sqrt, exp, log, softmax at 16 to 100 digits, point and wide arguments, exp arguments up to ±10^4)
 * enclosed by mpmath.iv at 3p + 40 digits; the generating script, interval_reference.py, sits beside it.
 */
class IntervalTest {

    private enum Op { add, sub, mul, div, sqrt, exp, log, softmax }

    private record Case(Op op, int p, List<Interval> args, int k, BigDecimal lo, BigDecimal hi, String line) {
    }

    private static List<Case> cases() throws IOException {
        List<Case> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(Objects.requireNonNull(
                IntervalTest.class.getResourceAsStream("/reference/interval_reference.txt")), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                String[] f = line.trim().split(" ");
                Op op = Op.valueOf(f[0]);
                int p = Integer.parseInt(f[1]);
                int i = 2, k = -1, n;
                if (op == Op.softmax) {
                    k = Integer.parseInt(f[i++]);
                    n = Integer.parseInt(f[i++]);
                } else {
                    n = switch (op) { case add, sub, mul, div -> 2; default -> 1; };
                }
                List<Interval> args = new ArrayList<>();
                for (int j = 0; j < n; j++, i += 2) {
                    args.add(Interval.of(new BigDecimal(f[i]), new BigDecimal(f[i + 1])));
                }
                out.add(new Case(op, p, args, k, new BigDecimal(f[i]), new BigDecimal(f[i + 1]), line));
            }
        }
        return out;
    }

    private static Interval compute(Case c) {
        MathContext mc = new MathContext(c.p());
        Interval a = c.args().get(0);
        return switch (c.op()) {
            case add -> a.add(c.args().get(1), mc);
            case sub -> a.subtract(c.args().get(1), mc);
            case mul -> a.multiply(c.args().get(1), mc);
            case div -> a.divide(c.args().get(1), mc);
            case sqrt -> a.sqrt(mc);
            case exp -> a.exp(mc);
            case log -> a.log(mc);
            case softmax -> Interval.softmax(c.args().toArray(new Interval[0]), mc)[c.k()];
        };
    }

    @Test
    void everyEnclosureContainsMpmathsAndIsNearlyAsNarrow() throws IOException {
        List<Case> cases = cases();
        assertEquals(3200, cases.size());
        Map<Op, Integer> seen = new EnumMap<>(Op.class);
        for (Case c : cases) {
            Interval got = compute(c);
            BigDecimal magnitude = c.lo().abs().max(c.hi().abs());
            if (c.op() == Op.add || c.op() == Op.sub) {
                for (Interval a : c.args()) {
                    magnitude = magnitude.max(a.lo().abs()).max(a.hi().abs());
                }
            }
            if (c.op() == Op.log) {
                magnitude = magnitude.max(BigDecimal.ONE);
            }
            // the reference ends are printed to p + 12 digits: allow that printing, nothing of our own rounding
            BigDecimal printing = magnitude.movePointLeft(c.p() + 10);
            assertTrue(got.lo().compareTo(c.lo().add(printing)) <= 0, () -> "lower end above mpmath's: " + got.lo() + "\n  " + c.line());
            assertTrue(got.hi().compareTo(c.hi().subtract(printing)) >= 0, () -> "upper end below mpmath's: " + got.hi() + "\n  " + c.line());
            // and not much wider: a few units in the p-th digit beyond mpmath's own enclosure
            BigDecimal slack = magnitude.movePointLeft(c.p() - 3);
            assertTrue(got.width().compareTo(c.hi().subtract(c.lo()).add(slack)) <= 0,
                    () -> "enclosure too wide: " + got + "\n  " + c.line());
            seen.merge(c.op(), 1, Integer::sum);
        }
        for (Op op : Op.values()) {
            assertTrue(seen.getOrDefault(op, 0) >= 300, op + " has only " + seen.get(op) + " cases");
        }
    }

    @Test
    void pointArithmeticRoundsOutwardByOneUnit() {
        MathContext mc = new MathContext(5);
        Interval third = Interval.point(BigDecimal.ONE).divide(Interval.point(3), mc);
        assertEquals(new BigDecimal("0.33333"), third.lo());
        assertEquals(new BigDecimal("0.33334"), third.hi());
        Interval negative = Interval.point(-1).divide(Interval.point(3), mc);
        assertEquals(new BigDecimal("-0.33334"), negative.lo());
        assertEquals(new BigDecimal("-0.33333"), negative.hi());
        Interval exact = Interval.point(new BigDecimal("1.5")).add(Interval.point(new BigDecimal("2.25")), mc);
        assertEquals(0, exact.width().signum(), "an exact sum stays a point");
    }

    @Test
    void sqrtEndsAreVerifiedBySquaring() {
        MathContext mc = new MathContext(40);
        Interval s = Interval.point(2).sqrt(mc);
        assertTrue(s.lo().multiply(s.lo()).compareTo(BigDecimal.valueOf(2)) <= 0);
        assertTrue(s.hi().multiply(s.hi()).compareTo(BigDecimal.valueOf(2)) >= 0);
        assertEquals(0, s.width().compareTo(s.lo().ulp()), "one unit wide");
        Interval four = Interval.point(4).sqrt(mc);
        assertEquals(0, four.width().signum(), "√4 is exact");
    }

    @Test
    void tinyExponentialsKeepTheirRelativeWidth() {
        MathContext mc = new MathContext(30);
        Interval e = Interval.point(new BigDecimal("-2602.15")).exp(mc);
        assertTrue(e.isPositive());
        BigDecimal relative = e.width().divide(e.lo(), new MathContext(5, RoundingMode.UP));
        assertTrue(relative.compareTo(new BigDecimal("1e-28")) < 0, relative.toString());
    }

    @Test
    void aNarrowExponentialHoldsBothEndsExponentialsAndIsBarelyWider() {
        MathContext mc = new MathContext(60);
        for (String a : new String[] {"-1301.25", "0.5", "37.123456789"}) {
            BigDecimal lo = new BigDecimal(a);
            BigDecimal hi = lo.add(new BigDecimal("3e-45"));
            Interval narrow = Interval.of(lo, hi).exp(mc);
            Interval atLo = Interval.point(lo).exp(mc);
            Interval atHi = Interval.point(hi).exp(mc);
            assertTrue(narrow.lo().compareTo(atLo.lo()) <= 0, a);
            assertTrue(narrow.hi().compareTo(atHi.hi()) >= 0, a);
            BigDecimal excess = narrow.hi().subtract(atHi.hi()).divide(atHi.hi(), new MathContext(5, RoundingMode.UP));
            assertTrue(excess.compareTo(new BigDecimal("1e-57")) < 0, a + ": " + excess);
        }
    }

    @Test
    void softmaxEnclosuresAreProbabilitiesThatSumToOne() {
        MathContext mc = new MathContext(25);
        Interval[] a = {Interval.point(new BigDecimal("1.5")), Interval.point(-2), Interval.of(new BigDecimal("0.1"), new BigDecimal("0.2"))};
        Interval[] s = Interval.softmax(a, mc);
        Interval total = Interval.sum(s, mc);
        assertTrue(total.contains(BigDecimal.ONE), total.toString());
        for (Interval x : s) {
            assertTrue(x.isPositive() && x.hi().compareTo(BigDecimal.ONE) < 0, x.toString());
        }
    }

    @Test
    void roundingAnIntervalOutwardHoldsItWithTheFewestDigits() {
        java.util.Random rnd = new java.util.Random(23);
        for (int i = 0; i < 500; i++) {
            BigDecimal lo = new BigDecimal(new java.math.BigInteger(1 + rnd.nextInt(3000), rnd), rnd.nextInt(1200) - 200);
            lo = rnd.nextBoolean() ? lo.negate() : lo;
            BigDecimal hi = lo.add(new BigDecimal(new java.math.BigInteger(1 + rnd.nextInt(2000), rnd), rnd.nextInt(1200) - 200));
            MathContext mc = new MathContext(1 + rnd.nextInt(80));
            Interval r = Interval.of(lo, hi).round(mc);
            assertEquals(lo.round(new MathContext(mc.getPrecision(), RoundingMode.FLOOR)), r.lo());
            assertEquals(hi.round(new MathContext(mc.getPrecision(), RoundingMode.CEILING)), r.hi());
        }
        // ends of one scale and digit count (one long division for both), both signs, exact cuts and carries
        for (int i = 0; i < 20000; i++) {
            int len = 2 + rnd.nextInt(1500);
            java.math.BigInteger u = new java.math.BigInteger(len, rnd).setBit(len - 1);
            if (rnd.nextInt(8) == 0) {   // just below a power of ten: the upper end carries to one more digit
                u = java.math.BigInteger.TEN.pow(1 + (int) (len * 0.30103)).subtract(java.math.BigInteger.valueOf(rnd.nextInt(1000)));
            }
            int digits = 1 + rnd.nextInt(Math.max(1, (int) (len * 0.301)));
            java.math.BigInteger w = rnd.nextInt(4) == 0 ? java.math.BigInteger.ZERO : new java.math.BigInteger(1 + rnd.nextInt(len), rnd);
            if (rnd.nextInt(6) == 0) {   // cut exactly at the rounding digit
                java.math.BigInteger unit = java.math.BigInteger.TEN.pow(Math.max(0, u.toString().length() - digits));
                u = u.divide(unit).multiply(unit);
                w = w.divide(unit).multiply(unit);
            }
            int scale = rnd.nextInt(2000) - 500;
            BigDecimal lo = new BigDecimal(u, scale), hi = new BigDecimal(u.add(w), scale);
            if (rnd.nextBoolean()) {
                BigDecimal t = lo.negate();
                lo = hi.negate();
                hi = t;
            }
            MathContext mc = new MathContext(digits);
            Interval r = Interval.of(lo, hi).round(mc);
            String what = "[" + lo + ", " + hi + "] to " + digits;
            assertEquals(lo.round(new MathContext(digits, RoundingMode.FLOOR)), r.lo(), what);
            assertEquals(hi.round(new MathContext(digits, RoundingMode.CEILING)), r.hi(), what);
        }
    }

    @Test
    void refusalsNameTheRule() {
        MathContext mc = new MathContext(10);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Interval.point(1).divide(Interval.of(BigDecimal.valueOf(-1), BigDecimal.ONE), mc));
        assertTrue(e.getMessage().contains("must not contain 0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Interval.point(-1).sqrt(mc));
        assertThrows(IllegalArgumentException.class, () -> Interval.point(0).log(mc));
        assertThrows(IllegalArgumentException.class, () -> Interval.of(BigDecimal.ONE, BigDecimal.ZERO));
    }
    @Test
    void midIsTheExactHalfOfTheSumWithBigDecimalsScale() {
        java.util.Random rnd = new java.util.Random(19);
        for (int i = 0; i < 2000; i++) {
            BigDecimal a = new BigDecimal(new java.math.BigInteger(1 + rnd.nextInt(4000), rnd), rnd.nextInt(3000) - 1500);
            BigDecimal b = a.add(new BigDecimal(new java.math.BigInteger(1 + rnd.nextInt(4000), rnd), rnd.nextInt(3000) - 1500));
            if (rnd.nextBoolean()) {
                BigDecimal t = a.negate();
                a = b.negate();
                b = t;
            }
            assertEquals(a.add(b).divide(BigDecimal.valueOf(2)), Interval.of(a, b).mid(), "mid of " + a + ", " + b);
        }
    }
}
