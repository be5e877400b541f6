package org.promptlimits.boltzmann;

import org.promptlimits.check.Check;
import org.promptlimits.check.CheckTable;
import org.promptlimits.check.Format;
import org.promptlimits.check.Relation;
import org.promptlimits.check.Require;
import org.promptlimits.precision.BigMath;
import org.promptlimits.precision.Budget;
import org.promptlimits.precision.Interval;
import org.promptlimits.precision.PrecisionPlan;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;

/**
 * The four properties B1–B4 of the Boltzmann operator (theory §2 [L]), each measured on given scores and
 * returned as a {@link Check}: the measured quantity, the relation and the bound, and how it was measured.
 *
 * <p>B1 is measured in BigDecimal; B3 and B4 are <em>certified</em>: measured quantity and bound are enclosed
 * in outward-rounded interval arithmetic ({@link Interval}) and the verdict is decided by the enclosures' far
 * ends, so a row that holds proves the inequality for these scores (theory §8.3); B2 compares the closed-form gradient with a central difference
 * at 70+ digits. A premise that does not hold (B3 without a gap Δ ≥ 1, B4 with entries too close) is a
 * caller mistake and throws, naming the premise.
 */
public final class BoltzmannChecks {

    private static final String SPEC = "theory §2.2 [L]";
    private static final String SPEC_B3 = "theory §2.3 [L]";
    private static final String SPEC_B4 = "theory §2.4 [L]";
    /** Reported values are rounded to this many digits (they are shown, not compared further). */
    private static final MathContext LOG = PrecisionPlan.fixed(40, "digits of a reported value").mathContext();

    private BoltzmannChecks() {
    }

    /**
     * B1: min a ≤ boltz(a) ≤ max a. Measured: how far boltz(a) lies outside [min a, max a] (0 inside).
     *
     * @param a scores, length ≥ 1, finite. Not modified.
     * @throws IllegalArgumentException if the check would take longer than {@link Budget#DEFAULT}'s maxSeconds
     *                                  (three softmaxes of n scores in interval arithmetic: n = 2^20 takes about a
     *                                  minute)
     */
    public static Check b1(double[] a) {
        Boltzmann.requireScores(a);
        BigDecimal[] x = exact(a);
        BigDecimal min = Arrays.stream(x).min(BigDecimal::compareTo).orElseThrow();
        BigDecimal max = Arrays.stream(x).max(BigDecimal::compareTo).orElseThrow();
        // boltz(a) stays at least (max a − min a)/n inside the interval (the maximum's own weight is the largest),
        // so resolving that margin next to max|a| is enough
        BigDecimal spread = max.subtract(min);
        double log10Margin = spread.signum() == 0 ? 0 : Format.log10(spread) - Math.log10(a.length);
        PrecisionPlan plan = PrecisionPlan.forResolution(log10Margin,
                Math.max(min.abs().doubleValue(), max.abs().doubleValue()), "log10(n/(max a − min a)) + log10(max|a|) + guard");
        // the inputs themselves must survive rounding: carry at least their own digits
        int inputDigits = Arrays.stream(x).mapToInt(BigDecimal::precision).max().orElseThrow();
        MathContext mc = BigMath.digits(Math.max(plan.digits(), inputDigits + PrecisionPlan.GUARD));
        // max a − boltz(a) = Σ (max a − a_k) σ_k and boltz(a) − min a = Σ (a_k − min a) σ_k enclosed term by term (no
        // cancellation, so their lower ends resolve margins far below boltz(a)'s own digits); the distance outside
        // [min a, max a] is enclosed by their negative parts, and the row holds only if the far end is 0
        Interval[] gaps = byPrefixes("B1 at " + mc.getPrecision() + " digits", x, "use fewer scores (n = a.length)",
                prefix -> new Interval[] {weightedGaps(prefix, max, mc), weightedGaps(prefix, min, mc),
                        enclosure(prefix, mc)});
        Interval below = gaps[0];
        Interval above = gaps[1];
        BigDecimal outsideHigh = below.lo().negate().max(above.lo().negate()).max(BigDecimal.ZERO);
        BigDecimal outsideLow = below.hi().negate().max(above.hi().negate()).max(BigDecimal.ZERO);
        Interval b = gaps[2];
        return Check.certified("B1", "min a ≤ boltz(a) ≤ max a: distance of boltz(a) outside [min a, max a]", SPEC,
                outsideLow, outsideHigh, Relation.AT_MOST, BigDecimal.ZERO,
                "boltz(a) in " + b + ", inside [" + Format.number(min) + ", " + Format.number(max)
                        + "], n = " + a.length + ", interval arithmetic at " + mc.getPrecision() + " digits");
    }

