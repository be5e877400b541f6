package org.promptlimits.precision;

import org.promptlimits.check.Interrupts;
import org.promptlimits.check.Format;
import org.promptlimits.check.Require;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Arbitrary-precision exp, log, sqrt and π for {@link BigDecimal}, each correct to the requested number of
 * significant digits (relative error below one unit in the last place of the working precision, rounded
 * once more to {@code mc}). theory §3, §8 (precision note).
 *
 * <p>No result ever underflows: exp(−10^6) is returned as a number near 3.3e-434295, not as zero. The only
 * limit is BigDecimal's 32-bit scale, so arguments of exp are refused above |x| = 10^9.
 *
 * <p>Methods: exp in binary fixed point by e^x = 2^q · e^t (q = ⌊x / ln 2⌋ or the nearest integer), the leading bits
 * of t from cached tables of e^{j/2^{8i}} (up to about 4,900 digits), and e^r = (e^{r/2^k})^{2^k} with a Taylor series
 * for the small rest; log by Halley iteration on exp with tripling precision, after
 * splitting off the decimal exponent (ln x = ln m + k ln 10); π by Machin's formula
 * π = 16 atan(1/5) − 4 atan(1/239); sqrt by {@link BigDecimal#sqrt}. Constants (e, ln 10, π, ln of integers up to 2^20) are cached per
 * precision; the cache holds only pure values.
 */
public final class BigMath {

    /** Largest |x| accepted by {@link #exp}: e^{10^9} ≈ 10^{4.3e8} still fits a BigDecimal scale. */
    public static final BigDecimal EXP_ARGUMENT_LIMIT = BigDecimal.TEN.pow(9);

    private static final Map<Integer, BigDecimal> E = new ConcurrentHashMap<>();
    private static final Map<Integer, BigDecimal> LN10 = new ConcurrentHashMap<>();
    private static final Map<Integer, BigDecimal> PI = new ConcurrentHashMap<>();

    private BigMath() {
    }

    /**
     * The exponential e^x to {@code mc.getPrecision()} significant digits.
     *
     * @param x  the argument, |x| ≤ 10^9. Not modified.
     * @param mc precision (digits ≥ 1, not unlimited) and rounding of the result
     * @return e^x with relative error below 10^{1−digits}; never zero
     * @throws IllegalArgumentException if |x| &gt; 10^9 or mc has unlimited precision
     */
    public static BigDecimal exp(BigDecimal x, MathContext mc) {
        Require.notNull("x", x);
        int digits = functionDigits(mc);
        if (x.abs().compareTo(EXP_ARGUMENT_LIMIT) > 0) {   // the message only when it is thrown: formatting x is not free
            throw new IllegalArgumentException("x (" + Format.numberBeside(x, x.signum() < 0 ? EXP_ARGUMENT_LIMIT.negate() : EXP_ARGUMENT_LIMIT)
                    + ") must satisfy |x| <= 1e9 so that e^x fits a BigDecimal");
        }
        if (x.signum() == 0) {
            return BigDecimal.ONE.round(mc);
        }
        if ((long) x.precision() - x.scale() < -(digits + 4L)) {
            // |x| < 10^−(digits+4): e^x = 1 + x within x² < 10^−(2·digits+8), far below the working precision; the
            // fixed-point path would first write x with 10^scale's digits (1e-99999999 ran the JVM out of memory)
            return round(BigDecimal.ONE.add(x, new MathContext(digits + 3, RoundingMode.HALF_EVEN)), mc);
        }
        int bits = (int) Math.ceil(digits * 3.3219280948873626) + 40;  // fraction bits of t
        // the series below wants |y| ≤ 2^−(reduce + 1) for its argument y, about cbrt(8·bits) bits of reduction in all
        int reduce = Math.max(8, (int) Math.cbrt(bits * 8.0));
        // with the tables, each level takes LEVEL_BITS bits of t with one product, where a squaring (about half a
        // product) takes one bit: reduction then costs a quarter as much per bit, which moves the balance against
        // the series' terms to about twice the reduction (for a cost c per bit, r ≈ (g/c²)^{1/3}), and no squaring
        int levels = bits <= TABLE_BITS_LIMIT ? Math.min(MAX_LEVELS, 2 * reduce / LEVEL_BITS) : 0;
        boolean tables = levels > 0;
        // e^x = 2^q · e^t, t in binary fixed point: q = round(x / ln 2), |t| ≤ ln 2 / 2 (plus rounding); with the
        // tables q = ⌊x / ln 2⌋, 0 ≤ t < ln 2 (plus rounding)
        double quotient = toDouble(x) / 0.6931471805599453;
        long q = tables ? (long) Math.floor(quotient) : Math.round(quotient);
        BigInteger xFixed = toFixed(x, bits);
        BigInteger t = xFixed.subtract(timesLn2(q, bits));
        if (tables && t.signum() < 0) {     // x / ln 2 just below an integer that the double quotient rounded up to
            q--;
            t = xFixed.subtract(timesLn2(q, bits));
        }
        int k = Math.max(0, reduce + 1 - levels * LEVEL_BITS);
        BigInteger et = tables ? expByTables(t, bits, k, levels) : expFixed(t, bits, k, 1);    // e^t · 2^(bits + k)
        int fraction = bits + k;
        long shift = q - fraction;
        MathContext work = new MathContext(digits + 3, RoundingMode.HALF_EVEN);
        BigDecimal result;
        // an exact shift costs O(|shift|) digits: take it only while it is comparable to the working size
        long direct = 4L * bits + 4096;
        if (shift >= 0 && shift <= direct) {
            result = new BigDecimal(et.shiftLeft((int) shift), work);
        } else if (shift < 0 && -shift <= direct) {
            result = dividedByPowerOfTwo(et, (int) -shift, work);
        } else {
            MathContext wide = new MathContext(digits + 20, RoundingMode.HALF_EVEN);
            // BigDecimal.pow takes |n| ≤ 999,999,999 and |shift| reaches 1.45e9 at |x| = 1e9: two half powers
            BigDecimal two = BigDecimal.valueOf(2);
            int half = (int) (shift / 2);
            result = new BigDecimal(et).multiply(two.pow(half, wide), wide).multiply(two.pow((int) shift - half, wide), wide);
        }
        return round(result, mc);
    }

    /**
     * e^t · 2^(bits+k) for t given as T = t · 2^bits (|t| ≤ 2^−small): the integer T read with bits + k fraction
     * bits is y = t/2^k, |y| ≤ 2^−(k+small); the Taylor series of e^y by rectangular splitting (blocks of m terms, so
     * only about m + N/m full multiplications for N terms), then k squarings (each squaring at most doubles the
     * relative error, and the k extra fraction bits pay for that).
     *
     * <p>Block j (terms jm … jm+m−1) enters the sum with the factor y^{jm}/(jm)! ≤ 2^{−D_j}, D_j = jm(k+small) +
     * log2((jm)!), so it is carried with g − D_j + 8 fraction bits instead of g: its truncations, a few units of
     * 2^{−(g−D_j+8)} each, reach the sum as a few units of 2^{−g−8}. The later blocks, which are most of them, are
     * so computed on numbers a fraction of the full length.
     */
    private static BigInteger expFixed(BigInteger t, int bits, int k, int small) {
        int g = bits + k;
        // number of terms N: y^N/N! < 2^-g with |y| ≤ 2^-(k + small)
        int terms = 1;
        double log2Term = 0;
        while (log2Term > -g - 8) {
            terms++;
            log2Term += -(k + small) - Math.log(terms) / Math.log(2);
        }
        int m = Math.max(2, (int) Math.ceil(Math.sqrt(terms)));
        int blocks = (terms + m - 1) / m;
        BigInteger[] powers = new BigInteger[m + 1]; // y^i · 2^g
        powers[0] = BigInteger.ONE.shiftLeft(g);
        powers[1] = t;
        for (int i = 2; i <= m; i++) {    // even powers as squares (a square costs about half a product here)
            powers[i] = (i % 2 == 0 ? powers[i / 2].multiply(powers[i / 2]) : powers[i - 1].multiply(t)).shiftRight(g);
        }
        // drop[j] = max(0, ⌊D_j⌋ − 8): block j is carried with g − drop[j] fraction bits (D_j from doubles, whose error
        // is far below the 8 bits of margin)
        int[] drop = new int[blocks + 1];
        double log2Factorial = 0;
        for (int j = 1; j <= blocks; j++) {
            for (long f = (long) (j - 1) * m + 1; f <= (long) j * m; f++) {
                log2Factorial += Math.log(f) / Math.log(2);
            }
            drop[j] = (int) Math.max(0, Math.min(g, Math.floor((double) j * m * (k + small) + log2Factorial) - 8));
        }
        BigInteger acc = BigInteger.ZERO;   // at g − drop[j + 1] fraction bits
        for (int j = blocks - 1; j >= 0; j--) {
            Interrupts.check();
            int s = drop[j];
            // acc = P_j + y^m · acc · (jm)!/(jm+m)! with P_j = Σ_{i<m} y^i · (jm)!/(jm+i)!, times D = (jm+1)···(jm+m):
            // D · P_j = Σ_{i<m} y^i · (jm+i+1)···(jm+m) takes small-integer products only, and one division by D
            // in Horner's form, (((y^0 (jm+1) + y^1)(jm+2) + y^2) ··· + y^{m−1})(jm+m): the same integer, with
            // one-word multipliers only (BigInteger multiplies by one word in a single pass)
            BigInteger block = powers[0].shiftRight(s);
            for (int i = 1; i < m; i++) {
                block = block.multiply(BigInteger.valueOf((long) j * m + i)).add(powers[i].shiftRight(s));
            }
            block = block.multiply(BigInteger.valueOf((long) j * m + m));
            // y^m at g − s fraction bits times acc at g − drop[j+1]: the product at g − s fraction bits
            BigInteger tail = powers[m].shiftRight(s).multiply(acc).shiftRight(g - drop[j + 1]);
            acc = divideByFactors(block.add(tail), (long) j * m + 1, m);
        }
        BigInteger sum = acc;
        for (int i = 0; i < k; i++) {
            Interrupts.check();
            sum = sum.multiply(sum).shiftRight(g);
        }
        return sum;
    }

    /** Bits of t taken from each level of {@link #expByTables}: a table of 2^LEVEL_BITS entries per level. */
    private static final int LEVEL_BITS = 8;

    /**
     * Most levels of tables (each is one product per exponential, in place of LEVEL_BITS squarings or series terms):
     * about 2·cbrt(8·bits) / LEVEL_BITS are used, 7 at 1,070 digits.
     */
    private static final int MAX_LEVELS = 8;

    /**
     * Largest fraction-bit count that uses the tables (about 4,900 digits): their MAX_LEVELS · 2^LEVEL_BITS entries
     * then hold up to 5.3 megabytes, and beyond it the reduction they save is a small part of exp's cost.
     */
    private static final int TABLE_BITS_LIMIT = 1 << 14;

    /** Extra fraction bits of the table entries over the series' g, for the truncated products. */
    private static final int TABLE_GUARD = 16;

    /** q · ln 2 · 2^bits, from ln 2 carried with bitLength(q) + 8 extra bits: error below 2^−8 units of 2^−bits. */
    private static BigInteger timesLn2(long q, int bits) {
        int qBits = 64 - Long.numberOfLeadingZeros(Math.abs(q));
        return ln2Fixed(bits + qBits + 8).multiply(BigInteger.valueOf(q)).shiftRight(qBits + 8);
    }

    /**
     * e^t · 2^(bits+k) for 0 ≤ t &lt; 1 (as T = t · 2^bits; in exp, t &lt; ln 2 plus rounding): with L = {@link #LEVEL_BITS},
     * t = j_1/2^L + j_2/2^{2L} + … + j_levels/2^{levels·L} + r, 0 ≤ j_i &lt; 2^L, 0 ≤ r &lt; 2^{−levels·L}, and
     * e^t = e^{j_1/2^L} ··· e^{j_levels/2^{levels·L}} · e^r: one entry of a cached table per level (one product each)
     * in place of L squarings each, and e^r by {@link #expFixed} with k squarings. Each entry, shifted to
     * g + TABLE_GUARD fraction bits (g = bits + k), has relative error below 2^{−(g+15)}, and each product truncates
     * once at those bits: the result is within a few units of 2^−g of e^t (relative), as the series alone is.
     */
    private static BigInteger expByTables(BigInteger t, int bits, int k, int levels) {
        int g = bits + k;
        int[] j = new int[levels];
        BigInteger rest = t;
        for (int i = 0; i < levels; i++) {
            int shift = bits - (i + 1) * LEVEL_BITS;
            j[i] = rest.shiftRight(shift).intValue();           // below 2^LEVEL_BITS: t < 1, then rest < 2^{shift + L}
            rest = rest.subtract(BigInteger.valueOf(j[i]).shiftLeft(shift));
        }
        BigInteger result = expFixed(rest, bits, k, levels * LEVEL_BITS);        // e^r · 2^g
        int gt = g + TABLE_GUARD;
        ExpTables tables = expTables(gt);
        for (int i = 0; i < levels; i++) {
            if (j[i] != 0) {
                result = result.multiply(tables.levels[i][j[i]].shiftRight(tables.bits - gt)).shiftRight(gt);
            }
        }
        return result;
    }

    /** levels[i][j] = e^{j/2^{(i+1)L}} · 2^bits (L = {@link #LEVEL_BITS}, j &lt; 2^L), for i &lt; {@link #MAX_LEVELS}. */
    private record ExpTables(int bits, BigInteger[][] levels) {
    }

    private static volatile ExpTables expTables;

    /**
     * The tables with at least {@code bits} fraction bits: the kept ones (entries shifted down when used), or new ones
     * at a quarter more bits than asked, so that slowly growing precisions rebuild them only a few times.
     */
    private static ExpTables expTables(int bits) {
        ExpTables kept = expTables;
        if (kept != null && kept.bits >= bits) {
            return kept;
        }
        int b = bits + bits / 4;
        BigInteger[][] levels = new BigInteger[MAX_LEVELS][];
        for (int i = 0; i < MAX_LEVELS; i++) {
            levels[i] = powersOfExp(b, (i + 1) * LEVEL_BITS);
        }
        ExpTables built = new ExpTables(b, levels);
        expTables = built;
        return built;
    }

    /**
     * e^{j/2^s} · 2^bits for j = 0 … 2^{LEVEL_BITS} − 1: e^{1/2^s} by the series at w = bits + 32 fraction bits (within
     * a few units of 2^−w, relative), then its powers by repeated truncated products (each adds that relative error
     * and a unit: under 2^12 units of 2^−w after 255 products), cut to bits at the end: relative error below
     * 2^−(bits+20) + 2^−bits.
     */
    private static BigInteger[] powersOfExp(int bits, int s) {
        int w = bits + 32;
        int k = Math.max(8, (int) Math.cbrt(w * 8.0));
        BigInteger base = expFixed(BigInteger.ONE.shiftLeft(w - s), w, k, s).shiftRight(k);    // e^{2^−s} · 2^w
        BigInteger[] out = new BigInteger[1 << LEVEL_BITS];
        BigInteger power = BigInteger.ONE.shiftLeft(w);
        for (int j = 0; j < out.length; j++) {
            Interrupts.check();
            out[j] = power.shiftRight(32);
            power = power.multiply(base).shiftRight(w);
        }
        return out;
    }

    /**
     * x · 2^bits rounded half-even to an integer: the value of {@code x.multiply(2^bits).setScale(0, HALF_EVEN)}, for
     * x = U·10^{−s} (s &gt; 0) as U·2^{bits−s} / 5^s, a divisor 30 % shorter than BigDecimal's 10^s. When bits ≥ s
     * (e = bits − s) and x is shorter than the result (an exponential's argument: a few hundred digits at a thousand
     * digits of precision), the quotient Q = ⌊|U|·2^e / 5^s⌋ comes from a kept reciprocal R = ⌊2^{e+c} / 5^s⌋ with
     * c = bitLength(U) + 1: |U|·R / 2^c lies within |U| / 2^c &lt; 1/2 below |U|·2^e / 5^s, so Q̂ = ⌊|U|·R / 2^c⌋ is Q
     * or Q − 1, and one product Q̂·5^s and at most one subtraction give Q and the remainder: a short-by-long product
     * instead of a long division by 5^s.
     */
    static BigInteger toFixed(BigDecimal x, int bits) {
        int s = x.scale();
        if (s <= 0 || s >= TEN_POWERS_KEPT) {
            return x.multiply(new BigDecimal(BigInteger.ONE.shiftLeft(bits))).setScale(0, RoundingMode.HALF_EVEN)
                    .unscaledValue();
        }
        BigInteger u = x.unscaledValue();
        BigInteger den = fivePow(s).shiftLeft(Math.max(0, s - bits));
        BigInteger q;
        BigInteger r;      // |U|·2^max(0, bits−s) = Q·den + r, 0 ≤ r < den
        BigInteger reciprocal = bits >= s && 2 * u.bitLength() < bits ? fiveReciprocal(s, bits - s + u.bitLength() + 1) : null;
        if (reciprocal != null) {
            BigInteger a = u.abs();
            BigInteger num = a.shiftLeft(bits - s);
            q = a.multiply(reciprocal).shiftRight(u.bitLength() + 1);
            r = num.subtract(q.multiply(den));
            if (r.compareTo(den) >= 0) {
                r = r.subtract(den);
                q = q.add(BigInteger.ONE);
            }
        } else {
            BigInteger[] qr = divideAndRemainder(u.abs().shiftLeft(Math.max(0, bits - s)), den);
            q = qr[0];
            r = qr[1];
        }
        int half = r.shiftLeft(1).compareTo(den);
        if (half > 0 || half == 0 && q.testBit(0)) {
            q = q.add(BigInteger.ONE);
        }
        return u.signum() < 0 ? q.negate() : q;
    }

    /** ⌊2^p / 5^s⌋ for the precision p it was asked with: kept per s, shifted down for a smaller p. */
    private record FiveReciprocal(int p, BigInteger value) {
    }

    private static final Map<Integer, FiveReciprocal> FIVE_RECIPROCALS = new ConcurrentHashMap<>();

    /** Most reciprocals kept (scales), and the most bits each may have: at most about a megabyte in all. */
    private static final int FIVE_RECIPROCALS_KEPT = 256;
    private static final int FIVE_RECIPROCAL_BITS = 2 * TABLE_BITS_LIMIT;

    /**
     * ⌊2^p / 5^s⌋ (s &lt; {@link #TEN_POWERS_KEPT}), from the kept one at p' ≥ p bits (⌊⌊2^{p'}/5^s⌋ / 2^{p'−p}⌋ is the
     * same integer), or computed at a quarter more bits and kept (all are dropped when a new scale finds
     * {@link #FIVE_RECIPROCALS_KEPT} kept); null when p exceeds {@link #FIVE_RECIPROCAL_BITS} (the caller divides instead).
     */
    static BigInteger fiveReciprocal(int s, int p) {
        if (p > FIVE_RECIPROCAL_BITS) {
            return null;
        }
        FiveReciprocal kept = FIVE_RECIPROCALS.get(s);
        if (kept == null || kept.p < p) {
            if (kept == null && FIVE_RECIPROCALS.size() >= FIVE_RECIPROCALS_KEPT) {
                FIVE_RECIPROCALS.clear();     // many scales seen: start again with the ones now in use
            }
            int wide = Math.min(FIVE_RECIPROCAL_BITS, p + p / 4);
            kept = new FiveReciprocal(wide, BigInteger.ONE.shiftLeft(wide).divide(fivePow(s)));
            FIVE_RECIPROCALS.put(s, kept);
        }
        return kept.value.shiftRight(kept.p - p);
    }

    /**
     * e / 2^s rounded half-even to mc's digits (e &gt; 0, s &gt; 0), the value of {@code new BigDecimal(e).divide(2^s, mc)}
     * by a multiplication and a shift instead of a division by the 2^s of thousands of bits: q = ⌊e·10^k / 2^s⌋ (as
     * ⌊e·5^k / 2^(s−k)⌋) with at
     * least P + 1 digits (P = mc's), and the exact quotient lies strictly between q and q + 1 when bits are shifted out;
     * then 10q + 1 (at scale k + 1) lies in the same rounding cell as the quotient (every cell boundary of P digits
     * out of P + 2 or more is a multiple of 10), so rounding it once gives the quotient's rounding. An exact quotient
     * (nothing shifted out) takes BigDecimal's division, which also strips its trailing zeros.
     */
    static BigDecimal dividedByPowerOfTwo(BigInteger e, int s, MathContext mc) {
        // digits of e/2^s ≥ ⌊(bitLength − 1 − s)·log10 2⌋ + 1; one digit of margin for the floating-point estimate
        int k = Math.max(0, mc.getPrecision() + 2 - (int) Math.floor((e.bitLength() - 1 - s) * 0.30102999566398120));
        // e·10^k / 2^s = e·5^k / 2^(s−k), with 5^k 30 % shorter than 10^k; nothing is shifted out of e·10^k / 2^s exactly
        // when e·10^k has s trailing zero bits, lowestSetBit(e) + k of them (5^k is odd)
        if ((long) e.getLowestSetBit() + k >= s) {
            return new BigDecimal(e).divide(new BigDecimal(BigInteger.ONE.shiftLeft(s)), mc);
        }
        BigInteger q = e.multiply(fivePow(k)).shiftRight(s - k);
        return round(new BigDecimal(q.multiply(BigInteger.TEN).add(BigInteger.ONE), k + 1), mc);
    }

    /**
     * x / ((first)(first+1)···(first+count−1)), truncated toward zero as {@link BigInteger#divide}: one division per
     * group of consecutive factors whose product fits 31 bits (trunc(trunc(x/a)/b) = trunc(x/(ab)) for a, b &gt; 0, so
     * the quotient is the same), because BigInteger divides by a one-word divisor with the hardware's division and by
     * a two-word one with a software quotient estimate per word: at 1,000 digits the single division by the 57-bit
     * product of 9 factors took a third of the series.
     */
    static BigInteger divideByFactors(BigInteger x, long first, int count) {
        long part = 1;
        for (long f = first; f < first + count; f++) {
            if (part > Integer.MAX_VALUE / f) {
                x = x.divide(BigInteger.valueOf(part));
                part = f;
            } else {
                part *= f;
            }
        }
        return x.divide(BigInteger.valueOf(part));
    }

    private static final Map<Integer, BigInteger> LN2 = new ConcurrentHashMap<>();

    /** ln 2 · 2^bits rounded down, by ln 2 = 2 Σ 1/((2i+1) 3^{2i+1}) in fixed point (cached per bit count). */
    private static BigInteger ln2Fixed(int bits) {
        return LN2.computeIfAbsent(bits, b -> {
            int g = b + 16;
            BigInteger nine = BigInteger.valueOf(9);
            BigInteger power = BigInteger.ONE.shiftLeft(g).divide(BigInteger.valueOf(3));
            BigInteger sum = power;
            for (int i = 1; power.signum() != 0; i++) {
                Interrupts.check();
                power = power.divide(nine);
                sum = sum.add(power.divide(BigInteger.valueOf(2L * i + 1)));
            }
            return sum.shiftLeft(1).shiftRight(16);
        });
    }

    /** Euler's number e = Σ 1/k! at precision {@code mc} (cached per precision). */
    public static BigDecimal e(MathContext mc) {
        int digits = functionDigits(mc);
        return E.computeIfAbsent(digits, p -> {
            MathContext work = new MathContext(p + 10, RoundingMode.HALF_EVEN);
            BigDecimal threshold = BigDecimal.ONE.movePointLeft(p + 12);
            BigDecimal sum = BigDecimal.ONE;
            BigDecimal term = BigDecimal.ONE;
            for (int i = 1; term.compareTo(threshold) >= 0; i++) {
                Interrupts.check();
                term = term.divide(BigDecimal.valueOf(i), work);
                sum = sum.add(term, work);
            }
            return sum.round(new MathContext(p, RoundingMode.HALF_EVEN));
        }).round(mc);
    }

    /**
     * The natural logarithm ln x to {@code mc.getPrecision()} significant digits (absolute error below
     * 10^{−digits}·max(1, |ln x|)).
     *
     * @param x positive, of any magnitude (1e-1133 is fine). Not modified.
     * @throws IllegalArgumentException if x ≤ 0
     */
    public static BigDecimal log(BigDecimal x, MathContext mc) {
        Require.notNull("x", x);
        int digits = functionDigits(mc);
        Require.that(x.signum() > 0, "x (" + x + ") must be > 0 to take its logarithm");
        // ln of a small integer (ln n of a sequence length, taken several times per construction) is kept per precision
        if (x.scale() == 0 && x.compareTo(SMALL_INTEGER) <= 0 && LN_INT.size() < LN_INT_KEPT) {
            long key = ((long) x.intValue() << 40) | ((long) mc.getRoundingMode().ordinal() << 32) | digits;
            return LN_INT.computeIfAbsent(key, kk -> logUncached(x, mc, digits));
        }
        return logUncached(x, mc, digits);
    }

    private static final BigDecimal SMALL_INTEGER = BigDecimal.valueOf(1 << 20);
    private static final int LN_INT_KEPT = 4096;
    private static final Map<Long, BigDecimal> LN_INT = new ConcurrentHashMap<>();

    private static BigDecimal logUncached(BigDecimal x, MathContext mc, int digits) {
        int e10 = exponent10(x);
        BigDecimal m = x.movePointLeft(e10); // in [1, 10)
        int guard = 10 + Integer.toString(Math.abs(e10)).length();
        MathContext work = new MathContext(digits + guard, RoundingMode.HALF_EVEN);
        BigDecimal lnm = logNear(m, work);
        if (e10 == 0) {
            return lnm.round(mc);
        }
        return lnm.add(ln10(work).multiply(BigDecimal.valueOf(e10), work), work).round(mc);
    }

    /** ln 10 at precision {@code mc} (cached per precision). */
    public static BigDecimal ln10(MathContext mc) {
        int digits = functionDigits(mc);
        return LN10.computeIfAbsent(digits,
                p -> logNear(BigDecimal.TEN, new MathContext(p + 5, RoundingMode.HALF_EVEN))
                        .round(new MathContext(p, RoundingMode.HALF_EVEN))).round(mc);
    }

    /** ln m for m in [1, 10] by Halley's iteration y ← y + 2(m − e^y)/(m + e^y), tripling the precision each step. */
    private static BigDecimal logNear(BigDecimal m, MathContext mc) {
        int target = mc.getPrecision() + 5;
        BigDecimal y = new BigDecimal(Math.log(toDouble(m)));
        int have = 14;
        BigDecimal two = BigDecimal.valueOf(2);
        while (true) {
            Interrupts.check();
            have = Math.min(target, have * 3);
            MathContext step = new MathContext(have + 5, RoundingMode.HALF_EVEN);
            BigDecimal ey = exp(y, step);
            y = y.add(two.multiply(m.subtract(ey, step), step).divide(m.add(ey, step), step), step);
            if (have >= target) {
                // one more step at full precision makes the last digits safe
                ey = exp(y, step);
                y = y.add(two.multiply(m.subtract(ey, step), step).divide(m.add(ey, step), step), step);
                return y.round(mc);
            }
        }
    }

    /**
     * The square root √x to {@code mc.getPrecision()} significant digits: the value and scale of
     * {@code x.sqrt(mc)}. For FLOOR, DOWN, CEILING, UP and HALF_EVEN the root is rounded exactly
     * ({@link #sqrtDirected}; HALF_EVEN from the lower root and the square of the midpoint above it), then written as
     * BigDecimal writes it (trailing zeros stripped, then padded towards the preferred scale x.scale()/2 within the
     * precision): BigDecimal's own root iterates Newton's steps in decimal divisions and took four times as long at 34
     * to 60 digits on JDK 17. Other modes are left to BigDecimal.
     *
     * @param x non-negative. Not modified.
     * @throws IllegalArgumentException if x &lt; 0
     */
    public static BigDecimal sqrt(BigDecimal x, MathContext mc) {
        Require.notNull("x", x);
        functionDigits(mc);
        if (x.signum() < 0) {   // the message only when it is thrown
            throw new IllegalArgumentException("x (" + x + ") must be >= 0 to take its square root");
        }
        if (x.signum() == 0) {
            return BigDecimal.ZERO;
        }
        int digits = mc.getPrecision();
        RoundingMode mode = mc.getRoundingMode();
        BigDecimal r;
        if (mode == RoundingMode.FLOOR || mode == RoundingMode.DOWN) {
            r = sqrtDirected(x, digits, RoundingMode.FLOOR);
        } else if (mode == RoundingMode.CEILING || mode == RoundingMode.UP) {
            r = sqrtDirected(x, digits, RoundingMode.CEILING);
        } else if (mode == RoundingMode.HALF_EVEN) {
            r = sqrtDirected(x, digits, RoundingMode.FLOOR);
            if (r.multiply(r).compareTo(x) != 0) {
                // r < √x < r + u with u one unit in the digits-th digit of r; the midpoint r + u/2 decides, ties to even
                BigDecimal half = BigDecimal.valueOf(5, digits + 1 - (r.precision() - r.scale()));
                BigDecimal mid = r.add(half);
                int side = x.compareTo(mid.multiply(mid));
                if (side > 0 || side == 0 && r.movePointRight(digits - (r.precision() - r.scale())).toBigInteger().testBit(0)) {
                    r = mid.add(half);
                }
            }
        } else {
            return x.sqrt(mc);
        }
        int preferred = x.scale() / 2;
        r = r.stripTrailingZeros();
        return r.scale() == preferred ? r : r.add(BigDecimal.valueOf(0, preferred), new MathContext(digits, RoundingMode.UNNECESSARY));
    }

    /** π to {@code mc.getPrecision()} significant digits, by Machin's formula (cached per precision). */
    public static BigDecimal pi(MathContext mc) {
        int digits = functionDigits(mc);
        return PI.computeIfAbsent(digits, p -> {
            MathContext work = new MathContext(p + 10, RoundingMode.HALF_EVEN);
            BigDecimal pi = atanInverse(5, work).multiply(BigDecimal.valueOf(16))
                    .subtract(atanInverse(239, work).multiply(BigDecimal.valueOf(4)), work);
            return pi.round(new MathContext(p, RoundingMode.HALF_EVEN));
        }).round(mc);
    }

    /** atan(1/k) = Σ (−1)^i / ((2i+1) k^{2i+1}) for an integer k ≥ 2. */
    private static BigDecimal atanInverse(int k, MathContext mc) {
        BigDecimal kk = BigDecimal.valueOf((long) k * k);
        BigDecimal power = BigDecimal.ONE.divide(BigDecimal.valueOf(k), mc); // 1/k^{2i+1}
        BigDecimal threshold = BigDecimal.ONE.movePointLeft(mc.getPrecision() + 2);
        BigDecimal sum = power;
        for (int i = 1; power.compareTo(threshold) >= 0; i++) {
            power = power.divide(kk, mc);
            BigDecimal term = power.divide(BigDecimal.valueOf(2L * i + 1), mc);
            sum = (i % 2 == 1) ? sum.subtract(term, mc) : sum.add(term, mc);
        }
        return sum;
    }

    /**
     * x rounded to the nearest double, the same value as {@link BigDecimal#doubleValue()}, but without its cost
     * beyond 52-bit unscaled values at scales up to 22 (on JDK 17 it formats and parses every digit: most of the time
     * of an exponential at 1,000 digits, a microsecond at 40 digits): {@link #nearest}'s one division with a short
     * quotient. Where that gives no normal double (a negative scale, a subnormal), numbers of up to 132 bits take
     * BigDecimal's conversion and longer ones are cut to 40 digits, y ≤ |x| &lt; y + u (u a unit in y's last place):
     * when y and y + u round to the same double, so does every number between them, x included (rounding is
     * monotone); else the exact conversion is taken.
     *
     * @throws IllegalArgumentException if |x| is beyond double's range (it would round to ±∞)
     */
    public static double toDouble(BigDecimal x) {
        return toDouble("x", x);
    }

    /** {@link #toDouble(BigDecimal)} with the number's name in messages. */
    public static double toDouble(String name, BigDecimal x) {
        Require.notNull(name, x);
        double d;
        int bits = x.unscaledValue().bitLength();
        if (bits <= 52 && Math.abs(x.scale()) <= 22) {
            d = x.doubleValue();     // BigDecimal's own exact path: one correctly rounded product or quotient of doubles
        } else if (x.signum() != 0 && !Double.isNaN(d = nearest(x))) {
            return d;
        } else if (bits <= 132) {
            d = x.doubleValue();
        } else {
            // toward zero is FLOOR for x > 0 and CEILING for x < 0: roundDirected, without BigDecimal's recomputed 10^k
            BigDecimal y = roundDirected(x, 40, x.signum() > 0 ? RoundingMode.FLOOR : RoundingMode.CEILING);
            double low = y.doubleValue();
            double high = y.add(y.ulp().multiply(BigDecimal.valueOf(y.signum()))).doubleValue();
            d = low == high ? low : x.doubleValue();
        }
        if (!Double.isFinite(d)) {   // the message only when it is thrown: formatting a long x cost a fifth of this method
            throw new IllegalArgumentException(name + " (" + Format.number(x) + ") must be within double's range (|x| < 1.8e308)"
                    + " to be converted to a double; keep it as a BigDecimal");
        }
        return d;
    }

    /**
     * x rounded to the nearest double (ties to even) for a long x = ±U·10^{−s} whose value is a normal double, NaN
     * otherwise (then the caller takes another way): with 10^s from the kept powers, Q = ⌊U·2^k / 10^s⌋ for the k that
     * gives Q 65 or 66 bits, a division with a two-word quotient; Q's bits beyond the 53 kept and whether anything
     * was left over (the remainder, or bits shifted out) decide the rounding exactly as for the real quotient.
     */
    private static double nearest(BigDecimal x) {
        int s = x.scale();
        if (s < 0 || s >= TEN_POWERS_KEPT) {
            return Double.NaN;
        }
        BigInteger u = x.unscaledValue().abs();
        BigInteger ten = tenPow(s);
        int k = 65 - (u.bitLength() - ten.bitLength());     // U·2^k / 10^s in [2^64, 2^66)
        BigInteger num;
        boolean sticky = false;
        if (k >= 0) {
            num = u.shiftLeft(k);
        } else {
            num = u.shiftRight(-k);
            sticky = u.getLowestSetBit() < -k;
        }
        BigInteger[] qr = divideAndRemainder(num, ten);
        sticky |= qr[1].signum() != 0;
        BigInteger q = qr[0];
        int drop = q.bitLength() - 53;   // 12 or 13
        long mantissa = q.shiftRight(drop).longValue();
        long rest = q.longValue() & ((1L << drop) - 1);   // the low 64 bits hold the dropped ones (drop ≤ 13)
        long half = 1L << (drop - 1);
        if (rest > half || rest == half && (sticky || (mantissa & 1) != 0)) {
            mantissa++;
        }
        int exponent = drop - k;     // |x| ≈ mantissa · 2^exponent (mantissa may be 2^53 after the carry: still exact)
        if (exponent + 53 > Double.MAX_EXPONENT || exponent + 52 < Double.MIN_EXPONENT) {
            return Double.NaN;
        }
        double d = Math.scalb((double) mantissa, exponent);
        return x.signum() < 0 ? -d : d;
    }

    /**
     * {@code a.divideAndRemainder(d)} (the same quotient and remainder), for d &gt; 0. A short quotient of a long divisor
     * (the rounding of a long number to a few digits, a double's 66 bits out of 10^{1,000}) is taken from the leading
     * bits: with s = bitLength(d) − bitLength(q) − 64 and q the quotient, q̂ = ⌊⌊a/2^s⌋ / (⌊d/2^s⌋ + 1)⌋ is q or q − 1
     * (the two cuts lower a/d, by less than 2^−62), so one product q̂·d and at most one subtraction of d give q and
     * the remainder: a multiplication of the short quotient by d instead of BigInteger's long division.
     */
    static BigInteger[] divideAndRemainder(BigInteger a, BigInteger d) {
        int qBits = a.bitLength() - d.bitLength() + 1;     // the quotient has at most qBits bits
        int s = d.bitLength() - qBits - 64;
        if (a.signum() < 0 || qBits <= 0 || s < qBits + 64) {
            if (a.signum() >= 0 && qBits <= 0) {
                return new BigInteger[] {BigInteger.ZERO, a};
            }
            return WordDivision.suits(a, d) ? WordDivision.divideAndRemainder(a, d) : a.divideAndRemainder(d);
        }
        BigInteger q = a.shiftRight(s).divide(d.shiftRight(s).add(BigInteger.ONE));
        BigInteger r = a.subtract(q.multiply(d));
        while (r.compareTo(d) >= 0) {
            r = r.subtract(d);
            q = q.add(BigInteger.ONE);
        }
        return new BigInteger[] {q, r};
    }

    /** Powers of ten 10^k for k below this are kept once computed (at most about 3.5 MB in all). */
    private static final int TEN_POWERS_KEPT = 4096;
    private static final AtomicReferenceArray<BigInteger> TEN_POWERS = new AtomicReferenceArray<>(TEN_POWERS_KEPT);

    /**
     * 10^k. BigDecimal keeps powers of ten only up to 10^{~300} and computes larger ones by {@code pow} on every
     * rounding of a longer number (JDK 17): interval arithmetic at 1,000 digits spent a fifth of its time there.
     */
    static BigInteger tenPow(int k) {
        return kept(TEN_POWERS, BigInteger.TEN, k);
    }

    private static final AtomicReferenceArray<BigInteger> FIVE_POWERS = new AtomicReferenceArray<>(TEN_POWERS_KEPT);

    /** 5^k, kept as {@link #tenPow} keeps 10^k. */
    static BigInteger fivePow(int k) {
        return kept(FIVE_POWERS, BigInteger.valueOf(5), k);
    }

    /** base^k, from {@code cache} for k below {@link #TEN_POWERS_KEPT} (computed once and kept there). */
    private static BigInteger kept(AtomicReferenceArray<BigInteger> cache, BigInteger base, int k) {
        if (k >= TEN_POWERS_KEPT) {
            return base.pow(k);
        }
        BigInteger p = cache.get(k);
        if (p == null) {
            p = base.pow(k);
            cache.set(k, p);
        }
        return p;
    }

    /** The number of decimal digits of |u| (1 for 0), with the kept powers of ten. */
    static int digitCount(BigInteger u) {
        int bits = u.bitLength();
        if (bits < 63) {
            long v = Math.abs(u.longValue());
            int n = 1;
            while (v >= 10) {
                v /= 10;
                n++;
            }
            return n;
        }
        // 2^(bits−1) ≤ |u| < 2^bits: the count is ⌊(bits−1)·log10 2⌋ + 1 or one more; correct the estimate both ways
        BigInteger a = u.abs();
        int n = (int) ((bits - 1) * 0.30102999566398120) + 1;
        while (a.compareTo(tenPow(n)) >= 0) {
            n++;
        }
        while (n > 1 && a.compareTo(tenPow(n - 1)) < 0) {
            n--;
        }
        return n;
    }

    /**
     * ⌊log10 |x|⌋ for x ≠ 0, the value of {@link Format#exponent10}: from the digit count with the kept powers of ten
     * ({@link #digitCount}) up to 13,000 bits, where BigDecimal's precision() computes 10^k by {@code pow} for numbers
     * beyond ~300 digits (JDK 17); longer numbers by Format itself.
     */
    static int exponent10(BigDecimal x) {
        BigInteger u = x.unscaledValue();
        if (u.signum() == 0 || u.bitLength() > 13_000) {
            return Format.exponent10(x);
        }
        return digitCount(u) - x.scale() - 1;
    }

    /**
     * x rounded to {@code digits} significant digits towards −∞ (FLOOR) or +∞ (CEILING): the same value and scale as
     * {@code x.round(new MathContext(digits, mode))}, with the kept powers of ten.
     */
    static BigDecimal roundDirected(BigDecimal x, int digits, RoundingMode mode) {
        BigInteger u = x.unscaledValue();
        if (u.bitLength() < 3.3219280948873626 * (digits - 1)) {
            return x; // fewer than digits digits
        }
        int have = u.bitLength() > 3.33 * TEN_POWERS_KEPT ? x.precision() : digitCount(u);
        int drop = have - digits;
        if (drop <= 0) {
            return x;
        }
        if (drop >= TEN_POWERS_KEPT || (long) x.scale() - drop < Integer.MIN_VALUE + 1) {
            return x.round(new MathContext(digits, mode));
        }
        // |u| / 10^drop = (|u| / 2^drop) / 5^drop: the shift is free and the divisor 30 % shorter than 10^drop
        // (⌊⌊a/b⌋/c⌋ = ⌊a/(bc)⌋); the remainder is non-zero when either step leaves one
        BigInteger a = u.abs();
        BigInteger[] qr = divideAndRemainder(a.shiftRight(drop), fivePow(drop));
        BigInteger q = u.signum() < 0 ? qr[0].negate() : qr[0];
        if (qr[1].signum() != 0 || a.getLowestSetBit() < drop) {
            if (mode == RoundingMode.FLOOR && u.signum() < 0) {
                q = q.subtract(BigInteger.ONE);
            } else if (mode == RoundingMode.CEILING && u.signum() > 0) {
                q = q.add(BigInteger.ONE);
            }
        }
        int scale = x.scale() - drop;
        if (q.abs().equals(tenPow(digits))) { // the carry gave digits + 1 digits: 10^digits = 10^(digits−1) · 10
            return new BigDecimal(q.divide(BigInteger.TEN), scale - 1);
        }
        return new BigDecimal(q, scale);
    }

    /**
     * x rounded to mc, the same value and scale as {@code x.round(mc)}: HALF_EVEN, FLOOR and CEILING with the kept powers
     * of ten (BigDecimal's own rounding computes 10^{digits of x} by {@code pow} each time for numbers beyond ~300
     * digits, on JDK 17), other modes by BigDecimal.
     *
     * @param x  the number. Not modified.
     * @param mc precision (0 = unlimited, x itself) and rounding mode
     */
    public static BigDecimal round(BigDecimal x, MathContext mc) {
        Require.notNull("x", x);
        Require.notNull("mc", mc);
        int digits = mc.getPrecision();
        RoundingMode mode = mc.getRoundingMode();
        if (digits == 0 || mode == RoundingMode.FLOOR || mode == RoundingMode.CEILING) {
            return digits == 0 ? x : roundDirected(x, digits, mode);
        }
        BigInteger u = x.unscaledValue();
        if (mode != RoundingMode.HALF_EVEN || u.bitLength() > 3.33 * TEN_POWERS_KEPT) {
            return x.round(mc);
        }
        if (u.bitLength() < 3.3219280948873626 * (digits - 1)) {
            return x; // fewer than digits digits
        }
        int drop = digitCount(u) - digits;
        if (drop <= 0) {
            return x;
        }
        if (drop >= TEN_POWERS_KEPT || (long) x.scale() - drop < Integer.MIN_VALUE + 1) {
            return x.round(mc);
        }
        // |u| = q·10^drop + rem with q, rem from the 5^drop division of |u|/2^drop (as in roundDirected), then ties to even
        BigInteger a = u.abs();
        BigInteger[] qr = divideAndRemainder(a.shiftRight(drop), fivePow(drop));
        BigInteger rem = qr[1].shiftLeft(drop).add(a.subtract(a.shiftRight(drop).shiftLeft(drop)));
        int half = rem.shiftLeft(1).compareTo(tenPow(drop));
        BigInteger q = half > 0 || half == 0 && qr[0].testBit(0) ? qr[0].add(BigInteger.ONE) : qr[0];
        int scale = x.scale() - drop;
        if (q.equals(tenPow(digits))) { // the carry gave digits + 1 digits: 10^digits = 10^(digits−1) · 10
            q = tenPow(digits - 1);
            scale--;
        }
        return new BigDecimal(u.signum() < 0 ? q.negate() : q, scale);
    }

    /**
     * {lo rounded down, hi rounded up} to {@code digits} significant digits (lo ≤ hi), the same values and scales as
     * {@link #roundDirected} of each, with one long division instead of two when both ends have one sign, one scale
     * and one digit count (the usual case for an interval's ends): with m ≤ M the ends' magnitudes, D = 10^drop,
     * ⌊m/D⌋ = q with remainder r, and ⌈M/D⌉ = q + ⌈(r + M − m)/D⌉, a short division. The end of smaller magnitude is
     * rounded toward zero and the other away from it, which is FLOOR/CEILING on each side of 0.
     */
    static BigDecimal[] roundOutward(BigDecimal lo, BigDecimal hi, int digits) {
        BigInteger ul = lo.unscaledValue(), uh = hi.unscaledValue();
        int sign = ul.signum();
        if (sign == 0 || uh.signum() != sign || lo.scale() != hi.scale()
                || ul.bitLength() < 3.3219280948873626 * (digits - 1) || ul.bitLength() > 3.33 * TEN_POWERS_KEPT) {
            return new BigDecimal[] {roundDirected(lo, digits, RoundingMode.FLOOR), roundDirected(hi, digits, RoundingMode.CEILING)};
        }
        BigInteger small = sign > 0 ? ul : uh.negate();     // |smaller-magnitude end|
        BigInteger big = sign > 0 ? uh : ul.negate();
        int have = digitCount(small);
        int drop = have - digits;
        if (drop <= 0 || drop >= TEN_POWERS_KEPT || digitCount(big) != have || (long) lo.scale() - drop < Integer.MIN_VALUE + 1) {
            return new BigDecimal[] {roundDirected(lo, digits, RoundingMode.FLOOR), roundDirected(hi, digits, RoundingMode.CEILING)};
        }
        BigInteger[] qr = divideAndRemainder(small.shiftRight(drop), fivePow(drop));
        // remainder of small / 10^drop: the remainder of the 5^drop division, shifted back, plus the bits shifted out
        BigInteger r = qr[1].shiftLeft(drop).add(small.subtract(small.shiftRight(drop).shiftLeft(drop)));
        BigInteger[] extra = divideAndRemainder(r.add(big.subtract(small)), tenPow(drop));
        BigInteger qBig = qr[0].add(extra[0]).add(extra[1].signum() != 0 ? BigInteger.ONE : BigInteger.ZERO);
        int scale = lo.scale() - drop;
        BigDecimal towardZero = new BigDecimal(sign > 0 ? qr[0] : qr[0].negate(), scale);
        if (qBig.equals(tenPow(digits))) {   // the carry gave digits + 1 digits, as in roundDirected
            qBig = tenPow(digits - 1);
            scale--;
        }
        BigDecimal away = new BigDecimal(sign > 0 ? qBig : qBig.negate(), scale);
        return sign > 0 ? new BigDecimal[] {towardZero, away} : new BigDecimal[] {away, towardZero};
    }

    /**
     * a + b rounded to {@code digits} significant digits towards −∞ (FLOOR) or +∞ (CEILING), as
     * {@code a.add(b, new MathContext(digits, mode))}: the scales aligned with the kept powers of ten (BigDecimal
     * recomputes large ones), or by BigDecimal itself when they are too far apart to align exactly.
     */
    static BigDecimal addDirected(BigDecimal a, BigDecimal b, int digits, RoundingMode mode) {
        if (Math.abs((long) a.scale() - b.scale()) >= TEN_POWERS_KEPT) {
            return a.add(b, new MathContext(digits, mode));
        }
        return roundDirected(add(a, b), digits, mode);
    }

    /** Decimal digits of the longest unscaled value a BigDecimal holds: a BigInteger has at most 2^31 − 1 bits. */
    private static final long MAX_EXACT_DIGITS = (long) (Integer.MAX_VALUE * 0.30102999566398120);

    /** Scale differences from which {@link #add} aligns with the kept powers of ten (below, BigDecimal's own are short). */
    private static final int ALIGN_KEPT = 19;

    /**
     * a + b exactly: the value and scale of {@code a.add(b)} (the scale is the larger of the two), with the scales
     * aligned by the kept powers of ten: BigDecimal computes 10^k by {@code pow} on every addition whose scales differ
     * by more than ~300 (JDK 17), as the sums of interval ends at a thousand digits do (a point 1 and a weight
     * 10^{−1,171}-scaled, an exact output's terms).
     *
     * @param a a number. Not modified.
     * @param b a number. Not modified.
     * @throws IllegalArgumentException when their exact sum has more digits than a BigDecimal holds (scales about
     *         6.5e8 apart), before computing anything
     */
    public static BigDecimal add(BigDecimal a, BigDecimal b) {
        Require.notNull("a", a);
        Require.notNull("b", b);
        long diff = (long) a.scale() - b.scale();
        if (Math.abs(diff) >= TEN_POWERS_KEPT) {
            long digits = Math.max((long) a.precision() - a.scale(), (long) b.precision() - b.scale())
                    + Math.max(a.scale(), b.scale()) + 1;
            if (digits > MAX_EXACT_DIGITS) {
                throw new IllegalArgumentException("a and b (scales " + a.scale() + " and " + b.scale() + ") are "
                        + Math.abs(diff) + " decimal places apart: their exact sum needs about " + digits
                        + " digits, more than a BigDecimal holds (" + MAX_EXACT_DIGITS + "); add them rounded instead"
                        + " (a.add(b, mc))");
            }
        }
        if (Math.abs(diff) < ALIGN_KEPT || Math.abs(diff) >= TEN_POWERS_KEPT) {
            return a.add(b);
        }
        return diff > 0 ? new BigDecimal(b.unscaledValue().multiply(tenPow((int) diff)).add(a.unscaledValue()), a.scale())
                : new BigDecimal(a.unscaledValue().multiply(tenPow((int) -diff)).add(b.unscaledValue()), b.scale());
    }

    /**
     * a / b rounded to {@code digits} significant digits towards −∞ (FLOOR) or +∞ (CEILING), as
     * {@code a.divide(b, new MathContext(digits, mode))} in value and scale: Q = ⌊|A|·10^k / |B|⌋ (A, B the unscaled
     * values, 10^k from the kept powers, k chosen so that Q has at least digits + 1 digits), and when the division
     * leaves a remainder the quotient lies strictly between Q and Q + 1, as does Q + 1/10; every cell boundary of
     * the rounding is a multiple of 10 in units of the tenth digit, so 10Q + 1 rounds as the quotient does.
     * An exact quotient (BigDecimal strips its trailing zeros) and extreme scales are left to BigDecimal.
     */
    static BigDecimal divideDirected(BigDecimal a, BigDecimal b, int digits, RoundingMode mode) {
        BigInteger x = a.unscaledValue().abs();
        BigInteger y = b.unscaledValue().abs();
        if (x.signum() == 0 || y.signum() == 0) {
            return a.divide(b, new MathContext(digits, mode));
        }
        // log10(x/y) ≥ (bitLength(x) − 1 − bitLength(y))·log10 2; one digit of margin for the floating-point floor
        long raise = digits + 1L - (long) Math.floor((x.bitLength() - 1L - y.bitLength()) * 0.30102999566398120);
        long scale = (long) a.scale() - b.scale() + raise + 1;
        if (Math.abs(raise) >= TEN_POWERS_KEPT || scale > Integer.MAX_VALUE || scale < Integer.MIN_VALUE + digits + 4L) {
            return a.divide(b, new MathContext(digits, mode));
        }
        BigInteger[] qr = raise >= 0 ? divideAndRemainder(x.multiply(tenPow((int) raise)), y)
                : divideAndRemainder(x, y.multiply(tenPow((int) -raise)));
        if (qr[1].signum() == 0) {
            return a.divide(b, new MathContext(digits, mode));
        }
        BigInteger q = qr[0].multiply(BigInteger.TEN).add(BigInteger.ONE);
        return roundDirected(new BigDecimal(a.signum() * b.signum() < 0 ? q.negate() : q, (int) scale), digits, mode);
    }

    /**
     * A bound on a / b (a ≥ 0, b &gt; 0) rounded to {@code digits} significant digits in the direction {@code mode}
     * (FLOOR: at most a / b; CEILING: at least a / b), with b first cut to about {@code divisorDigits} digits on the safe
     * side in binary: with X = A·10^r and B the unscaled values, B' = ⌊B / 2^t⌋ keeps ⌈divisorDigits·log2 10⌉ + 1 bits
     * (a relative change below 10^{−divisorDigits}), and ⌊X / 2^t⌋ / (B' + 1) ≤ X / B ≤ (⌊X / 2^t⌋ + 1) / B'; the
     * quotient of those two integers, rounded down or up, has at least digits + 1 digits and is rounded once more to
     * digits. Cheaper than {@link #divideDirected} of b rounded to divisorDigits first (that rounding is a division by
     * 10^{dropped digits}); not the same last digit, but on the same side.
     */
    static BigDecimal divideCutDivisor(BigDecimal a, BigDecimal b, int digits, RoundingMode mode, int divisorDigits) {
        CutQuotient c = cutQuotient(a, b, digits + 2, mode, divisorDigits);
        return c == null ? divideDirected(a, b, digits, mode) : roundDirected(new BigDecimal(c.q, c.scale), digits, mode);
    }

    /**
     * The quotient a / b (a, b &gt; 0) with the divisor cut in binary, as an integer q at {@code scale} with at least
     * {@code length} digits: with X = A·10^r and B the unscaled values and t the bits cut (B keeps ⌈divisorDigits·log2 10⌉
     * + 1 of its bits), FLOOR gives q = ⌊⌊X / 2^t⌋ / cut⌋ = ⌊X / (cut·2^t)⌋ with cut = ⌊B / 2^t⌋ + 1 (so cut·2^t ≥ B and
     * q ≤ X / B), CEILING gives q = ⌈(⌊X / 2^t⌋ + 1) / ⌊B / 2^t⌋⌉ ≥ X / B. Null when nothing is cut (B short), a or b is
     * not positive, or r or the scale leave the kept powers of ten or an int: the callers then divide otherwise.
     */
    private static CutQuotient cutQuotient(BigDecimal a, BigDecimal b, int length, RoundingMode mode, int divisorDigits) {
        BigInteger x = a.unscaledValue();
        BigInteger y = b.unscaledValue();
        int keep = (int) Math.ceil(divisorDigits * 3.3219280948873626) + 1;
        int t = y.bitLength() - keep;
        if (x.signum() <= 0 || y.signum() <= 0 || t <= 0) {
            return null;
        }
        // log10(x/y) ≥ (bitLength(x) − 1 − bitLength(y))·log10 2, and the callers' length has a digit of margin for the
        // floating-point floor and one for the cut divisor
        long raise = length - (long) Math.floor((x.bitLength() - 1L - y.bitLength()) * 0.30102999566398120);
        long scale = (long) a.scale() - b.scale() + raise;
        if (raise < 0 || raise >= TEN_POWERS_KEPT || scale > Integer.MAX_VALUE || scale < Integer.MIN_VALUE + length + 2L) {
            return null;
        }
        BigInteger big = x.multiply(tenPow((int) raise)).shiftRight(t);
        BigInteger cut = y.shiftRight(t);
        if (mode == RoundingMode.FLOOR) {
            cut = cut.add(BigInteger.ONE);
            return new CutQuotient(divideAndRemainder(big, cut)[0], (int) scale, cut, t);
        }
        BigInteger[] qr = divideAndRemainder(big.add(BigInteger.ONE), cut);
        return new CutQuotient(qr[1].signum() != 0 ? qr[0].add(BigInteger.ONE) : qr[0], (int) scale, cut, t);
    }

    /** {@link #cutQuotient}'s q at {@code scale}, and the divisor it used: cut · 2^t in the divisor's unscaled units. */
    private record CutQuotient(BigInteger q, int scale, BigInteger cut, int t) {
    }

    /**
     * {a_lo / b_lo rounded down, a_hi / b_hi rounded up} to {@code digits} significant digits (0 ≤ a_lo ≤ a_hi; b_lo,
     * b_hi &gt; 0, in either order): the two ends of a quotient of narrow intervals with one long division instead of
     * two. The lower end is {@link #divideCutDivisor}'s, the same value: b_lo cut up in binary to about
     * {@code divisorDigits} digits, B ≥ b_lo, and q = ⌊a_lo·10^s / B⌋ computed with at least digits + 3 digits, so
     * a_lo·10^s / B &lt; q + 1. The upper end follows from it by a short division:
     * a_hi·10^s / b_hi = (a_lo·10^s / B)·(B / b_hi) + (a_hi − a_lo)·10^s / b_hi
     * &lt; q + 1 + ((q + 1)(B − b_hi) + (a_hi − a_lo)·10^s) / b_hi, where the last quotient is a few units when the
     * intervals are narrow (B − b_hi is the cut plus the difference of the two divisors); rounded up. When it is not
     * small (wide intervals, whose upper end a division of its own bounds more tightly), or a_lo = 0, or at the extreme
     * scales that {@link #divideCutDivisor} leaves to {@link #divideDirected}, the two ends take two divisions.
     */
    static BigDecimal[] divideOutward(BigDecimal aLo, BigDecimal aHi, BigDecimal bLo, BigDecimal bHi, int digits,
                                      int divisorDigits) {
        // q with at least digits + 3 digits (one more for the floating-point floor, one for the cut divisor)
        CutQuotient c = bHi.signum() > 0 ? cutQuotient(aLo, bLo, digits + 4, RoundingMode.FLOOR, divisorDigits) : null;
        if (c == null) {
            return twoDivisions(aLo, aHi, bLo, bHi, digits, divisorDigits);
        }
        BigInteger q = c.q;
        BigInteger cut = c.cut;            // B = cut · 2^t (unscaled) ≥ b_lo, q = ⌊a_lo·10^s / B⌋
        int t = c.t;
        long scale = c.scale;
        BigInteger q1 = q.add(BigInteger.ONE);
        // the excess in integers at the scale S of both divisors: ((q + 1)(B − b_hi)·10^S + (a_hi − a_lo)·10^{s+S}) / (b_hi·10^S)
        int sHi = Math.max(bLo.scale(), bHi.scale());
        BigInteger bigB = cut.shiftLeft(t).multiply(tenPow(sHi - bLo.scale()));
        BigInteger yHi = bHi.unscaledValue().multiply(tenPow(sHi - bHi.scale()));
        BigDecimal width = aHi.subtract(aLo);
        long up = scale + sHi - width.scale();     // (a_hi − a_lo)·10^{s+S} = unscaled width · 10^up
        if (up < 0 || up >= TEN_POWERS_KEPT) {
            return twoDivisions(aLo, aHi, bLo, bHi, digits, divisorDigits);
        }
        BigInteger excess = q1.multiply(bigB.subtract(yHi)).add(width.unscaledValue().multiply(tenPow((int) up)));
        BigInteger[] er = divideAndRemainder(excess, yHi);
        BigInteger extra = er[1].signum() > 0 ? er[0].add(BigInteger.ONE) : er[0];    // ⌈excess / (b_hi·10^S)⌉
        // the excess is the cut (a relative 10^{−divisorDigits}) plus the intervals' widths; past a sixteenth of the
        // rounded result's last digit (10^{digits of q − digits} units of q) the intervals are not narrow
        int drop = digitCount(q) - digits;
        if (drop < 3 || drop >= TEN_POWERS_KEPT || extra.shiftLeft(4).compareTo(tenPow(drop)) > 0) {
            return twoDivisions(aLo, aHi, bLo, bHi, digits, divisorDigits);
        }
        return new BigDecimal[] {roundDirected(new BigDecimal(q, (int) scale), digits, RoundingMode.FLOOR),
                roundDirected(new BigDecimal(q1.add(extra), (int) scale), digits, RoundingMode.CEILING)};
    }

    private static BigDecimal[] twoDivisions(BigDecimal aLo, BigDecimal aHi, BigDecimal bLo, BigDecimal bHi, int digits,
                                             int divisorDigits) {
        return new BigDecimal[] {divideCutDivisor(aLo, bLo, digits, RoundingMode.FLOOR, divisorDigits),
                divideCutDivisor(aHi, bHi, digits, RoundingMode.CEILING, divisorDigits)};
    }

    /**
     * √x rounded to {@code digits} significant digits towards −∞ (FLOOR) or +∞ (CEILING), exactly (the largest such
     * number whose square is at most x, or the smallest whose square is at least x): x = N·10^{−2m} with N an integer
     * of at least 2·digits + 2 digits (x's unscaled value times a power of ten, or cut in the same direction when it
     * is longer: ⌊√⌊N⌋⌋ = ⌊√N⌋ and ⌈√⌈N⌉⌉ = ⌈√N⌉), then {@link BigInteger#sqrt} and one directed rounding.
     *
     * @param x non-negative
     */
    static BigDecimal sqrtDirected(BigDecimal x, int digits, RoundingMode mode) {
        if (x.signum() == 0) {
            return BigDecimal.ZERO;
        }
        // a long x first rounded in the same direction to 2·digits + 4 digits: the same root, since a square g² of a
        // digits-digit g that lies within a unit of that rounding of x is in x's decade and has at most 2·digits
        // digits, so it is on the rounding's grid (g² ≤ x ⇔ g² ≤ ⌊x⌋, g² ≥ x ⇔ g² ≥ ⌈x⌉); without it an x of
        // 60,000 digits was divided by 10^60,000 or rooted at full length
        x = roundDirected(x, 2 * digits + 4, mode);
        BigInteger u = x.unscaledValue();
        long scale = x.scale();
        long extra = 2L * digits + 2 - (long) Math.floor((u.bitLength() - 1) * 0.30102999566398120) - 1;  // digits of u ≥ this + …
        if (Math.floorMod(scale + extra, 2) != 0) {
            extra++;
        }
        long newScale = scale + extra;
        if (Math.abs(extra) >= TEN_POWERS_KEPT || Math.abs(newScale) > Integer.MAX_VALUE - 2L) {
            return sqrtByBigDecimal(x, digits, mode);
        }
        BigInteger n;
        if (extra >= 0) {
            n = u.multiply(tenPow((int) extra));
        } else {
            BigInteger[] qr = divideAndRemainder(u, tenPow((int) -extra));
            n = mode == RoundingMode.CEILING && qr[1].signum() != 0 ? qr[0].add(BigInteger.ONE) : qr[0];
        }
        BigInteger r = floorSqrt(n);
        if (mode == RoundingMode.CEILING && !r.multiply(r).equals(n)) {
            r = r.add(BigInteger.ONE);
        }
        return roundDirected(new BigDecimal(r, (int) (newScale / 2)), digits, mode);
    }

    /**
     * ⌊√n⌋ for n ≥ 0, by one Newton step on the root of n's upper half: with B = ⌈bitLength/2⌉ (√n ≥ 2^{B−1}),
     * h = ⌊(B − 2)/2⌋ and r' = ⌊√⌊n/4^h⌋⌋ (recursively), r = (r' + 1)·2^h &gt; √n and r − √n ≤ 2^h; the step
     * r ← ⌊(r + ⌊n/r⌋)/2⌋ (= ⌊(r + n/r)/2⌋ ≥ ⌊√n⌋) leaves at most (r − √n)²/(2r) ≤ 2^{2h−B} ≤ 1/4 above √n, so
     * exact squares correct the last unit. One long division per halving of the length, about two of n's length in all,
     * where Newton's steps from a double's 25 bits took one of n's full length per doubling of the correct bits
     * (BigInteger's own sqrt does the same: 2.5 times as long at 80 digits on JDK 17).
     */
    static BigInteger floorSqrt(BigInteger n) {
        int bits = n.bitLength();
        if (bits <= 52) {
            return n.sqrt();
        }
        int h = ((bits + 1) / 2 - 2) / 2;
        BigInteger r = floorSqrt(n.shiftRight(2 * h)).add(BigInteger.ONE).shiftLeft(h);
        r = r.add(divideAndRemainder(n, r)[0]).shiftRight(1);
        while (r.multiply(r).compareTo(n) > 0) {
            r = r.subtract(BigInteger.ONE);
        }
        while (r.add(BigInteger.ONE).multiply(r.add(BigInteger.ONE)).compareTo(n) <= 0) {
            r = r.add(BigInteger.ONE);
        }
        return r;
    }

    /** √x to digits in the direction mode by BigDecimal's root and exact squares (extreme scales only). */
    private static BigDecimal sqrtByBigDecimal(BigDecimal x, int digits, RoundingMode mode) {
        MathContext mc = new MathContext(digits, mode);
        BigDecimal s = x.sqrt(new MathContext(digits + 2, RoundingMode.HALF_EVEN)).round(mc);
        if (mode == RoundingMode.FLOOR) {
            while (s.multiply(s).compareTo(x) > 0) {
                s = s.subtract(s.ulp());
            }
        } else {
            while (s.multiply(s).compareTo(x) < 0) {
                s = s.add(s.ulp());
            }
        }
        return s;
    }

    /** A {@link MathContext} with {@code digits} significant digits, rounding half-even. */
    public static MathContext digits(int digits) {
        Require.positive("digits", digits);
        return new MathContext(digits, RoundingMode.HALF_EVEN);
    }

    /** The exact decimal value of the double {@code x}, which must be finite. */
    public static BigDecimal exact(double x) {
        Require.finite("x", x);
        return new BigDecimal(x);
    }

    /**
     * The most digits an elementary function here ({@link #exp}, {@link #log}, {@link #sqrt}, e, π, ln 10, and
     * {@code Interval}'s, which call them or root exactly) is asked for: e^x at 100,000 digits already takes tens of seconds, and the cost grows faster than the digits (at 10^7
     * digits it does not finish and can exhaust the heap). The library's constructions ask for at most
     * {@code Budget.maxDigits} (20,000 by default).
     */
    public static final int MAX_FUNCTION_DIGITS = 100_000;

    /** {@link #precision}, refused above {@link #MAX_FUNCTION_DIGITS} before anything is computed. */
    static int functionDigits(MathContext mc) {
        int digits = precision(mc);
        if (digits > MAX_FUNCTION_DIGITS) {
            throw new IllegalArgumentException("mc precision (" + digits + ") must be <= " + MAX_FUNCTION_DIGITS
                    + " digits (BigMath.MAX_FUNCTION_DIGITS) for e^x, ln x, square roots and constants: their time grows"
                    + " faster than the digits (tens of seconds at the limit); ask for fewer digits");
        }
        return digits;
    }

    static int precision(MathContext mc) {
        Require.notNull("mc", mc);
        if (mc.getPrecision() <= 0) {   // the message only when it is thrown: this check runs on every interval operation
            throw new IllegalArgumentException("mc precision (" + mc.getPrecision() + ") must be >= 1; unlimited precision cannot hold e^x, ln x, a square root or a rounded interval end");
        }
        return mc.getPrecision();
    }
}
