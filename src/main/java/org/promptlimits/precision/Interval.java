package org.promptlimits.precision;

import org.promptlimits.check.Format;
import org.promptlimits.check.Require;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * A closed interval [lo, hi] of real numbers with {@link BigDecimal} ends, and arithmetic that rounds outward,
 * so that every result encloses every value the operation can take on its arguments.
 *
 * <p>Each operation takes a {@link MathContext}; only its precision p (significant digits) is used. The lower
 * end is rounded with {@link RoundingMode#FLOOR} and the upper with {@link RoundingMode#CEILING}.
 * BigDecimal's add, subtract, multiply and divide return the exact result rounded in the given mode, so
 * for them the enclosure is exact up to that one directed rounding.
 *
 * <p>Error bounds of the elementary functions (each argument point x, working precision w = p + 8):
 * <ul>
 *   <li>sqrt: each end is the exact root rounded in its direction (the largest p-digit s with s² ≤ lo, the
 *       smallest with s² ≥ hi), from an integer square root of the end scaled to 2p + 2 digits or more (a longer
 *       end first rounded in the root's direction to 2p + 4 digits, the same root).</li>
 *   <li>exp: {@link BigMath#exp} at w digits has relative error below 10^{1−w} (its fixed-point evaluation
 *       carries 40 guard bits beyond w digits, and the result is rounded once). The enclosure uses the radius
 *       10^{e+5−w} ≥ 10^{4−w}·|r| (e the decimal exponent of r), at least a thousand times that bound, then rounds
 *       outward to p digits. e^x is increasing, so exp([a, b]) = [exp↓(a), exp↑(b)].</li>
 *   <li>log: {@link BigMath#log} at w digits has absolute error below 10^{−w}·max(1, |ln x|); the enclosure
 *       uses 10^{3−w}·max(1, |r| + 1). ln is increasing on (0, ∞).</li>
 *   <li>softmax: with e_j ⊇ e^{a_j − m} (m an exact shift), σ_k = e_k / (e_k + S_k) where S_k = Σ_{j≠k} e_j.
 *       σ_k is increasing in e_k and decreasing in S_k, which share no term, so its ends are taken at the ends of
 *       e_k and S_k (lower: e_k's lower end over e_k's lower plus S_k's upper end) and lose nothing to dependency
 *       (interval division of e_k by an interval sum that contains e_k would).</li>
 *   <li>softmax, far scores: an end of x_k = a_k − m at or below −t·2.3026 (2.3026 &gt; ln 10) has e^x ≤ 10^{−t};
 *       it is taken as that bound (upper end) or 0 (lower end) without an exponential, for t = p + 3 in the
 *       absolute form and beyond exp's limit (x ≤ −10^9, e^x &lt; 10^{−434,294,481}) in the relative one.</li>
 * </ul>
 * The exp and log bounds rest on BigMath's documented accuracy, which its reference tests check against
 * mpmath at 1,200 digits; {@code IntervalTest} checks every operation here against mpmath's interval
 * arithmetic ({@code mpmath.iv}) on thousands of cases. Immutable.
 */
public final class Interval {

    private final BigDecimal lo;
    private final BigDecimal hi;

    private Interval(BigDecimal lo, BigDecimal hi) {
        this.lo = lo;
        this.hi = hi;
    }

    /** The interval [lo, hi]; lo ≤ hi. */
    public static Interval of(BigDecimal lo, BigDecimal hi) {
        Require.notNull("lo", lo);
        Require.notNull("hi", hi);
        if (lo.compareTo(hi) > 0) {
            throw new IllegalArgumentException("lo (" + Format.numberBeside(lo, hi) + ") must be <= hi (" + Format.numberBeside(hi, lo)
                    + ")");
        }
        return new Interval(lo, hi);
    }

    /** The point interval [x, x]. */
    public static Interval point(BigDecimal x) {
        Require.notNull("x", x);
        return new Interval(x, x);
    }

    /** The point interval at the exact decimal value of the double x (finite). */
    public static Interval point(double x) {
        return point(BigMath.exact(x));
    }

    /** The point interval [n, n]. */
    public static Interval point(long n) {
        return point(BigDecimal.valueOf(n));
    }

    /** x rounded outward to p digits: the smallest p-digit interval holding x. */
    public static Interval around(BigDecimal x, MathContext mc) {
        Require.notNull("x", x);
        return new Interval(floor(x, mc), ceiling(x, mc));
    }

    public BigDecimal lo() {
        return lo;
    }

    public BigDecimal hi() {
        return hi;
    }

    /** hi − lo, exact. */
    public BigDecimal width() {
        return BigMath.add(hi, lo.negate());
    }

    /** (lo + hi)/2, exact (a point inside the interval). */
    public BigDecimal mid() {
        // as sum.divide(2): the exact half at the sum's scale when its unscaled value is even, else 5·unscaled one
        // place further (the smallest scale that holds it), without BigDecimal's precision() of a long sum
        BigDecimal sum = BigMath.add(lo, hi);
        BigInteger u = sum.unscaledValue();
        if (sum.scale() == Integer.MAX_VALUE) {
            return sum.divide(BigDecimal.valueOf(2));
        }
        return u.testBit(0) ? new BigDecimal(u.multiply(BigInteger.valueOf(5)), sum.scale() + 1)
                : new BigDecimal(u.shiftRight(1), sum.scale());
    }

    /** Whether lo ≤ x ≤ hi. */
    public boolean contains(BigDecimal x) {
        Require.notNull("x", x);
        return lo.compareTo(x) <= 0 && x.compareTo(hi) <= 0;
    }

    /** Whether every value of this interval is below every value of {@code other} (hi &lt; other.lo). */
    public boolean certainlyBelow(Interval other) {
        Require.notNull("other", other);
        return hi.compareTo(other.lo) < 0;
    }

    /** Whether lo &gt; 0. */
    public boolean isPositive() {
        return lo.signum() > 0;
    }

    /** Whether the interval contains 0. */
    public boolean containsZero() {
        return lo.signum() <= 0 && hi.signum() >= 0;
    }

    /** x rounded down to mc's digits (as x.round with FLOOR, without BigDecimal's recomputed powers of ten). */
    private static BigDecimal floor(BigDecimal x, MathContext mc) {
        return BigMath.roundDirected(x, BigMath.precision(mc), RoundingMode.FLOOR);
    }

    /** x rounded up to mc's digits. */
    private static BigDecimal ceiling(BigDecimal x, MathContext mc) {
        return BigMath.roundDirected(x, BigMath.precision(mc), RoundingMode.CEILING);
    }

    /** a + b rounded to mc's digits in the direction {@code mode} (FLOOR or CEILING). */
    private static BigDecimal sum(BigDecimal a, BigDecimal b, MathContext mc, RoundingMode mode) {
        return BigMath.addDirected(a, b, BigMath.precision(mc), mode);
    }

    /** This interval rounded outward to mc's digits: the smallest interval of p-digit ends that holds it. */
    public Interval round(MathContext mc) {
        BigDecimal[] ends = BigMath.roundOutward(lo, hi, BigMath.precision(mc));
        return new Interval(ends[0], ends[1]);
    }

    /** [a + c, b + d]. */
    public Interval add(Interval o, MathContext mc) {
        Require.notNull("o", o);
        return new Interval(sum(lo, o.lo, mc, RoundingMode.FLOOR), sum(hi, o.hi, mc, RoundingMode.CEILING));
    }

    /** [a − d, b − c]. */
    public Interval subtract(Interval o, MathContext mc) {
        Require.notNull("o", o);
        return new Interval(sum(lo, o.hi.negate(), mc, RoundingMode.FLOOR), sum(hi, o.lo.negate(), mc, RoundingMode.CEILING));
    }

    /** [−b, −a], exact. */
    public Interval negate() {
        return new Interval(hi.negate(), lo.negate());
    }

    /** The hull of the four exact end products, rounded outward. */
    public Interval multiply(Interval o, MathContext mc) {
        Require.notNull("o", o);
        BigDecimal p1 = lo.multiply(o.lo), p2 = lo.multiply(o.hi), p3 = hi.multiply(o.lo), p4 = hi.multiply(o.hi);
        BigDecimal min = p1.min(p2).min(p3.min(p4)), max = p1.max(p2).max(p3.max(p4));
        return new Interval(floor(min, mc), ceiling(max, mc));
    }

    /** This interval times an exact number. */
    public Interval multiply(BigDecimal c, MathContext mc) {
        Require.notNull("c", c);
        return multiply(point(c), mc);
    }

    /** {x² : x in this interval}: [0, max²] when it contains 0. */
    public Interval square(MathContext mc) {
        BigDecimal a = lo.multiply(lo), b = hi.multiply(hi);
        BigDecimal min = containsZero() ? BigDecimal.ZERO : a.min(b);
        return new Interval(floor(min, mc), ceiling(a.max(b), mc));
    }

    /**
     * x / y for x in this interval and y in {@code o}, which must not contain 0.
     *
     * @throws IllegalArgumentException if the divisor contains 0
     */
    public Interval divide(Interval o, MathContext mc) {
        Require.notNull("o", o);
        if (o.containsZero()) {
            throw new IllegalArgumentException("divisor [" + Format.number(o.lo) + ", " + Format.number(o.hi)
                + "] must not contain 0");
        }
        if (o.lo.signum() < 0) {
            return divide(o.negate(), mc).negate();
        }
        // o > 0: x/y is increasing in x, and in y decreasing for x ≥ 0, increasing for x < 0
        BigDecimal l = BigMath.divideDirected(lo, lo.signum() >= 0 ? o.hi : o.lo, BigMath.precision(mc), RoundingMode.FLOOR);
        BigDecimal h = BigMath.divideDirected(hi, hi.signum() >= 0 ? o.lo : o.hi, BigMath.precision(mc), RoundingMode.CEILING);
        return new Interval(l, h);
    }

    /** {|x|}: [0, max(|a|, |b|)] when it contains 0. */
    public Interval abs() {
        if (lo.signum() >= 0) {
            return this;
        }
        if (hi.signum() <= 0) {
            return negate();
        }
        return new Interval(BigDecimal.ZERO, lo.negate().max(hi));
    }

    /** {max(x, y)}: [max(a, c), max(b, d)]. */
    public Interval max(Interval o) {
        Require.notNull("o", o);
        return new Interval(lo.max(o.lo), hi.max(o.hi));
    }

    /** {min(x, y)}: [min(a, c), min(b, d)]. */
    public Interval min(Interval o) {
        Require.notNull("o", o);
        return new Interval(lo.min(o.lo), hi.min(o.hi));
    }

    /** ReLU, max(x, 0). */
    public Interval relu() {
        return max(point(BigDecimal.ZERO));
    }

    /** The smallest interval holding both. */
    public Interval hull(Interval o) {
        Require.notNull("o", o);
        return new Interval(lo.min(o.lo), hi.max(o.hi));
    }

    /**
     * √x on this interval, which must be non-negative: each end the exact root rounded in its direction to p digits
     * (an integer square root, {@code BigMath.sqrtDirected}).
     *
     * @throws IllegalArgumentException if lo &lt; 0
     */
    public Interval sqrt(MathContext mc) {
        if (lo.signum() < 0) {
            throw new IllegalArgumentException("lo (" + Format.number(lo) + ") must be >= 0 to take a square root");
        }
        int p = BigMath.functionDigits(mc);
        return new Interval(BigMath.sqrtDirected(lo, p, RoundingMode.FLOOR), BigMath.sqrtDirected(hi, p, RoundingMode.CEILING));
    }

    private static final int GUARD = 8;

    /**
     * e^x on this interval: [exp↓(lo), exp↑(hi)]. A narrow interval (width w ≤ 10^{−(p/2+2)}) costs one
     * exponential: e^{hi} = e^{lo} e^{w} ≤ e^{lo} (1 + w + w²) for 0 ≤ w ≤ 1, which widens the upper end by
     * less than e^{lo} w², below the p-th digit.
     */
    public Interval exp(MathContext mc) {
        BigMath.functionDigits(mc);     // refused above BigMath.MAX_FUNCTION_DIGITS before any end is computed
        BigDecimal[] atLo = expEnds(lo, mc);
        if (lo.compareTo(hi) == 0) {
            return new Interval(atLo[0], atLo[1]);
        }
        BigDecimal w = hi.subtract(lo);
        int p = BigMath.precision(mc);
        if (w.compareTo(BigDecimal.ONE.movePointLeft(p / 2 + 2)) <= 0) {
            // 1 + w + w² exactly while w has few digits after the point; else 1 + w + 10^{−(p+3)} (≥ w²) rounded up to
            // p + 3 digits, so that a w of 10^{−10^8} builds no number of 10^8 digits
            BigDecimal factor = w.scale() <= 2L * p + 40 ? BigDecimal.ONE.add(w).add(w.multiply(w))
                    : BigMath.addDirected(BigDecimal.ONE.add(BigDecimal.ONE.movePointLeft(p + 3)), w, p + 3, RoundingMode.CEILING);
            return new Interval(atLo[0], ceiling(atLo[1].multiply(factor), mc));
        }
        return new Interval(atLo[0], expEnds(hi, mc)[1]);
    }

    /**
     * {lower, upper} enclosure of e^x at p digits. For |x| ≤ 10^{−(p/2+2)} no series is needed:
     * 1 + x ≤ e^x ≤ 1 + x + x² for |x| ≤ 1, and x² is below the p-th digit.
     */
    private static BigDecimal[] expEnds(BigDecimal x, MathContext mc) {
        if (x.signum() == 0) {
            return new BigDecimal[] {BigDecimal.ONE, BigDecimal.ONE};
        }
        int p = BigMath.precision(mc);
        if (x.abs().compareTo(BigDecimal.ONE.movePointLeft(p / 2 + 2)) <= 0) {
            if (x.scale() <= 2L * p + 40) {
                BigDecimal onePlusX = BigDecimal.ONE.add(x);
                return new BigDecimal[] {floor(onePlusX, mc), ceiling(onePlusX.add(x.multiply(x)), mc)};
            }
            // x with many digits after the point (10^{−10^8}): 1 + x without its exact sum, x² ≤ 10^{−(p+3)}
            return new BigDecimal[] {sum(BigDecimal.ONE, x, mc, RoundingMode.FLOOR),
                    sum(BigDecimal.ONE.add(BigDecimal.ONE.movePointLeft(p + 3)), x, mc, RoundingMode.CEILING)};
        }
        int w = BigMath.precision(mc) + GUARD;
        BigDecimal r = BigMath.exp(x, new MathContext(w, RoundingMode.HALF_EVEN));
        // one digit at 10^{e+5−w} (e = r's decimal exponent, so |r| < 10^{e+1}): at least 10^{4−w}·|r|, and r ± radius
        // keeps r's w digits, so rounding it to p digits drops only the guard digits
        BigDecimal radius = BigDecimal.ONE.scaleByPowerOfTen(BigMath.exponent10(r) + 5 - w);
        return new BigDecimal[] {sum(r, radius.negate(), mc, RoundingMode.FLOOR), sum(r, radius, mc, RoundingMode.CEILING)};
    }

    /**
     * ln x on this interval, which must be positive.
     *
     * @throws IllegalArgumentException if lo ≤ 0
     */
    public Interval log(MathContext mc) {
        if (lo.signum() <= 0) {
            throw new IllegalArgumentException("lo (" + Format.number(lo) + ") must be > 0 to take a logarithm");
        }
        BigMath.functionDigits(mc);
        return new Interval(logEnds(lo, mc)[0], logEnds(hi, mc)[1]);
    }

    private static BigDecimal[] logEnds(BigDecimal x, MathContext mc) {
        if (x.compareTo(BigDecimal.ONE) == 0) {
            return new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO};
        }
        int w = BigMath.precision(mc) + GUARD;
        BigDecimal r = BigMath.log(x, new MathContext(w, RoundingMode.HALF_EVEN));
        BigDecimal radius = r.abs().add(BigDecimal.ONE).movePointLeft(w - 3);
        return new BigDecimal[] {sum(r, radius.negate(), mc, RoundingMode.FLOOR), sum(r, radius, mc, RoundingMode.CEILING)};
    }

    /**
     * The softmax σ_k = e^{a_k} / Σ_j e^{a_j} of scores known as intervals, each σ_k enclosed as
     * e_k / (e_k + Σ_{j≠k} e_j), e_j = e^{a_j − m}, with n exponentials in all (monotone in e_k and in the sum of the
     * others, so the far ends combine without dependency; two divisions per score). Every weight is enclosed to p
     * relative digits, the smallest too (e^{−2000} keeps p digits of its own): for sums such as Σ (max a − a_k) σ_k
     * that consist of small weights only. {@link #softmaxAbsolute} is the cheaper form for values of size σ. The one
     * exception: a score more than 10^9 below the largest upper end (where {@link BigMath#exp} stops) has its weight
     * enclosed as [0, 10^{−434,294,481}] (e^{−10^9} &lt; 10^{−434,294,481}), which holds it but keeps no digit of it.
     *
     * @param a scores, length ≥ 1, each end below 10^{100,000} in magnitude. Not modified.
     * @return one enclosure per score
     * @throws IllegalArgumentException if a score end reaches 10^{100,000} in magnitude: scores are subtracted to p
     *                                  digits after the point, which would take more digits than that
     */
    public static Interval[] softmax(Interval[] a, MathContext mc) {
        return softmax(a, mc, false);
    }

    /**
     * The softmax to p absolute digits: each σ_k is enclosed with an error of a few units of 10^{−p}, the accuracy
     * that the largest weight (≥ 1/n) has at p relative digits, and a weight of size 10^{−t} carries only about p − t
     * digits of its own, which is what any sum Σ v_k σ_k with a term of size |v|/n needs: the small terms' lower digits
     * fall below the sum's own rounding. Per score (x_k = a_k − m ≤ 0, E_k = ⌊x_k^hi / ln 10⌋, so e_k &lt; 10^{E_k + 1}):
     * <ul>
     *   <li>e_k = e^{x_k} at d_k = p + 3 + E_k + 1 digits (at least {@link #MIN_DIGITS}, at most p + 3): rounded
     *       outward to d_k digits its width is below 2.1·10^{E_k + 1 − d_k}·(1 + score width) = 2.1·10^{−p−3}·(…);
     *       these share one scale, so their sums are exact at p + 3 digits;</li>
     *   <li>σ_k for k ≠ k* (k* the score with the largest upper end, e_{k*} ≤ 1 and ≥ e^{−(its width)}) as in
     *       {@link #softmax}, with both divisions rounded to p + E_k + 1 digits (σ_k ≤ e_k, so the rounding adds less
     *       than 10^{1−p}) and their denominators e_k + S_k (≥ e_{k*}) cut on the safe side to 3 digits more than that,
     *       in binary inside the division ({@code BigMath.divideCutDivisor}: a relative change below
     *       10^{−(p + E_k + 3)}, a tenth of the quotient's rounding); the upper end from the lower end's quotient
     *       and a short division for the excess of e_k's hi over its lo and of the cut divisor over the other
     *       denominator ({@code BigMath.divideOutward}), so one long division per weight;</li>
     *   <li>σ_{k*} = 1 − Σ_{k≠k*} σ_k (the weights sum to 1 exactly), so its ends are 1 minus the others' upper and
     *       lower ends, rounded outward to p digits and cut to [0, 1]: no division, and a width of at most the
     *       others' widths plus 2·10^{1−p}.</li>
     * </ul>
     * For point scores every width is below 4n·10^{1−p} ({@code IntervalTest} checks this and the enclosure of
     * BigDecimal's own value at p + 40 digits on random scores). Still correct, just wider, if an estimate of E_k is
     * off: the digits only decide how narrow each end is, never on which side it is rounded. A score whose upper end
     * is at least (p + 3)·2.3026 below the largest (2.3026 &gt; ln 10, so e_k ≤ 10^{−(p+3)}) takes e_k = [0, 10^{−(p+3)}]
     * without an exponential, whatever its distance (10^9 and beyond too), and an interval score reaching that far
     * takes 0 as e_k's lower end: these move no other weight by more than their rounding, and keep every sum short.
     *
     * @param a scores, length ≥ 1, each end below 10^{100,000} in magnitude. Not modified.
     * @return one enclosure per score
     * @throws IllegalArgumentException if a score end reaches 10^{100,000} in magnitude
     */
    public static Interval[] softmaxAbsolute(Interval[] a, MathContext mc) {
        return softmax(a, mc, true);
    }

    /** Fewest digits any weight of {@link #softmaxAbsolute} is computed with. */
    public static final int MIN_DIGITS = 12;

    /**
     * Largest decimal exponent of a score end the softmax takes (|a| &lt; 10^{100,000}): scores are subtracted to p
     * digits after the point, which takes about p + (digits before the point) digits.
     */
    public static final int MAX_SCORE_EXPONENT = 100_000;

    private static final double LN10 = Math.log(10);

    /** A rational upper bound of ln 10 = 2.302585…: x ≤ −t·LN10_UP implies e^x ≤ 10^{−t}. */
    private static final BigDecimal LN10_UP = new BigDecimal("2.3026");

    /** −10^9: e^x is computed for x at or above it ({@link BigMath#EXP_ARGUMENT_LIMIT}). */
    private static final BigDecimal EXP_FLOOR = BigMath.EXP_ARGUMENT_LIMIT.negate();

    /** e^{−10^9} = 10^{−434,294,481.9…} &lt; 10^{−434,294,481}: the upper end of a weight below that. */
    private static final BigDecimal BELOW_EXP_FLOOR = BigDecimal.ONE.scaleByPowerOfTen(-434_294_481);

    private static Interval[] softmax(Interval[] a, MathContext mc, boolean absolute) {
        Require.notNull("a", a);
        Require.that(a.length >= 1, "a (length 0) must have at least one score");
        int n = a.length;
        // differences a_j − a_k carry absolute error into e^{·} as relative error: keep them exact to p digits
        // after the point by adding the digits of the largest score
        int scale = 0;
        for (int j = 0; j < n; j++) {
            Require.notNull("a[" + j + "]", a[j]);
            for (BigDecimal end : new BigDecimal[] {a[j].lo, a[j].hi}) {
                if (end.signum() != 0) {
                    int e10 = BigMath.exponent10(end);
                    if (e10 >= MAX_SCORE_EXPONENT) {
                        throw new IllegalArgumentException("a[" + j + "] (" + Format.number(end) + ") must be below 10^"
                                + MAX_SCORE_EXPONENT + " in magnitude: scores are subtracted to p digits after the point,"
                                + " which would take " + ((long) e10 + 1 + BigMath.precision(mc)) + " digits");
                    }
                    scale = Math.max(scale, e10 + 1);
                }
            }
        }
        int p = BigMath.precision(mc);
        MathContext wide = new MathContext(p + scale + 3);
        MathContext work = new MathContext(p + 3);
        // e_j = e^{a_j − m} with m the largest upper end (an exact point, so the e_j share no uncertainty);
        // σ_k = e_k / (e_k + S_k) with S_k = Σ_{j≠k} e_j from prefix and suffix sums: n exponentials, two divisions each
        BigDecimal m = a[0].hi;
        int top = 0;
        for (int j = 1; j < n; j++) {
            if (a[j].hi.compareTo(m) > 0) {
                m = a[j].hi;
                top = j;
            }
        }
        Interval shift = point(m);
        Interval[] e = new Interval[n];
        int[] below = new int[n];    // absolute: E_j with e_j < 10^{E_j + 1}
        // an end of x_j = a_j − m at or below `cut` gives e^{x} ≤ `negligible`, which is taken as the bound itself
        // (upper end) or as 0 (lower end), without an exponential: absolute, e^x ≤ 10^{−(p+3)}, below every weight's
        // rounding; relative, x ≤ −10^9, where BigMath.exp stops (e^x < 10^{−434,294,481})
        BigDecimal cut = absolute ? LN10_UP.multiply(BigDecimal.valueOf(-(p + 3L))) : EXP_FLOOR;
        BigDecimal negligible = absolute ? BigDecimal.ONE.scaleByPowerOfTen(-(p + 3)) : BELOW_EXP_FLOOR;
        for (int j = 0; j < n; j++) {
            Interval x = a[j].subtract(shift, wide);
            MathContext digits = work;
            if (x.hi.compareTo(cut) <= 0) {
                e[j] = new Interval(BigDecimal.ZERO, negligible);
                below[j] = -(p + 3);
                continue;
            }
            if (absolute) {
                below[j] = (int) Math.floor(BigMath.toDouble(x.hi) / LN10);
                digits = new MathContext(Math.max(MIN_DIGITS, Math.min(p + 3, p + 4 + below[j])));
            }
            e[j] = x.lo.compareTo(cut) <= 0 ? new Interval(BigDecimal.ZERO, expEnds(x.hi, digits)[1]) : x.exp(digits);
        }
        Interval zero = point(BigDecimal.ZERO);
        Interval[] prefix = new Interval[n + 1];
        Interval[] suffix = new Interval[n + 1];
        prefix[0] = zero;
        suffix[n] = zero;
        for (int j = 0; j + 1 < n; j++) {     // S_k uses prefix[0 .. n−1] and suffix[1 .. n]: the full sums are not needed
            prefix[j + 1] = prefix[j].add(e[j], work);
            suffix[n - 1 - j] = suffix[n - j].add(e[n - 1 - j], work);
        }
        Interval[] out = new Interval[n];
        for (int k = 0; k < n; k++) {
            if (absolute && k == top && n > 1) {
                continue;
            }
            int digits = absolute ? Math.max(MIN_DIGITS, Math.min(p, p + 1 + below[k])) : p;
            Interval others = prefix[k].add(suffix[k + 1], work);
            // absolute: the denominator (≥ e_top, so ≥ 1 − its width) to digits + 3 digits, which moves the quotient by
            // less than 10^{−digits−2} of itself, a tenth of the division's own rounding: the divisor then has the
            // quotient's length instead of p + 3 digits
            MathContext den = absolute ? new MathContext(Math.min(p + 3, digits + 3)) : work;
            // σ_k = e_k / (e_k + S_k) is increasing in e_k > 0 and decreasing in S_k ≥ 0: the lower end from
            // (lo of e_k, hi of S_k) over a denominator rounded up, the upper end from (hi, lo) over one rounded down
            BigDecimal lower, upper;
            if (absolute) {
                // the exact denominators, cut in binary inside the division (BigMath.divideCutDivisor) instead of a
                // decimal rounding, which is itself a long division; the upper end from the lower end's quotient
                // plus a bound on the excess (BigMath.divideOutward): one long division for both ends
                BigDecimal[] ends = BigMath.divideOutward(e[k].lo, e[k].hi, BigMath.add(e[k].lo, others.hi), BigMath.add(e[k].hi, others.lo),
                        digits, den.getPrecision());
                lower = ends[0];
                upper = ends[1];
            } else {
                lower = BigMath.divideDirected(e[k].lo, sum(e[k].lo, others.hi, den, RoundingMode.CEILING), digits,
                        RoundingMode.FLOOR);
                upper = BigMath.divideDirected(e[k].hi, sum(e[k].hi, others.lo, den, RoundingMode.FLOOR), digits,
                        RoundingMode.CEILING);
            }
            out[k] = new Interval(lower, upper);
        }
        if (absolute && n > 1) {
            // σ_top = 1 − Σ_{k≠top} σ_k: the others' ends summed exactly, then rounded outward once
            BigDecimal hiSum = BigDecimal.ZERO, loSum = BigDecimal.ZERO;
            for (int k = 0; k < n; k++) {
                if (k != top) {
                    hiSum = BigMath.add(hiSum, out[k].hi);
                    loSum = BigMath.add(loSum, out[k].lo);
                }
            }
            BigDecimal lower = floor(BigMath.add(BigDecimal.ONE, hiSum.negate()), mc).max(BigDecimal.ZERO);
            BigDecimal upper = ceiling(BigMath.add(BigDecimal.ONE, loSum.negate()), mc).min(BigDecimal.ONE);
            out[top] = new Interval(lower, upper);
        }
        return out;
    }

    /** Σ x_i, rounded outward. */
    public static Interval sum(Interval[] xs, MathContext mc) {
        Require.noNullElements("xs", xs);
        Interval s = point(BigDecimal.ZERO);
        for (Interval x : xs) {
            s = s.add(x, mc);
        }
        return s;
    }

    /** "[lo, hi]" with both ends to 4 significant digits, and the width. */
    @Override
    public String toString() {
        // the width to 20 digits rounded up: the exact one of [10^{−10^8}, 1] has 10^8 digits
        return "[" + Format.number(lo) + ", " + Format.number(hi) + "] (width "
                + Format.number(hi.subtract(lo, new MathContext(20, RoundingMode.CEILING))) + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Interval i && lo.compareTo(i.lo) == 0 && hi.compareTo(i.hi) == 0;
    }

    @Override
    public int hashCode() {
        return 31 * lo.stripTrailingZeros().hashCode() + hi.stripTrailingZeros().hashCode();
    }
}