    /**
     * B1 (permutation invariance): boltz(πa) = boltz(a) for {@code permutations} seeded random permutations π.
     * Measured: the largest |boltz(πa) − boltz(a)| in double; the bound is 0 (sorted summation makes it exact).
     *
     * @param a scores, length ≥ 1, finite. Not modified.
     */
    /** The most permutations {@link #permutationInvariance} tries (about a minute for n = 100). */
    public static final int MAX_PERMUTATIONS = 10_000_000;

    public static Check permutationInvariance(double[] a, int permutations, long seed) {
        Boltzmann.requireScores(a);
        Require.inRange("permutations", permutations, 1, MAX_PERMUTATIONS);
        Budget.DEFAULT.requireCells("permutation check", BigDecimal.valueOf((long) permutations * a.length),
                "permutations·length of a = " + permutations + "·" + a.length, "lower permutations");
        RandomGenerator random = new Random(seed);
        double b = Boltzmann.of(a);
        double worst = 0;
        double[] p = a.clone();
        for (int t = 0; t < permutations; t++) {
            shuffle(p, random);
            worst = Math.max(worst, Math.abs(Boltzmann.of(p) - b));
        }
        return Check.of("B1-perm", "boltz(πa) = boltz(a) for permutations π: largest |boltz(πa) − boltz(a)|", SPEC,
                worst, Relation.EQUALS, 0.0,
                permutations + " random permutations (seed " + seed + "), double");
    }

    /**
     * B2: ∂boltz/∂a_k = σ_k(a)(1 + a_k − boltz(a)). Measured: the largest difference between this closed form
     * and the central difference (boltz(a + h e_k) − boltz(a − h e_k)) / 2h with h = 10^-20, both enclosed in
     * interval arithmetic, so the row is certified: its upper end decides. Bound: 10^-30 (2 + max a − min a)^3, far
     * above the difference quotient's error h^2 |∂^3 boltz| / 6.
     *
     * @param a scores, length ≥ 1, finite, with max a − min a ≤ 10^4. Not modified.
     * @throws IllegalArgumentException if the check would take longer than {@link Budget#DEFAULT}'s maxSeconds
     *                                  (it takes about n² exponentials: n = 1000 at a spread of 1000 takes minutes)
     */
    public static Check b2(double[] a) {
        Boltzmann.requireScores(a);
        BigDecimal[] x = exact(a);
        double spread = Arrays.stream(a).max().orElseThrow() - Arrays.stream(a).min().orElseThrow();
        Require.that(spread <= 1e4, "max a − min a (" + spread + ") must be <= 1e4 for the difference quotient of B2");
        double magnitude = Arrays.stream(a).map(Math::abs).max().orElseThrow();
        int digits = 80 + (int) Math.ceil(Math.log10(2 + magnitude)) + (int) Math.ceil(spread / Math.log(10));
        MathContext mc = PrecisionPlan.fixed(digits, "80 + log10(2 + max|a|) + (max a − min a)/ln 10: the "
                + "difference quotient at h = 1e-20 keeps 60 digits").mathContext();
        BigDecimal h = BigDecimal.ONE.movePointLeft(20);
        BigDecimal inverseTwoH = new BigDecimal("5E+19"); // 1/(2h), exact
        Interval[] sigma = Interval.softmax(points(x), mc);
        Interval boltz = enclosure(x, mc);
        Interval worst = Interval.point(BigDecimal.ZERO);
        // 2n enclosures of n exponentials each: refused by the default budget's time once it is clearly over
        Budget.Repetitions guard = Budget.DEFAULT.repetitions("B2 central differences at " + digits + " digits",
                a.length, "n = a.length", "use fewer scores, or a smaller max a − min a");
        for (int k = 0; k < a.length; k++) {
            guard.before(k);
            BigDecimal[] up = x.clone();
            BigDecimal[] down = x.clone();
            up[k] = x[k].add(h);
            down[k] = x[k].subtract(h);
            Interval difference = enclosure(up, mc).subtract(enclosure(down, mc), mc).multiply(inverseTwoH, mc);
            Interval closed = sigma[k].multiply(Interval.point(BigDecimal.ONE.add(x[k])).subtract(boltz, mc), mc);
            worst = worst.max(difference.subtract(closed, mc).abs());
        }
        BigDecimal bound = BigDecimal.valueOf(2 + spread).pow(3).movePointLeft(30);
        return Check.certified("B2", "∂boltz/∂a_k = σ_k(1 + a_k − boltz(a)): largest |closed form − central difference|",
                SPEC, worst.lo(), worst.hi(), Relation.AT_MOST, bound,
                "h = 1e-20, n = " + a.length + ", interval arithmetic at " + digits + " digits");
    }

