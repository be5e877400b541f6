package org.promptlimits.precision;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigInteger;
import java.nio.ByteOrder;

/**
 * Long division of non-negative integers in 64-bit words: Knuth's schoolbook Algorithm D (TAOCP vol. 2, §4.3.1), each
 * quotient word estimated by dividing the leading two words of the remainder by the divisor's normalized top word
 * through its precomputed reciprocal (Möller and Granlund, "Improved division by invariant integers", IEEE Trans.
 * Computers 60(2), 2011, Algorithm 4), then corrected with the divisor's second word as Knuth does. The quotient and
 * remainder are exactly {@link BigInteger#divideAndRemainder}'s.
 *
 * <p>Why: BigInteger divides in 32-bit words in plain Java (its inner multiply-and-subtract is not a compiler
 * intrinsic, unlike its multiplication), so a division with a long quotient by a divisor of a few hundred to a few
 * thousand bits — the output roundings and the softmax weights of the Lemma 2.2 evaluation at a thousand digits —
 * cost several times a multiplication of the same numbers. Here each step multiplies 64-bit words with
 * {@link Math#multiplyHigh}: a quarter as many word products. Used for divisors of 2 to {@link #MAX_WORDS} words,
 * where it was measured faster than BigInteger on JDK 17 and 25; above, BigInteger's Burnikel–Ziegler recursion wins.
 */
final class WordDivision {

    /** Longest divisor and quotient (64-bit words) taken here; longer ones are left to BigInteger. */
    static final int MAX_WORDS = 160;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private WordDivision() {
    }

    /**
     * Fewest word products (quotient words × divisor words) taken here: below, the conversions to and from words cost
     * what the division saves (7 by 7 words took as long as BigInteger's).
     */
    static final int MIN_PRODUCTS = 64;

    /**
     * Whether {@link #divideAndRemainder} takes a ≥ 0 divided by d &gt; 0: d longer than one word, neither d nor the
     * quotient beyond {@link #MAX_WORDS} words, and at least {@link #MIN_PRODUCTS} word products.
     */
    static boolean suits(BigInteger a, BigInteger d) {
        int dBits = d.bitLength();
        int qBits = a.bitLength() - dBits + 1;
        return a.signum() >= 0 && d.signum() > 0 && dBits > 64 && dBits <= 64 * MAX_WORDS && qBits > 64
                && qBits <= 64 * MAX_WORDS && ((dBits + 63) / 64) * ((qBits + 63) / 64) >= MIN_PRODUCTS;
    }

