package org.promptlimits.precision;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link BigMath} against known digits.
 *
 * <p>Reference table {@code reference/bigmath_reference.txt}: 1,200 significant digits of π, e, ln 10 and of
 * exp, log and sqrt at 19 arguments, printed by {@code reference/bigmath_reference.py} (mpmath 1.3.0 at
 * 1,250 digits; the script sits beside the table).
 */
class BigMathTest {

    record Row(String function, BigDecimal argument, BigDecimal value) {
    }

    static List<Row> reference() throws IOException {
        List<Row> rows = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Objects.requireNonNull(
                BigMathTest.class.getResourceAsStream("/reference/bigmath_reference.txt")), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                String[] f = line.trim().split(" ");
                rows.add(new Row(f[0], new BigDecimal(f[1]), new BigDecimal(f[2])));
            }
        }
        return rows;
    }

    static BigDecimal compute(Row row, MathContext mc) {
        return switch (row.function()) {
            case "pi" -> BigMath.pi(mc);
            case "e" -> BigMath.e(mc);
            case "ln10" -> BigMath.ln10(mc);
            case "exp" -> BigMath.exp(row.argument(), mc);
            case "log" -> BigMath.log(row.argument(), mc);
            case "sqrt" -> BigMath.sqrt(row.argument(), mc);
            default -> throw new IllegalStateException(row.function());
        };
    }

    /** |computed/expected − 1|, the relative error. */
    static BigDecimal relativeError(BigDecimal computed, BigDecimal expected) {
        return computed.subtract(expected).abs().divide(expected.abs(), new MathContext(5));
    }

    @Test
    void keptLogarithmsOfIntegersEqualTheComputedOnes() {
        for (int digits : new int[] {20, 40, 300}) {
            java.math.MathContext mc = new java.math.MathContext(digits);
            for (int n = 1; n <= 40; n++) {
                java.math.BigDecimal kept = BigMath.log(java.math.BigDecimal.valueOf(n), mc);
                java.math.BigDecimal again = BigMath.log(java.math.BigDecimal.valueOf(n), mc);
                java.math.BigDecimal computed = BigMath.log(new java.math.BigDecimal(n + ".0"), mc);  // scale 1: not kept
                org.junit.jupiter.api.Assertions.assertEquals(kept, again);
                org.junit.jupiter.api.Assertions.assertEquals(0, kept.compareTo(computed), n + " at " + digits);
            }
        }
    }

    @Test
    void everyFunctionMatchesReferenceDigitsToTheLastPlace() throws IOException {
        for (int digits : new int[] {16, 50, 300, 1190}) {
            MathContext mc = new MathContext(digits, RoundingMode.HALF_EVEN);
            for (Row row : reference()) {
                BigDecimal expected = row.value().round(mc);
                BigDecimal got = compute(row, mc);
                // within one unit in the last place of a digits-digit result
                BigDecimal ulp = BigDecimal.ONE.movePointLeft(digits - 1);
                assertTrue(relativeError(got, expected).compareTo(ulp) <= 0,
                        row.function() + "(" + row.argument() + ") at " + digits + " digits: got " + got.round(new MathContext(30))
                                + "…, expected " + expected.round(new MathContext(30)) + "…, relative error "
                                + relativeError(got, expected));
            }
        }
    }

    @Test
    void expOfLargeNegativeArgumentsNeverUnderflows() {
        BigDecimal x = BigMath.exp(new BigDecimal("-1000000"), new MathContext(30));
        assertTrue(x.signum() > 0);
        // e^-1e6 = 10^-434294.48…: the decimal exponent is exact
        assertEquals(-434295, x.precision() - x.scale() - 1);
    }

    @Test
    void expReachesTheEndsOfItsArgumentRange() {
        // |x| = 1e9 needs 2^±1.44e9, beyond one BigDecimal.pow (|n| ≤ 999,999,999): it once threw "Invalid operation"
        MathContext mc = new MathContext(30);
        for (String s : new String[] {"1e9", "999999999", "7e8"}) {
            BigDecimal up = BigMath.exp(new BigDecimal(s), mc);
            BigDecimal down = BigMath.exp(new BigDecimal(s).negate(), mc);
            // decimal exponent of e^x is ⌊x·log10 e⌋, from a double (x·log10 e is far from an integer here)
            long e10 = (long) Math.floor(new BigDecimal(s).doubleValue() / Math.log(10));
            assertEquals(e10, up.precision() - up.scale() - 1L, s);
            assertEquals(-e10 - 1, down.precision() - down.scale() - 1L, s);
            assertEquals(0, up.multiply(down).subtract(BigDecimal.ONE).abs().compareTo(new BigDecimal("1e-25")) < 0 ? 0 : 1, s);
        }
    }

    @Test
    void expWithItsCachedTablesAgreesWithTheSeriesAlone() {
        // 4,900 digits are the most that take the tables (16,318 fraction bits ≤ 2^14), 5,000 take the series and
        // squarings alone: the two ways agree within their error bounds, also for x just below and above multiples of
        // ln 2 (where the double quotient x / ln 2 can round up to the next integer) and for negative x
        BigDecimal ln2 = BigMath.log(BigDecimal.valueOf(2), new MathContext(60));
        BigDecimal tiny = new BigDecimal("1e-50");
        BigDecimal[] xs = {new BigDecimal("-251.9637014"), new BigDecimal("0.3"), ln2.multiply(BigDecimal.TEN).subtract(tiny),
                ln2.multiply(BigDecimal.TEN).add(tiny), ln2.negate().multiply(BigDecimal.valueOf(7)).subtract(tiny),
                new BigDecimal("1e-30"), new BigDecimal("123456.789")};
        MathContext tables = new MathContext(4900, RoundingMode.HALF_EVEN);
        MathContext series = new MathContext(5000, RoundingMode.HALF_EVEN);
        for (BigDecimal x : xs) {
            BigDecimal a = BigMath.exp(x, tables);
            BigDecimal b = BigMath.exp(x, series).round(tables);
            assertTrue(relativeError(a, b).compareTo(new BigDecimal("2e-4899")) <= 0,
                    "exp(" + x.round(new MathContext(20)) + "): relative difference " + relativeError(a, b));
        }
    }

    @Test
    void expAndLogAreInverse() {
        MathContext mc = new MathContext(200);
        for (String s : new String[] {"-2602.15", "0.001", "17.5", "-1e-40", "1234.5678"}) {
            BigDecimal x = new BigDecimal(s);
            BigDecimal back = BigMath.log(BigMath.exp(x, mc), mc);
            assertTrue(back.subtract(x).abs().compareTo(BigDecimal.ONE.movePointLeft(190).multiply(BigDecimal.ONE.add(x.abs()))) < 0,
                    "log(exp(" + s + ")) = " + back.round(new MathContext(20)));
        }
    }

    @Test
    void badArgumentsNameTheParameterTheValueAndTheRule() {
        MathContext mc = new MathContext(20);
        IllegalArgumentException log = assertThrows(IllegalArgumentException.class, () -> BigMath.log(BigDecimal.ZERO, mc));
        assertTrue(log.getMessage().contains("x (0) must be > 0"), log.getMessage());
        IllegalArgumentException sqrt = assertThrows(IllegalArgumentException.class, () -> BigMath.sqrt(BigDecimal.valueOf(-4), mc));
        assertTrue(sqrt.getMessage().contains("x (-4) must be >= 0"), sqrt.getMessage());
        IllegalArgumentException big = assertThrows(IllegalArgumentException.class, () -> BigMath.exp(new BigDecimal("2e9"), mc));
        assertTrue(big.getMessage().contains("must satisfy |x| <= 1e9"), big.getMessage());
        IllegalArgumentException unlimited = assertThrows(IllegalArgumentException.class,
                () -> BigMath.exp(BigDecimal.ONE, MathContext.UNLIMITED));
        assertTrue(unlimited.getMessage().contains("mc precision (0) must be >= 1"), unlimited.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BigMath.exp(null, mc));
        assertThrows(IllegalArgumentException.class, () -> BigMath.exact(Double.NaN));
    }

    @Test
    void toDoubleEqualsDoubleValueIncludingNumbersNextToAMidpointBetweenDoubles() {
        Random rnd = new Random(7);
        MathContext mc = new MathContext(1200);
        for (int i = 0; i < 2000; i++) {
            // long numbers of every sign and size: a random double times a random 1,200-digit factor near 1
            BigDecimal factor = BigDecimal.ONE.add(BigDecimal.valueOf(rnd.nextDouble()).divide(BigDecimal.valueOf(3 + i), mc));
            BigDecimal x = new BigDecimal((rnd.nextDouble() - 0.5) * Math.pow(10, rnd.nextInt(600) - 300)).multiply(factor, mc);
            assertEquals(x.doubleValue(), BigMath.toDouble(x), x.round(new MathContext(30)).toString());
        }
        // the midpoint between 1 and the next double, and numbers 10^-1000 either side of it: the 40-digit cut cannot
        // decide these, the exact conversion must
        BigDecimal mid = new BigDecimal(1.0).add(new BigDecimal(Math.ulp(1.0)).divide(BigDecimal.valueOf(2)));
        BigDecimal tiny = BigDecimal.ONE.movePointLeft(1000);
        for (BigDecimal x : new BigDecimal[] {mid, mid.add(tiny), mid.subtract(tiny), mid.negate().subtract(tiny)}) {
            assertEquals(x.doubleValue(), BigMath.toDouble(x), x.round(new MathContext(30)).toString());
        }
        assertEquals(1.0 + Math.ulp(1.0), BigMath.toDouble(mid.add(tiny)));
        assertEquals(1.0, BigMath.toDouble(mid.subtract(tiny)));
        IllegalArgumentException beyond = assertThrows(IllegalArgumentException.class,
                () -> BigMath.toDouble(new BigDecimal("-1e400")));
        assertTrue(beyond.getMessage().contains("within double's range"), beyond.getMessage());
    }

    /**
     * Short numbers (up to 140 bits, scales −30 … 400, where BigDecimal's own conversion formats and parses the digits)
     * and the midpoints between neighbouring doubles with numbers just either side: the same double as doubleValue.
     */
    @Test
    void toDoubleOfShortNumbersAndOfMidpointsEqualsDoubleValue() {
        Random rnd = new Random(23);
        for (int i = 0; i < 20_000; i++) {
            BigInteger u = new BigInteger(1 + rnd.nextInt(140), rnd);
            BigDecimal x = new BigDecimal(rnd.nextBoolean() ? u : u.negate(), rnd.nextInt(430) - 30);
            if (Double.isFinite(x.doubleValue()) && Math.abs(x.doubleValue()) >= Double.MIN_NORMAL) {
                assertEquals(x.doubleValue(), BigMath.toDouble(x), x.toString());
            }
        }
        for (int i = 0; i < 20_000; i++) {
            double d = i % 2 == 0 ? rnd.nextDouble() * Math.pow(10, rnd.nextInt(60) - 30)
                    : Double.longBitsToDouble(rnd.nextLong() & 0x7fdfffffffffffffL);
            if (d < Double.MIN_NORMAL) {
                continue;
            }
            BigDecimal mid = new BigDecimal(d).add(new BigDecimal(Math.nextUp(d))).divide(BigDecimal.valueOf(2));
            BigDecimal eps = BigDecimal.ONE.movePointLeft(mid.scale() + 5);
            for (BigDecimal x : new BigDecimal[] {mid, mid.add(eps), mid.subtract(eps), mid.negate()}) {
                assertEquals(x.doubleValue(), BigMath.toDouble(x), x.round(new MathContext(30)).toString());
            }
        }
    }

    /** exponent10 equals Format's (BigDecimal's precision − scale − 1) around powers of ten and across 13,000 bits. */
    @Test
    void exponent10EqualsTheDecimalExponent() {
        Random rnd = new Random(47);
        for (int i = 0; i < 3_000; i++) {
            BigInteger u = i % 3 == 0 ? BigInteger.TEN.pow(rnd.nextInt(4_200)).add(BigInteger.valueOf(rnd.nextInt(3) - 1))
                    : new BigInteger(1 + rnd.nextInt(i % 3 == 1 ? 2_000 : 15_000), rnd);
            if (u.signum() == 0) {
                continue;
            }
            BigDecimal x = new BigDecimal(rnd.nextBoolean() ? u : u.negate(), rnd.nextInt(20_000) - 10_000);
            assertEquals(x.precision() - x.scale() - 1, BigMath.exponent10(x), u.bitLength() + " bits, scale " + x.scale());
        }
    }

    /** add equals BigDecimal's add in value and scale, at scale differences below, across and beyond the kept powers. */
    @Test
    void addEqualsBigDecimalsAddInValueAndScale() {
        Random rnd = new Random(43);
        int[] spans = {0, 5, 18, 19, 20, 300, 1_200, 4_095, 4_096, 6_000};
        for (int i = 0; i < 4_000; i++) {
            BigInteger ua = new BigInteger(rnd.nextInt(4_000), rnd), ub = new BigInteger(rnd.nextInt(4_000), rnd);
            int sa = rnd.nextInt(2_000) - 1_000;
            int sb = sa + (rnd.nextBoolean() ? 1 : -1) * (spans[i % spans.length] + (i % 3 == 0 ? rnd.nextInt(3) : 0));
            BigDecimal a = new BigDecimal(rnd.nextBoolean() ? ua : ua.negate(), sa);
            BigDecimal b = new BigDecimal(rnd.nextBoolean() ? ub : ub.negate(), sb);
            assertEquals(a.add(b), BigMath.add(a, b), "scales " + sa + ", " + sb);
            assertEquals(b.add(a), BigMath.add(b, a), "scales " + sb + ", " + sa);
        }
        assertThrows(IllegalArgumentException.class, () -> BigMath.add(null, BigDecimal.ONE));
    }

    /**
     * An exact sum longer than a BigDecimal holds is refused at once, naming both scales and the limit (BigDecimal's
     * own add failed inside BigInteger with no names), while a far but holdable pair is still summed exactly.
     */
    @Test
    void addRefusesAnExactSumLongerThanABigDecimalHolds() {
        BigDecimal tiny = new BigDecimal("1e-999999999"), huge = new BigDecimal("1e999999999");
        long start = System.nanoTime();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BigMath.add(tiny, huge));
        assertTrue(System.nanoTime() - start < 1_000_000_000L, "refused before computing");
        assertTrue(e.getMessage().contains("scales 999999999 and -999999999") && e.getMessage().contains("646456992")
                && e.getMessage().contains("2000000000 digits"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BigMath.add(huge, tiny));
        BigDecimal far = new BigDecimal("1e-5000"), near = new BigDecimal("1e5000");
        assertEquals(far.add(near), BigMath.add(far, near));
    }

    /**
     * sqrt for FLOOR, DOWN, CEILING, UP and HALF_EVEN is the exact rounding of √x (the largest / smallest number of p
     * digits on its side, or the nearest with ties to even, checked by exact squares), on random numbers, exact squares,
     * squares of p+1-digit numbers ending in 5 (the ties) and powers of ten; and where BigDecimal's own root has the
     * same value it has the same scale too (JDK 17's rounds the root of an exact square up by one unit for CEILING and
     * UP, so values may differ there and only there).
     */
    @Test
    void sqrtRoundsExactlyAndWritesTheScaleBigDecimalWrites() {
        Random rnd = new Random(41);
        RoundingMode[] modes = {RoundingMode.FLOOR, RoundingMode.DOWN, RoundingMode.CEILING, RoundingMode.UP, RoundingMode.HALF_EVEN};
        int sameValue = 0, compared = 0;
        for (int i = 0; i < 3_000; i++) {
            int p = 1 + rnd.nextInt(80);
            BigDecimal x;
            switch (i % 4) {
                case 0 -> x = new BigDecimal(new BigInteger(1 + rnd.nextInt(400), rnd).add(BigInteger.ONE), rnd.nextInt(400) - 100);
                case 1 -> {
                    BigInteger r = new BigInteger(1 + rnd.nextInt(200), rnd).add(BigInteger.ONE);
                    x = new BigDecimal(r.multiply(r), rnd.nextInt(300) - 100);
                }
                case 2 -> {
                    BigInteger r = BigInteger.TEN.pow(p).add(new BigInteger(3 * p + 3, rnd).mod(BigInteger.TEN.pow(p).multiply(BigInteger.valueOf(9))));
                    r = r.divide(BigInteger.TEN).multiply(BigInteger.TEN).add(BigInteger.valueOf(5));
                    x = new BigDecimal(r.multiply(r), 2 * (rnd.nextInt(100) - 30));
                }
                default -> {
                    int k = rnd.nextInt(200) - 100;
                    x = BigDecimal.ONE.scaleByPowerOfTen(k).setScale(Math.max(-k, rnd.nextInt(200) - 50), RoundingMode.UNNECESSARY);
                }
            }
            for (RoundingMode mode : modes) {
                MathContext mc = new MathContext(p, mode);
                BigDecimal r = BigMath.sqrt(x, mc);
                String what = "x " + x + ", " + mc;
                assertTrue(r.precision() <= p, what + ": " + r);
                BigDecimal u = unit(r, p);
                BigDecimal square = r.multiply(r);
                switch (mode) {
                    case FLOOR, DOWN -> assertTrue(square.compareTo(x) <= 0 && r.add(u).pow(2).compareTo(x) > 0, what + ": " + r);
                    case CEILING, UP -> {
                        boolean power = r.unscaledValue().equals(BigInteger.TEN.pow(r.precision() - 1));
                        BigDecimal below = r.subtract(power ? u.movePointLeft(1) : u);
                        assertTrue(square.compareTo(x) >= 0 && below.pow(2).compareTo(x) < 0, what + ": " + r);
                    }
                    default -> {
                        // nearest: x lies between the squares of the midpoints on either side; on a midpoint, the even one
                        boolean power = r.unscaledValue().equals(BigInteger.TEN.pow(r.precision() - 1));
                        BigDecimal halfBelow = (power ? u.movePointLeft(1) : u).divide(BigDecimal.valueOf(2));
                        BigDecimal halfAbove = u.divide(BigDecimal.valueOf(2));
                        int low = x.compareTo(r.subtract(halfBelow).pow(2));
                        int high = x.compareTo(r.add(halfAbove).pow(2));
                        assertTrue(low >= 0 && high <= 0, what + ": " + r);
                        if (low == 0 || high == 0) {
                            assertTrue(!r.movePointRight(p - (r.precision() - r.scale())).toBigInteger().testBit(0), what + ": tie to odd " + r);
                        }
                    }
                }
                BigDecimal jdk = x.sqrt(mc);
                compared++;
                if (jdk.compareTo(r) == 0) {
                    sameValue++;
                    assertEquals(jdk, r, what + ": same value, another scale");
                }
            }
        }
        assertTrue(sameValue > 0.97 * compared, sameValue + " of " + compared + " roots equal to BigDecimal's");
    }

    /**
     * divideCutDivisor: the FLOOR result is at most a / b and the CEILING one at least (checked exactly, by
     * cross-multiplication), both within two units in the last of their {@code digits} digits plus the cut's
     * 10^{−divisorDigits} of the quotient; on 5,000 random pairs of up to 1,400 digits, quotients from 10^{−700} to 10^{40}.
     */
    @Test
    void divisionWithACutDivisorStaysOnItsSideAndNearTheQuotient() {
        Random rnd = new Random(23);
        for (int i = 0; i < 5_000; i++) {
            BigDecimal a = new BigDecimal(new BigInteger(1 + rnd.nextInt(4000), rnd).add(BigInteger.ONE), rnd.nextInt(3000) - 600);
            BigDecimal b = new BigDecimal(new BigInteger(1 + rnd.nextInt(4600), rnd).add(BigInteger.ONE), rnd.nextInt(1500));
            int digits = 12 + rnd.nextInt(1200);
            // the softmax's cut (3 digits beyond the quotient's), and coarser ones that dominate the rounding: a bound
            // on the wrong side would show there
            int divisorDigits = rnd.nextBoolean() ? digits + 3 + rnd.nextInt(3) : 1 + rnd.nextInt(digits);
            BigDecimal lo = BigMath.divideCutDivisor(a, b, digits, RoundingMode.FLOOR, divisorDigits);
            BigDecimal hi = BigMath.divideCutDivisor(a, b, digits, RoundingMode.CEILING, divisorDigits);
            String what = "a " + a.round(new MathContext(20)) + ", b " + b.round(new MathContext(20)) + ", digits " + digits;
            assertTrue(lo.multiply(b).compareTo(a) <= 0, what + ": FLOOR above a / b");
            assertTrue(hi.multiply(b).compareTo(a) >= 0, what + ": CEILING below a / b");
            assertTrue(lo.precision() <= digits && hi.precision() <= digits, what);
            BigDecimal q = a.divide(b, new MathContext(digits + 10));
            BigDecimal tolerance = q.ulp().movePointRight(10).multiply(BigDecimal.valueOf(2)).max(hi.ulp().multiply(BigDecimal.valueOf(2)))
                    .add(q.abs().movePointLeft(divisorDigits - 1));
            assertTrue(hi.subtract(lo).compareTo(tolerance.multiply(BigDecimal.valueOf(2))) <= 0, what + ": " + lo + " .. " + hi);
        }
    }

    /**
     * divideOutward: the lower end equals divideCutDivisor's FLOOR result of a_lo / b_lo, and the upper end is at least
     * a_hi / b_hi (checked exactly, by cross-multiplication) and at most divideCutDivisor's CEILING result of it plus
     * one unit in the last place; on 2,000 random narrow interval quotients (ends a few units apart at 1,300–1,700
     * digits, divisors in either order) of up to 1,200 digits, and on wide ones, which take two divisions.
     */
    @Test
    void oneDivisionForBothEndsOfANarrowQuotient() {
        Random rnd = new Random(29);
        for (int i = 0; i < 2_000; i++) {
            int digits = 12 + rnd.nextInt(1200);
            int scaleA = digits + 200 + rnd.nextInt(500), scaleB = digits + 200 + rnd.nextInt(500);
            BigInteger ua = new BigInteger(3 * scaleA + rnd.nextInt(300), rnd).add(BigInteger.ONE);
            BigInteger ub = new BigInteger(3 * scaleB + rnd.nextInt(300), rnd).add(BigInteger.ONE);
            boolean wide = i % 10 == 0;
            BigInteger wa = wide ? ua.shiftRight(rnd.nextInt(40)) : BigInteger.valueOf(rnd.nextInt(1000));
            BigInteger wb = wide ? ub.shiftRight(rnd.nextInt(40)) : BigInteger.valueOf(rnd.nextInt(1000) - 500);
            BigDecimal aLo = new BigDecimal(ua, scaleA), aHi = new BigDecimal(ua.add(wa), scaleA);
            BigDecimal bLo = new BigDecimal(ub, scaleB), bHi = new BigDecimal(ub.add(wb).max(BigInteger.ONE), scaleB);
            int divisorDigits = digits + 3;
            BigDecimal[] ends = BigMath.divideOutward(aLo, aHi, bLo, bHi, digits, divisorDigits);
            String what = "a " + aLo.round(new MathContext(20)) + ", b " + bLo.round(new MathContext(20)) + ", digits " + digits;
            assertEquals(BigMath.divideCutDivisor(aLo, bLo, digits, RoundingMode.FLOOR, divisorDigits), ends[0], what + ": lower end");
            assertTrue(ends[1].multiply(bHi).compareTo(aHi) >= 0, what + ": upper end below a_hi / b_hi");
            BigDecimal two = BigMath.divideCutDivisor(aHi, bHi, digits, RoundingMode.CEILING, divisorDigits);
            assertTrue(ends[1].compareTo(two.add(two.ulp())) <= 0, what + ": upper end " + ends[1] + " above " + two + " + ulp");
            assertTrue(ends[1].precision() <= digits, what);
        }
        // a_hi / b_hi just above a number Q of `digits` digits, the ends 10^{−(digits+5)} apart: the upper end must be
        // above Q, which the first quotient plus one unit alone is not
        for (int i = 0; i < 500; i++) {
            int digits = 12 + rnd.nextInt(1200);
            BigDecimal q = new BigDecimal(new BigInteger(3 * digits + 3, rnd).add(BigInteger.TEN.pow(digits - 1))
                    .min(BigInteger.TEN.pow(digits).subtract(BigInteger.ONE)), digits + rnd.nextInt(100) - 50);
            BigDecimal bHi = new BigDecimal(new BigInteger(3 * digits + 400, rnd).add(BigInteger.ONE), digits + 200);
            BigDecimal product = q.multiply(bHi);
            BigDecimal aHi = product.add(BigDecimal.ONE.scaleByPowerOfTen(-product.scale() - 5));
            BigDecimal aLo = aHi.subtract(aHi.round(new MathContext(3)).movePointLeft(digits + 5));
            BigDecimal bLo = bHi.add(bHi.round(new MathContext(3)).movePointLeft(digits + 5));
            BigDecimal[] ends = BigMath.divideOutward(aLo, aHi, bLo, bHi, digits, digits + 3);
            assertTrue(ends[1].compareTo(q) > 0, "upper end " + ends[1] + " not above " + q + " (digits " + digits + ")");
            assertTrue(ends[0].multiply(bLo).compareTo(aLo) <= 0, "lower end above a_lo / b_lo (digits " + digits + ")");
        }
    }

    /**
     * floorSqrt equals BigInteger's sqrt (perfect squares and their neighbours included), and sqrtDirected gives the
     * largest p-digit number whose square is at most x (FLOOR) or the smallest whose square is at least x (CEILING),
     * checked by exact squares and the neighbouring p-digit number, on x of 1 to 1,500 digits at scales −400 … 2,000.
     */
    @Test
    void directedSquareRootsAreTheTightestOnTheirSide() {
        Random rnd = new Random(31);
        for (int i = 0; i < 3_000; i++) {
            BigInteger n = new BigInteger(1 + rnd.nextInt(5000), rnd);
            if (i % 3 == 0) {
                n = n.multiply(n).add(BigInteger.valueOf(rnd.nextInt(3) - 1)).abs();
            }
            assertEquals(n.sqrt(), BigMath.floorSqrt(n), "floorSqrt of a " + n.bitLength() + "-bit number");
        }
        for (int i = 0; i < 2_000; i++) {
            BigInteger u = new BigInteger(1 + rnd.nextInt(5000), rnd).add(BigInteger.ONE);
            if (i % 4 == 0) {
                u = u.multiply(u);
            }
            BigDecimal x = new BigDecimal(u, rnd.nextInt(2400) - 400);
            int p = 1 + rnd.nextInt(300);
            BigDecimal lo = BigMath.sqrtDirected(x, p, RoundingMode.FLOOR);
            BigDecimal hi = BigMath.sqrtDirected(x, p, RoundingMode.CEILING);
            String what = "x " + x.round(new MathContext(20)) + ", p " + p;
            assertTrue(lo.precision() <= p && hi.precision() <= p, what);
            assertTrue(lo.multiply(lo).compareTo(x) <= 0 && hi.multiply(hi).compareTo(x) >= 0, what + ": " + lo + " .. " + hi);
            // the neighbouring p-digit numbers: lo + one unit in its p-th digit, hi − one unit (a tenth of it below a power of ten)
            BigDecimal above = lo.add(unit(lo, p));
            assertTrue(above.multiply(above).compareTo(x) > 0 || lo.compareTo(hi) == 0, what + ": " + lo + " is not the largest");
            boolean power = hi.unscaledValue().equals(BigInteger.TEN.pow(hi.precision() - 1));
            BigDecimal below = hi.subtract(power ? unit(hi, p).movePointLeft(1) : unit(hi, p));
            assertTrue(below.multiply(below).compareTo(x) < 0 || lo.compareTo(hi) == 0, what + ": " + hi + " is not the smallest");
        }
    }

    /** One unit in the p-th significant digit of v &gt; 0. */
    private static BigDecimal unit(BigDecimal v, int p) {
        return BigDecimal.ONE.scaleByPowerOfTen(v.precision() - v.scale() - p);
    }

    /** x cut to p digits, then a digit 5 and {@code zeros} zeros appended: a tie for rounding to p digits. */
    private static BigDecimal tie(BigDecimal x, int p, int zeros) {
        BigDecimal cut = x.round(new MathContext(p, RoundingMode.DOWN));
        BigInteger u = cut.unscaledValue().multiply(BigInteger.TEN).add(BigInteger.valueOf(5L * cut.signum()));
        return new BigDecimal(u.multiply(BigInteger.TEN.pow(zeros)), cut.scale() + 1 + zeros);
    }

    @Test
    void directedRoundingAndSumsEqualBigDecimalsOwnInValueAndScale() {
        Random rnd = new Random(11);
        for (int i = 0; i < 1000; i++) {
            int length = 1 + rnd.nextInt(i % 10 == 0 ? 5000 : 1300);
            StringBuilder digits = new StringBuilder(rnd.nextBoolean() ? "-" : "");
            // runs of 9s make carries (999…9 rounded up is 10^k)
            boolean nines = rnd.nextInt(8) == 0;
            for (int k = 0; k < length; k++) {
                digits.append(nines ? '9' : (char) ('0' + rnd.nextInt(10)));
            }
            BigDecimal x = new BigDecimal(new BigInteger(digits.toString()), rnd.nextInt(4000) - 2000);
            BigDecimal y = new BigDecimal(BigInteger.valueOf(rnd.nextLong()), rnd.nextInt(9000) - 4500);
            int p = 1 + rnd.nextInt(1200);
            // round(x, mc) half-even, also on exact ties (x cut to p + 1 digits ending in 5, or in 5 followed by zeros)
            for (BigDecimal v : new BigDecimal[] {x, tie(x, p, 0), tie(x, p, 1 + rnd.nextInt(40))}) {
                MathContext even = new MathContext(p, RoundingMode.HALF_EVEN);
                assertEquals(v.round(even), BigMath.round(v, even), "round HALF_EVEN to " + p + " digits of a " + length + "-digit number");
            }
            for (RoundingMode mode : new RoundingMode[] {RoundingMode.FLOOR, RoundingMode.CEILING}) {
                MathContext mc = new MathContext(p, mode);
                assertEquals(x.round(mc), BigMath.round(x, mc));
                BigDecimal want = x.round(mc);
                BigDecimal got = BigMath.roundDirected(x, p, mode);
                assertEquals(want, got, "round " + mode + " to " + p + " digits of a " + length + "-digit number");
                assertEquals(x.add(y, mc), BigMath.addDirected(x, y, p, mode), "sum " + mode + " to " + p + " digits");
                assertEquals(y.add(x, mc), BigMath.addDirected(y, x, p, mode), "sum " + mode + " to " + p + " digits");
            }
        }
    }
    @Test
    void binaryConversionsOfExpEqualBigDecimalsOwnInValueAndScale() {
        Random rnd = new Random(13);
        for (int i = 0; i < 1000; i++) {
            // x·2^bits to an integer, half-even; ties come from x = j·5^a·10^-b with few digits
            BigInteger u = i % 5 == 0 ? BigInteger.valueOf(1 + rnd.nextInt(9)).multiply(BigInteger.valueOf(5).pow(rnd.nextInt(40)))
                    : new BigInteger(1 + rnd.nextInt(4000), rnd);
            BigDecimal x = new BigDecimal(rnd.nextBoolean() ? u : u.negate(), rnd.nextInt(1400) - 20);
            int bits = 1 + rnd.nextInt(4500);
            assertEquals(x.multiply(new BigDecimal(BigInteger.ONE.shiftLeft(bits))).setScale(0, RoundingMode.HALF_EVEN)
                    .unscaledValue(), BigMath.toFixed(x, bits), "x·2^" + bits + " for x = " + x);
            // e / 2^s to p digits, half-even; e with many trailing zero bits makes exact quotients
            BigInteger e = new BigInteger(1 + rnd.nextInt(5000), rnd).add(BigInteger.ONE).shiftLeft(i % 7 == 0 ? rnd.nextInt(3000) : 0);
            int s = 1 + rnd.nextInt(9000);
            MathContext mc = new MathContext(1 + rnd.nextInt(1300), RoundingMode.HALF_EVEN);
            assertEquals(new BigDecimal(e).divide(new BigDecimal(BigInteger.ONE.shiftLeft(s)), mc),
                    BigMath.dividedByPowerOfTwo(e, s, mc), "e/2^" + s + " to " + mc.getPrecision() + " digits");
            // a quotient by factors in groups equals the quotient by their product
            BigInteger y = new BigInteger(1 + rnd.nextInt(3000), rnd).multiply(BigInteger.valueOf(rnd.nextBoolean() ? 1 : -1));
            long first = 1 + rnd.nextInt(500);
            int count = 1 + rnd.nextInt(12);
            BigInteger product = BigInteger.ONE;
            for (long f = first; f < first + count; f++) {
                product = product.multiply(BigInteger.valueOf(f));
            }
            assertEquals(y.divide(product), BigMath.divideByFactors(y, first, count), first + "···" + (first + count - 1));
        }
    }
    @Test
    void binaryConversionsFromKeptReciprocalsOfPowersOfFiveEqualBigDecimalsOwn() {
        // the scales repeat (kept reciprocals, shifted down for fewer bits, rebuilt for more), x shorter than the result
        // (the reciprocal path) or not, ties from x = j·5^a·10^-b, both signs
        Random rnd = new Random(17);
        int[] scales = {1, 7, 40, 289, 290, 344, 1170, 4000};
        for (int i = 0; i < 3000; i++) {
            BigInteger u = i % 5 == 0 ? BigInteger.valueOf(1 + rnd.nextInt(9)).multiply(BigInteger.valueOf(5).pow(rnd.nextInt(40)))
                    : new BigInteger(1 + rnd.nextInt(i % 3 == 0 ? 4000 : 1200), rnd);
            BigDecimal x = new BigDecimal(rnd.nextBoolean() ? u : u.negate(), scales[rnd.nextInt(scales.length)]);
            int bits = 1 + rnd.nextInt(i % 4 == 0 ? 40000 : 4500);
            assertEquals(x.multiply(new BigDecimal(BigInteger.ONE.shiftLeft(bits))).setScale(0, RoundingMode.HALF_EVEN)
                    .unscaledValue(), BigMath.toFixed(x, bits), "x·2^" + bits + " for x = " + x);
        }
        for (int s : scales) {
            for (int p : new int[] {1, 100, 3000, 20000, 32768}) {
                assertEquals(BigInteger.ONE.shiftLeft(p).divide(BigInteger.valueOf(5).pow(s)), BigMath.fiveReciprocal(s, p),
                        "2^" + p + " / 5^" + s);
            }
            assertNull(BigMath.fiveReciprocal(s, 32769), "beyond the kept bits");
        }
    }

    @Test
    void shortQuotientsOfLongDivisorsEqualBigIntegersOwn() {
        // quotients of 0 to ~300 bits by divisors of up to 4,000 bits (the leading-bits path), exact multiples and
        // multiples minus one (where the estimate is one below), powers of five and ten, negative and short dividends
        Random rnd = new Random(23);
        for (int i = 0; i < 3000; i++) {
            BigInteger d = i % 5 == 0 ? BigMath.fivePow(1 + rnd.nextInt(1500)) : i % 5 == 1 ? BigMath.tenPow(rnd.nextInt(1200))
                    : new BigInteger(1 + rnd.nextInt(4000), rnd).add(BigInteger.ONE);
            BigInteger q = new BigInteger(rnd.nextInt(300), rnd);
            BigInteger a = switch (i % 4) {
                case 0 -> q.multiply(d);
                case 1 -> q.multiply(d).subtract(BigInteger.ONE).max(BigInteger.ZERO);
                case 2 -> q.multiply(d).add(new BigInteger(d.bitLength(), rnd).mod(d));
                default -> new BigInteger(1 + rnd.nextInt(4300), rnd);
            };
            if (i % 13 == 0) {
                a = a.negate();
            }
            assertArrayEquals(a.divideAndRemainder(d), BigMath.divideAndRemainder(a, d), a.bitLength() + " / " + d.bitLength() + " bits");
        }
    }

    @Test
    void directedQuotientsEqualBigDecimalsOwnInValueAndScale() {
        Random rnd = new Random(17);
        for (int i = 0; i < 1000; i++) {
            BigInteger y = i % 11 == 0 ? BigInteger.valueOf(1 + rnd.nextInt(50)) : new BigInteger(1 + rnd.nextInt(4000), rnd).add(BigInteger.ONE);
            // every 7th quotient exact (BigDecimal strips its trailing zeros), some dividends zero or short
            BigInteger x = i % 7 == 0 ? y.multiply(BigInteger.valueOf(rnd.nextInt(100000)))
                    : i % 9 == 0 ? BigInteger.valueOf(rnd.nextInt(1000)) : new BigInteger(1 + rnd.nextInt(4000), rnd);
            BigDecimal a = new BigDecimal(rnd.nextBoolean() ? x : x.negate(), rnd.nextInt(3000) - 1500);
            BigDecimal b = new BigDecimal(rnd.nextBoolean() ? y : y.negate(), rnd.nextInt(3000) - 1500);
            int p = 1 + rnd.nextInt(1300);
            for (RoundingMode mode : new RoundingMode[] {RoundingMode.FLOOR, RoundingMode.CEILING}) {
                assertEquals(a.divide(b, new MathContext(p, mode)), BigMath.divideDirected(a, b, p, mode),
                        "quotient " + mode + " to " + p + " digits");
            }
        }
    }

    @Test
    void expOfANumberFarBelowThePrecisionIsOnePlusItWithoutWritingItOut() {
        MathContext mc = new MathContext(50);
        assertEquals(0, BigMath.exp(new BigDecimal("1e-99999999"), mc).compareTo(BigDecimal.ONE));
        assertEquals(0, BigMath.exp(new BigDecimal("-1e-99999999"), mc).compareTo(BigDecimal.ONE));
        // just inside the shortcut (|x| < 10^-54 at 50 digits) and just outside it: the same as a longer evaluation
        for (String x : new String[] {"3.7e-56", "-3.7e-56", "9.99e-54", "-9.99e-54", "4.2e-40", "-4.2e-40"}) {
            BigDecimal longer = BigMath.exp(new BigDecimal(x), new MathContext(120)).round(mc);
            assertEquals(0, BigMath.exp(new BigDecimal(x), mc).compareTo(longer), x);
        }
        MathContext shorter = new MathContext(60);
        BigDecimal tiny = new BigDecimal("-7e-66");       // 1 - 7e-66 at 70 digits: the 1 + x term shows at 70 digits
        assertEquals(0, BigMath.exp(tiny, new MathContext(70)).compareTo(BigDecimal.ONE.add(tiny)));
        assertEquals(0, BigMath.exp(tiny, shorter).compareTo(BigDecimal.ONE));   // through the shortcut
    }
}