    /**
     * B3: if every non-maximal entry is ≤ max a − Δ with Δ ≥ 1, then max a − boltz(a) ≤ (n−1) Δ e^{−Δ}.
     * Δ is taken as max a minus the second-largest entry (the largest Δ the premise allows, which gives
     * the tightest bound). Enclosed as Σ (max a − a_k) σ_k (no cancellation) at 40 digits, or at
     * 40 + Δ/ln 10 digits when 40 cannot separate the two (measured/bound can be 1/(1 + (n−1)e^{−Δ})).
     *
     * @param a scores, length ≥ 2, finite, with a unique maximum at least 1 above every other entry. Not modified.
     * @throws IllegalArgumentException if the premise Δ ≥ 1 fails, if Δ &gt; 10^9, or if telling the two sides apart
     *         needs more digits than {@link Budget#DEFAULT} allows (every other entry exactly Δ below the maximum and
     *         Δ above about 46,000), or if the check would take longer than the default budget's maxSeconds (two
     *         softmaxes of n scores: n = 2^20 takes about 20 s at 40 digits)
     */
    public static Check b3(double[] a) {
        Boltzmann.requireScores(a);
        Require.that(a.length >= 2, "a (length " + a.length + ") must have at least two entries for B3");
        double[] s = a.clone();
        Arrays.sort(s);
        BigDecimal delta = new BigDecimal(s[s.length - 1]).subtract(new BigDecimal(s[s.length - 2]));
        Require.that(delta.compareTo(BigDecimal.ONE) >= 0,
                "Delta (" + Format.numberBeside(delta, BigDecimal.ONE) + ") must be >= 1: B3 needs every non-maximal entry at least 1 below max a");
        Require.that(delta.compareTo(BigMath.EXP_ARGUMENT_LIMIT) <= 0,
                "Delta (" + Format.numberBeside(delta, BigMath.EXP_ARGUMENT_LIMIT) + ") must be <= 1e9 so that the bound's e^{-Delta} fits a BigDecimal");
        BigDecimal[] x = exact(a);
        // measured/bound can be as close to 1 as 1/(1 + (n−1)e^{−Δ}): if 40 digits cannot separate them, retry
        // with enough digits to resolve e^{−Δ} relative to the bound (Δ ≤ 1e9 keeps this sum in an int)
        int digits = 40;
        int enough = 40 + (int) Math.ceil(delta.doubleValue() / Math.log(10)) + (int) Math.ceil(Math.log10(a.length)) + 5;
        while (true) {
            MathContext mc = BigMath.digits(digits);
            B3Pass pass = byPrefixes("B3 at " + digits + " digits", x, digits > 40
                    ? "use fewer scores (n = a.length), or a smaller Delta (the gap between the two largest entries of a)"
                    : "use fewer scores (n = a.length)", prefix -> new B3Pass(gapToMaxEnclosure(prefix, mc),
                            Boltzmann.gapToMax(prefix, mc)));
            Interval measured = pass.measured();
            Interval bound = Interval.point(BigDecimal.valueOf(a.length - 1)).multiply(delta, mc)
                    .multiply(Interval.point(delta.negate()).exp(mc), mc);
            if (measured.hi().compareTo(bound.lo()) <= 0 || digits >= enough) {
                BigDecimal shown = pass.shown().max(measured.lo()).min(measured.hi());
                return Check.of("B3", "max a − boltz(a) ≤ (n−1)Δe^{−Δ}", SPEC_B3, shown, Relation.AT_MOST, bound.lo(),
                        "Δ = " + Format.number(delta) + ", n = " + a.length + ", interval arithmetic at " + digits + " digits")
                        .certifiedBy(new Check.Enclosure(measured.lo(), measured.hi(), bound.lo(), bound.hi()));
            }
            Budget.DEFAULT.requireDigits("B3 at Delta = " + Format.number(delta) + " (to tell max a − boltz(a) from its bound, "
                            + "whose ratio is 1/(1 + (n−1)e^{−Delta}) when every other entry is max a − Delta)",
                    BigDecimal.valueOf(enough), "40 + Delta/ln 10 + log10 n + 5",
                    "lower Delta (the gap between the two largest entries of a)");
            digits = enough;
        }
    }