    /**
     * {q, r} with a = q·d + r, 0 ≤ r &lt; d, for a ≥ 0 and d &gt; 0 with {@link #suits}; the values of
     * {@code a.divideAndRemainder(d)}.
     */
    static BigInteger[] divideAndRemainder(BigInteger a, BigInteger d) {
        long[] v = words(d);
        int n = v.length;
        int s = Long.numberOfLeadingZeros(v[n - 1]);
        long[] u = words(a);
        int m = u.length - n;                  // quotient words: m + 1
        // normalize: top bit of the divisor set; the dividend gets one more word for the shifted-out bits
        long[] vn = shiftLeft(v, n, s, 0);
        long[] un = shiftLeft(u, u.length, s, 1);
        long top = vn[n - 1];
        long second = vn[n - 2];
        long inv = reciprocal(top);
        long[] q = new long[m + 1];
        for (int j = m; j >= 0; j--) {
            long u2 = un[j + n];
            long u1 = un[j + n - 1];
            long u0 = un[j + n - 2];
            long qhat;
            long rhat;
            boolean rhatOverflow;
            if (u2 == top) {
                // (u2·B + u1) / top ≥ B: the estimate B − 1, remainder u1 + top (which may exceed a word)
                qhat = -1L;
                rhat = u1 + top;
                rhatOverflow = Long.compareUnsigned(rhat, u1) < 0;
            } else {
                // Möller–Granlund: (q1, q0) = inv·u2 + (u2, u1); q1 + 1 is the quotient or one or two above it
                long lo = inv * u2;
                long hi = multiplyHighUnsigned(inv, u2);
                long q0 = lo + u1;
                long q1 = hi + u2 + (Long.compareUnsigned(q0, lo) < 0 ? 1 : 0) + 1;
                long r = u1 - q1 * top;
                if (Long.compareUnsigned(r, q0) > 0) {
                    q1--;
                    r += top;
                }
                if (Long.compareUnsigned(r, top) >= 0) {
                    q1++;
                    r -= top;
                }
                qhat = q1;
                rhat = r;
                rhatOverflow = false;
            }
            // Knuth's test with the second divisor word: while qhat·second > rhat·B + u0, qhat is too large
            while (!rhatOverflow) {
                long plo = qhat * second;
                long phi = multiplyHighUnsigned(qhat, second);
                int c = Long.compareUnsigned(phi, rhat);
                if (c < 0 || c == 0 && Long.compareUnsigned(plo, u0) <= 0) {
                    break;
                }
                qhat--;
                long r = rhat + top;
                rhatOverflow = Long.compareUnsigned(r, rhat) < 0;
                rhat = r;
            }
            // un[j .. j+n] −= qhat·vn
            long carry = 0;
            for (int i = 0; i < n; i++) {
                long plo = qhat * vn[i];
                long phi = multiplyHighUnsigned(qhat, vn[i]);
                plo += carry;
                if (Long.compareUnsigned(plo, carry) < 0) {
                    phi++;
                }
                long t = un[i + j];
                un[i + j] = t - plo;
                if (Long.compareUnsigned(t, plo) < 0) {
                    phi++;
                }
                carry = phi;
            }
            long t = un[j + n];
            un[j + n] = t - carry;
            if (Long.compareUnsigned(t, carry) < 0) {
                // qhat was one too large (rare): add the divisor back
                qhat--;
                long c = 0;
                for (int i = 0; i < n; i++) {
                    long x = un[i + j];
                    long sum = x + vn[i];
                    long c1 = Long.compareUnsigned(sum, x) < 0 ? 1 : 0;
                    long sum2 = sum + c;
                    long c2 = Long.compareUnsigned(sum2, sum) < 0 ? 1 : 0;
                    un[i + j] = sum2;
                    c = c1 + c2;
                }
                un[j + n] += c;
            }
            q[j] = qhat;
        }
        long[] r = new long[n];
        for (int i = 0; i < n; i++) {
            r[i] = s == 0 ? un[i] : (un[i] >>> s) | (un[i + 1] << (64 - s));
        }
        return new BigInteger[] {toBigInteger(q), toBigInteger(r)};
    }

    /** The high 64 bits of the unsigned 128-bit product a·b. */
    static long multiplyHighUnsigned(long a, long b) {
        return Math.multiplyHigh(a, b) + ((a >> 63) & b) + ((b >> 63) & a);
    }

    /** ⌊(2^128 − 1) / d⌋ − 2^64 for a normalized d (top bit set): the reciprocal of Möller and Granlund. */
    static long reciprocal(long d) {
        return BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE).divide(toBigInteger(new long[] {d})).longValue();
    }

    /** x's first {@code len} words shifted left by s (0 ≤ s &lt; 64) into len + extra words. */
    private static long[] shiftLeft(long[] x, int len, int s, int extra) {
        long[] out = new long[len + extra];
        if (s == 0) {
            System.arraycopy(x, 0, out, 0, len);
            return out;
        }
        long carry = 0;
        for (int i = 0; i < len; i++) {
            out[i] = (x[i] << s) | carry;
            carry = x[i] >>> (64 - s);
        }
        if (extra > 0) {
            out[len] = carry;
        }
        return out;
    }

    /** The magnitude of x ≥ 0 as little-endian 64-bit words, the top one non-zero (none for 0). */
    static long[] words(BigInteger x) {
        byte[] b = x.toByteArray();       // big-endian, with a leading 0 byte when the top bit is set
        int start = 0;
        while (start < b.length && b[start] == 0) {
            start++;
        }
        int bytes = b.length - start;
        int n = (bytes + 7) / 8;
        long[] w = new long[n];
        int end = b.length;
        for (int k = 0; k < n; k++) {
            int from = end - 8;
            if (from >= start) {
                w[k] = (long) LONGS.get(b, from);
            } else {
                long v = 0;
                for (int i = start; i < end; i++) {
                    v = (v << 8) | (b[i] & 0xFFL);
                }
                w[k] = v;
            }
            end = from;
        }
        return w;
    }

    /** The non-negative integer whose little-endian 64-bit words are w. */
    static BigInteger toBigInteger(long[] w) {
        byte[] b = new byte[8 * w.length];
        for (int k = 0; k < w.length; k++) {
            LONGS.set(b, b.length - 8 * (k + 1), w[k]);
        }
        return new BigInteger(1, b);
    }
}
