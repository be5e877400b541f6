package org.promptlimits.precision;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link WordDivision} against {@link BigInteger#divideAndRemainder}, the quotient and remainder it must equal. */
class WordDivisionTest {

    /** Operands of the shapes that stress Algorithm D: all ones, powers of two and five, runs of zero or one words. */
    private static BigInteger pick(Random rnd, int bits) {
        switch (rnd.nextInt(7)) {
            case 0:
                return BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE);
            case 1:
                return BigInteger.ONE.shiftLeft(bits - 1);
            case 2:
                return BigInteger.ONE.shiftLeft(bits - 1).add(BigInteger.ONE.shiftLeft(rnd.nextInt(bits - 1)));
            case 3:
                return BigInteger.valueOf(5).pow(Math.max(1, (int) (bits / 2.3219)));
            case 4:
                return BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE).subtract(BigInteger.ONE.shiftLeft(rnd.nextInt(bits)));
            case 5: {
                long[] patterns = {0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, 0x8000000000000001L, -2, 0xFFFFFFFF00000000L};
                long[] w = new long[(bits + 63) / 64];
                for (int i = 0; i < w.length; i++) {
                    w[i] = rnd.nextInt(3) == 0 ? rnd.nextLong() : patterns[rnd.nextInt(patterns.length)];
                }
                w[w.length - 1] |= 1;
                return WordDivision.toBigInteger(w);
            }
            default:
                return new BigInteger(bits, rnd).setBit(bits - 1);
        }
    }

    @Test
    void quotientAndRemainderEqualBigIntegersOnRandomAndStructuredOperands() {
        Random rnd = new Random(20261202);
        int compared = 0;
        for (int c = 0; c < 60_000; c++) {
            BigInteger d = pick(rnd, 65 + rnd.nextInt(64 * 170));
            BigInteger a = pick(rnd, d.bitLength() + 1 + rnd.nextInt(64 * 170));
            if (rnd.nextInt(4) == 0) {      // exact multiples and their neighbours
                a = a.multiply(d).add(BigInteger.valueOf(rnd.nextInt(3) - 1)).max(BigInteger.ZERO);
            }
            if (d.bitLength() <= 64 || a.bitLength() < d.bitLength()) {
                continue;
            }
            compared++;
            assertArrayEquals(a.divideAndRemainder(d), WordDivision.divideAndRemainder(a, d),
                    a.toString(16) + " / " + d.toString(16));
            // and through BigMath, which takes this division only where it suits
            assertArrayEquals(a.divideAndRemainder(d), BigMath.divideAndRemainder(a, d), a.bitLength() + " / " + d.bitLength());
        }
        assertTrue(compared > 50_000, "compared " + compared);
    }

    /**
     * Divisions whose quotient word, after Knuth's test with the divisor's second word, is still one too high, so that
     * the divisor is added back (Algorithm D step D6): three of the 3,890 such divisions found among 2.7 million random
     * divisions of 2 to 5 patterned words.
     */
    @Test
    void addsTheDivisorBackWhenTheQuotientWordIsOneTooHigh() {
        String[][] cases = {
                {"800000000000000100000000ffffffff00000000ffffffffffffffffffffffff050d81022181b39aa1fa1ffb3a113d157fffffffffffffff8000000000000001",
                        "800000000000000100000000ffffffff7fffffffffffffff71d664ffa9c025bfc069cbd59919d215"},
                {"ffffffff0000000000000000ffffffff0000000000000000ffffffff00000000a36dba3f10276346ffffffffffffffff7c326503d220f4f268fa9b039d3baf4f",
                        "ffffffff0000000000000000ffffffff7ffffffffffffffe0000000000000000fffffffffffffffe"},
                {"fffffffffffffffe80000000000000005b27a463befd5b16e755405645f14033", "fffffffffffffffe80000000000000008000000000000001"}};
        for (String[] c : cases) {
            BigInteger a = new BigInteger(c[0], 16);
            BigInteger d = new BigInteger(c[1], 16);
            assertArrayEquals(a.divideAndRemainder(d), WordDivision.divideAndRemainder(a, d), c[0] + " / " + c[1]);
        }
    }

    @Test
    void wordsRoundTripAndReciprocalIsMollerGranlunds() {
        Random rnd = new Random(7);
        for (int c = 0; c < 2000; c++) {
            BigInteger x = new BigInteger(1 + rnd.nextInt(3000), rnd);
            assertEquals(x, WordDivision.toBigInteger(WordDivision.words(x)));
            assertEquals((x.bitLength() + 63) / 64, WordDivision.words(x).length);
        }
        for (long d : new long[] {Long.MIN_VALUE, -1L, 0x8000000000000001L, 0xC000000000000000L, rnd.nextLong() | Long.MIN_VALUE}) {
            BigInteger unsigned = new BigInteger(Long.toUnsignedString(d));
            BigInteger want = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE).divide(unsigned).subtract(BigInteger.ONE.shiftLeft(64));
            assertEquals(want.longValue(), WordDivision.reciprocal(d));
            assertEquals(unsigned.multiply(unsigned).shiftRight(64).longValue(), WordDivision.multiplyHighUnsigned(d, d));
        }
    }

    @Test
    void leavesOneWordDivisorsAndTinyOrHugeDivisionsToBigInteger() {
        BigInteger a = BigInteger.ONE.shiftLeft(4000).subtract(BigInteger.ONE);
        assertFalse(WordDivision.suits(a, BigInteger.valueOf(390625)));
        assertFalse(WordDivision.suits(BigInteger.ONE.shiftLeft(200), BigInteger.ONE.shiftLeft(100).add(BigInteger.ONE)));
        assertFalse(WordDivision.suits(BigInteger.ONE.shiftLeft(30000), BigInteger.ONE.shiftLeft(12000).add(BigInteger.ONE)));
        assertFalse(WordDivision.suits(a.negate(), BigInteger.ONE.shiftLeft(500).add(BigInteger.ONE)));
        assertTrue(WordDivision.suits(a, BigInteger.valueOf(5).pow(214)));
    }
}