    /**
     * {@code check} on the scores x under {@link Budget#DEFAULT}'s time guard ({@link Budget#repetitions}, counting
     * scores), for a check whose time is linear in n = x.length and spent in one call ({@link Interval#softmax}'s n
     * exponentials), where no loop here can look at the clock. It runs first on the prefixes of x of length 1, 1, 2,
     * 4, … (each as long as all before it, so the guard sees one score's time as the time of the last prefix over
     * its length), until the guard has run long enough to decide ({@link Budget#TRUST_FRACTION}) or the next prefix
     * would be an eighth of x or more; then on x. The prefixes cost at most a quarter of what the check on x costs,
     * and at most about 2·maxSeconds / TRUST_FRACTION when that is less; a check on x that takes 8·maxSeconds /
     * TRUST_FRACTION (about 8 s at the default budget) or more is decided before the check on x starts.
     *
     * @param fix the advice of a refusal: what to lower, since the check takes no Budget
     * @throws IllegalArgumentException if the estimate for all n scores is above the default budget's maxSeconds
     */
    private static <T> T byPrefixes(String what, BigDecimal[] x, String fix, Function<BigDecimal[], T> check) {
        Budget.Repetitions guard = Budget.DEFAULT.repetitions(what, x.length, "n = a.length", fix);
        long start = System.nanoTime();
        double trusted = Budget.DEFAULT.maxSeconds() / Budget.TRUST_FRACTION;
        guard.before(0);
        for (int done = 0, length = 1; 8L * length < x.length; length = done) {
            check.apply(Arrays.copyOf(x, length));
            done += length;
            // the clock read before the guard's: once this is past the trusted time, so was the guard's, which decided
            boolean decided = (System.nanoTime() - start) * 1e-9 >= trusted;
            guard.before(done);
            if (decided) {
                break;
            }
        }
        return check.apply(x);
    }

    /** One pass of B3 at one precision: the enclosure of max a − boltz(a) and the value shown. */
    private record B3Pass(Interval measured, BigDecimal shown) {
    }

    /** Enclosure of boltz(a) = Σ a_k σ_k(a), σ from {@link Interval#softmax}. */
    static Interval enclosure(BigDecimal[] a, MathContext mc) {
        Interval[] sigma = Interval.softmax(points(a), mc);
        Interval sum = Interval.point(BigDecimal.ZERO);
        for (int k = 0; k < a.length; k++) {
            sum = sum.add(sigma[k].multiply(a[k], mc), mc);
        }
        return sum;
    }

    /** Enclosure of max a − boltz(a) = Σ (max a − a_k) σ_k(a): no cancellation, every term ≥ 0. */
    static Interval gapToMaxEnclosure(BigDecimal[] a, MathContext mc) {
        return weightedGaps(a, Arrays.stream(a).max(BigDecimal::compareTo).orElseThrow(), mc);
    }

    /** Enclosure of Σ |ref − a_k| σ_k(a) for ref = max a or min a: |ref − boltz(a)|, every term ≥ 0. */
    private static Interval weightedGaps(BigDecimal[] a, BigDecimal ref, MathContext mc) {
        Interval[] sigma = Interval.softmax(points(a), mc);
        Interval sum = Interval.point(BigDecimal.ZERO);
        for (int k = 0; k < a.length; k++) {
            BigDecimal gap = ref.subtract(a[k]).abs();
            if (gap.signum() != 0) {
                sum = sum.add(sigma[k].multiply(gap, mc), mc);
            }
        }
        return sum;
    }

    private static Interval[] points(BigDecimal[] a) {
        Interval[] x = new Interval[a.length];
        for (int k = 0; k < a.length; k++) {
            x[k] = Interval.point(a[k]);
        }
        return x;
    }

    /**
     * B4 (separation): for vectors a^(1..m) ∈ R^n with |a_k| &lt; r, no duplicate entry inside a vector, and
     * distinct entries (also across vectors) more than 2 ln n + 3 apart, |boltz(a^(i)) − boltz(a^(j))| &gt;
     * (ln n)^2 e^{−2r} whenever a^(i) is not a permutation of a^(j). Measured: the smallest such difference,
     * in BigDecimal at the precision of {@link PrecisionPlan#forScoreBound}.
     *
     * @param vectors m ≥ 2 score vectors of one length n ≥ 2, not all permutations of each other. Not modified.
     * @param r       the score bound of the premise, &gt; every |a_k|
     * @throws IllegalArgumentException if a premise fails (the message names it)
     */
    public static Check b4(BigDecimal[][] vectors, BigDecimal r) {
        Require.notNull("vectors", vectors);
        Require.positive("r", r);
        // the digits grow like 2r/ln 10: estimate and refuse before any exponential is computed
        PrecisionPlan plan = PrecisionPlan.forScoreBound(r).requireWithin(Budget.DEFAULT, "B4 check at r = "
                + Format.number(r), 2L * vectors.length,
                limit -> "lower the score bound r (B4 needs about 0.87·r digits)");
        Require.that(vectors.length >= 2, "vectors (" + vectors.length + ") must hold at least two vectors");
        for (int i = 0; i < vectors.length; i++) {
            Require.noNullElements("vectors[" + i + "]", vectors[i]);
        }
        int n = Boltzmann.requireScores(vectors[0]).length;
        Require.that(n >= 2, "n (" + n + ") must be >= 2 for B4 (ln n = 0 otherwise)");
        BigDecimal lnN = BigMath.log(BigDecimal.valueOf(n), LOG);
        BigDecimal minGap = lnN.multiply(BigDecimal.valueOf(2)).add(BigDecimal.valueOf(3));
        List<BigDecimal> entries = new ArrayList<>();
        for (int i = 0; i < vectors.length; i++) {
            BigDecimal[] v = Boltzmann.requireScores(vectors[i]);
            Require.that(v.length == n, "vectors[" + i + "] has " + v.length + " entries but vectors[0] has " + n
                    + "; all vectors must have the same length");
            BigDecimal[] s = v.clone();
            Arrays.sort(s);
            for (int k = 0; k < n; k++) {
                if (s[k].abs().compareTo(r) >= 0) {
                    throw new IllegalArgumentException("vectors[" + i + "] entry (" + Format.numberBeside(s[k],
                            s[k].signum() < 0 ? r.negate() : r) + ") must satisfy |a_k| < r = " + Format.number(r));
                }
                Require.that(k == 0 || s[k].compareTo(s[k - 1]) != 0, "vectors[" + i + "] entry ("
                        + Format.number(s[k]) + ") must not repeat inside a vector");
            }
            entries.addAll(Arrays.asList(s));
        }
        entries.sort(BigDecimal::compareTo);
        for (int k = 1; k < entries.size(); k++) {
            BigDecimal gap = entries.get(k).subtract(entries.get(k - 1));
            Require.that(gap.signum() == 0 || gap.compareTo(minGap) > 0, "distinct entries " + Format.number(entries.get(k - 1))
                    + " and " + Format.number(entries.get(k)) + " (gap " + Format.number(gap)
                    + ") must differ by more than 2 ln n + 3 = " + Format.number(minGap));
        }
        MathContext mc = plan.mathContext();
        Interval[] b = new Interval[vectors.length];
        BigDecimal[][] sorted = new BigDecimal[vectors.length][];
        for (int i = 0; i < vectors.length; i++) {
            b[i] = enclosure(vectors[i], mc);
            sorted[i] = vectors[i].clone();
            Arrays.sort(sorted[i]);
        }
        Interval smallest = null;
        int pairs = 0;
        for (int i = 0; i < vectors.length; i++) {
            for (int j = i + 1; j < vectors.length; j++) {
                if (samePermutation(sorted[i], sorted[j])) {
                    continue;
                }
                pairs++;
                Interval diff = b[i].subtract(b[j], mc).abs();
                smallest = smallest == null ? diff : smallest.min(diff);
            }
        }
        Require.that(smallest != null, "vectors (" + vectors.length
                + ") must include two that are not permutations of each other");
        Interval ln = Interval.point(BigDecimal.valueOf(n)).log(LOG);
        Interval bound = ln.square(LOG).multiply(Interval.point(r.multiply(BigDecimal.valueOf(-2))).exp(LOG), LOG);
        Interval shown = Interval.around(smallest.lo(), LOG);
        return Check.of("B4", "|boltz(a⁽ⁱ⁾) − boltz(a⁽ʲ⁾)| > (ln n)²e^{−2r} unless a⁽ⁱ⁾, a⁽ʲ⁾ are permutations",
                SPEC_B4, shown.lo(), Relation.GREATER_THAN, bound.hi(),
                vectors.length + " vectors, " + pairs + " pairs, n = " + n + ", r = " + Format.number(r)
                        + ", interval arithmetic at " + plan.digits() + " digits")
                .certifiedBy(new Check.Enclosure(shown.lo(), smallest.hi().max(shown.lo()), bound.lo(), bound.hi()));
    }

    /** B4 for double vectors, converted exactly to BigDecimal. Neither argument is modified. */
    public static Check b4(double[][] vectors, double r) {
        Require.allFinite("vectors", vectors);
        Require.positive("r", r);
        BigDecimal[][] x = new BigDecimal[vectors.length][];
        for (int i = 0; i < vectors.length; i++) {
            x[i] = exact(vectors[i]);
        }
        return b4(x, new BigDecimal(r));
    }

    /**
     * Softmax attention of the last token over all tokens (notebook 00): for each inverse temperature β the
     * weights σ = softmax(β⟨x_j, q⟩) with q the last column. S1: the weights sum to 1 (largest |Σ_j σ_j − 1| over
     * β, bound 10^-12). S2: the output Σ_j σ_j x_j lies in the tokens' coordinate-wise bounding box (largest
     * distance below the minimum plus largest distance above the maximum, bound 0).
     *
     * @param tokens d×L matrix, one token per column, d ≥ 1, L ≥ 1, finite. Not modified.
     * @param betas  inverse temperatures, at least one, finite and ≥ 0. Not modified.
     */
    public static CheckTable softmaxAttention(double[][] tokens, double[] betas) {
        int len = Require.rectangular("tokens", tokens);
        Require.that(len >= 1, "tokens (0 columns) must hold at least one token");
        Require.allFinite("tokens", tokens);
        Require.allFinite("betas", betas);
        Require.that(betas.length >= 1, "betas (length 0) must hold at least one inverse temperature");
        int d = tokens.length;
        for (int b = 0; b < betas.length; b++) {
            Require.that(betas[b] >= 0, "betas[" + b + "] (" + betas[b] + ") must be >= 0");
        }
        double[] scores = new double[len];
        for (int j = 0; j < len; j++) {
            for (int i = 0; i < d; i++) {
                scores[j] += tokens[i][j] * tokens[i][len - 1];
            }
            Require.finiteResult("score ⟨z_" + j + ", z_last⟩", scores[j], "the entries of tokens are finite but"
                    + " too large (their products overflow double); rescale tokens");
        }
        for (double beta : betas) {
            for (double score : scores) {
                Require.finiteResult("beta·score", beta * score, "betas and the scores of tokens together overflow"
                        + " double; lower betas or rescale tokens");
            }
        }
        double worstSum = 0;
        double worstOutside = 0;
        for (double beta : betas) {
            double[] scaled = new double[len];
            for (int j = 0; j < len; j++) {
                scaled[j] = beta * scores[j];
            }
            double[] w = Boltzmann.softmax(scaled);
            worstSum = Math.max(worstSum, Math.abs(Arrays.stream(w).sum() - 1));
            double below = 0;
            double above = 0;
            for (int i = 0; i < d; i++) {
                double out = 0;
                for (int j = 0; j < len; j++) {
                    out += tokens[i][j] * w[j];
                }
                double min = Arrays.stream(tokens[i]).min().orElseThrow();
                double max = Arrays.stream(tokens[i]).max().orElseThrow();
                below = Math.max(below, min - out);
                above = Math.max(above, out - max);
            }
            worstOutside = Math.max(worstOutside, below + above);
        }
        return CheckTable.of("Softmax attention, β ∈ {" + Arrays.stream(betas).mapToObj(Format::plain)
                        .collect(Collectors.joining(", ")) + "}",
                Check.of("S1", "max_β |Σ_j σ_j − 1|", "theory §1.2 [L]", worstSum, Relation.AT_MOST, 1e-12,
                        "double, " + betas.length + " values of β"),
                Check.of("S2", "distance of the output outside the tokens' bounding box", "theory §1.2 [L]", worstOutside,
                        Relation.AT_MOST, 0, "double, exact comparison"));
    }

    /**
     * B1, permutation invariance (100 permutations, seed 7), B2 on {@code a} and B3 on {@code b3Scores}, as
     * notebook 01 shows them.
     *
     * @param a        scores for B1 and B2. Not modified.
     * @param b3Scores scores with a gap Δ ≥ 1 below the maximum, for B3. Not modified.
     */
    public static CheckTable b1ToB3(double[] a, double[] b3Scores) {
        Check b3;
        try {
            b3 = b3(b3Scores);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("b3Scores: " + e.getMessage(), e);
        }
        return CheckTable.of("Boltzmann operator: B1–B3", b1(a), permutationInvariance(a, 100, 7), b2(a), b3);
    }

    /** The most gaps {@link #b3Sweep} checks (one exact B3 check each). */
    public static final int MAX_B3_STEPS = 10_000;

    /**
     * B3 as the gap grows: one check per Δ = 1 … {@code steps} on the scores (0, −Δ, −Δ−1, −Δ−2).
     *
     * @param steps number of gaps, ≥ 1; check i (from 0) has Δ = i + 1
     */
    public static CheckTable b3Sweep(int steps) {
        Require.inRange("steps", steps, 1, MAX_B3_STEPS);
        List<Check> checks = new ArrayList<>();
        for (int i = 0; i < steps; i++) {
            double gap = 1 + i;
            checks.add(b3(new double[] {0, -gap, -gap - 1, -gap - 2}));
        }
        return CheckTable.of("B3 for Δ = 1 … " + steps, checks);
    }

    /**
     * {@code m} vectors of three entries drawn without repetition from {@code ladder}: each is the first three
     * entries of a seeded Fisher–Yates shuffle of the ladder (the swaps of {@code Collections.shuffle}, with
     * one {@code Random(seed)} for all vectors).
     *
     * @param ladder at least three finite values. Not modified.
     * @param m      number of vectors, ≥ 1
     */
    public static double[][] ladderVectors(double[] ladder, int m, long seed) {
        Require.allFinite("ladder", ladder);
        Require.that(ladder.length >= 3, "ladder (length " + ladder.length + ") must hold at least 3 values");
        Require.positive("m", m);
        Budget.DEFAULT.requireArray("ladder vectors (m × 3 doubles)", Double.BYTES,
                Budget.orMoreHeap("lower m"), m, 3);
        Budget.DEFAULT.requireCells("ladder shuffles", BigDecimal.valueOf((long) m * ladder.length),
                "m·length of ladder = " + m + "·" + ladder.length, "lower m or use a shorter ladder");
        RandomGenerator random = new Random(seed);
        double[][] vectors = new double[m][];
        for (int i = 0; i < m; i++) {
            double[] rungs = ladder.clone();
            shuffle(rungs, random);
            vectors[i] = new double[] {rungs[0], rungs[1], rungs[2]};
        }
        return vectors;
    }

    /** B4 on {@code vectors} with score bound {@code r}, titled by the number of vectors and r. Not modified. */
    public static CheckTable b4Table(double[][] vectors, double r) {
        Require.notNull("vectors", vectors);
        return CheckTable.of("B4 on " + vectors.length + " vectors, r = " + Format.plain(r), b4(vectors, r));
    }

    private static boolean samePermutation(BigDecimal[] sortedA, BigDecimal[] sortedB) {
        for (int k = 0; k < sortedA.length; k++) {
            if (sortedA[k].compareTo(sortedB[k]) != 0) {
                return false;
            }
        }
        return true;
    }

    private static BigDecimal[] exact(double[] a) {
        BigDecimal[] x = new BigDecimal[a.length];
        for (int k = 0; k < a.length; k++) {
            x[k] = BigMath.exact(a[k]);
        }
        return x;
    }

    private static void shuffle(double[] p, RandomGenerator random) {
        for (int i = p.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            double t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
    }
}
