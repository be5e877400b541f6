package org.promptlimits.attention.fast;

import org.promptlimits.check.Format;
import org.promptlimits.check.Require;
import org.promptlimits.precision.Budget;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * The monomial feature map of the polynomial method: for every multi-index α ∈ N^d with |α| ≤ g,
 * φ(x)_α = √(β^{|α|}/α!) x^α, so that φ(q)·φ(k) = P_g(β⟨q, k⟩) exactly (multinomial theorem), with
 * rank r = C(g+d, d). theory §7 [L].
 *
 * <p>Monomials are listed by degree and, within a degree, by their last (highest) variable v: the monomials of
 * degree t whose last variable is v are x_v times those of degree t − 1 whose last variable is at most v, and these
 * form a prefix of degree t − 1's list. So a whole feature vector is g·d segments, each one contiguous run of the
 * previous degree times one variable (r − 1 multiplications, vectorisable along the features). The
 * coefficients are split as φ(q)·φ(k) = Σ_α w_α q^α k^α with w_α = β^{|α|}/α!; {@link #weights()} gives w.
 */
public final class MonomialFeatures {

    private final int d;
    private final int g;
    private final double beta;
    private final int r;
    private final int[] parent;
    private final int[] variable;
    private final int[] degree;
    private final double[] weight;
    /** Segment s: monomials [dst, dst + length) = x_variable · monomials [src, src + length). */
    private final int[] segmentDst;
    private final int[] segmentSrc;
    private final int[] segmentLength;
    private final int[] segmentVariable;

    private MonomialFeatures(int d, int g, double beta, int r) {
        this.d = d;
        this.g = g;
        this.beta = beta;
        this.r = r;
        parent = new int[r];
        variable = new int[r];
        degree = new int[r];
        weight = new double[r];
        int[] last = new int[r];          // last variable of each monomial
        int[] lastPower = new int[r];     // power of that variable
        weight[0] = 1;
        parent[0] = -1;
        variable[0] = -1;
        last[0] = -1;
        int[] dst = new int[g * d];
        int[] src = new int[g * d];
        int[] len = new int[g * d];
        int[] var = new int[g * d];
        int count = 1;
        int levelStart = 0;
        int levelEnd = 1;
        for (int t = 1; t <= g; t++) {
            int prefixEnd = levelStart;   // the previous degree is sorted by last variable: last ≤ v is a prefix
            for (int v = 0; v < d; v++) {
                while (prefixEnd < levelEnd && last[prefixEnd] <= v) {
                    prefixEnd++;
                }
                int seg = (t - 1) * d + v;
                dst[seg] = count;
                src[seg] = levelStart;
                len[seg] = prefixEnd - levelStart;
                var[seg] = v;
                for (int p = levelStart; p < prefixEnd; p++) {
                    parent[count] = p;
                    variable[count] = v;
                    degree[count] = t;
                    last[count] = v;
                    lastPower[count] = last[p] == v ? lastPower[p] + 1 : 1;
                    // w_α = β^{|α|}/α!: multiplying by x_v raises α_v to lastPower, dividing α! by it
                    weight[count] = weight[p] * beta / lastPower[count];
                    count++;
                }
            }
            levelStart = levelEnd;
            levelEnd = count;
        }
        segmentDst = dst;
        segmentSrc = src;
        segmentLength = len;
        segmentVariable = var;
        if (count != r) {
            throw new IllegalStateException("listed " + count + " monomials but C(g+d, d) = " + r);
        }
    }

    /**
     * The feature map of degree g in dimension d with inverse temperature β, after checking its rank
     * against the budget: the map itself holds 4r numbers and {@link PolynomialAttention} keeps
     * (128 + d + 1)·r doubles per call, which must fit in {@code budget.maxBytes()}.
     *
     * @throws IllegalArgumentException if d &lt; 1, g &lt; 0, β is not positive, or the rank is over budget
     *                                  (the message gives r = C(g+d, d), the bytes, and says to lower g or d)
     */
    public static MonomialFeatures of(int d, int g, double beta, Budget budget) {
        Require.positive("d", d);
        Require.nonNegative("g", g);
        Require.positive("beta", beta);
        // every weight β^{|α|}/α! is at most max(1, β^g); beyond double's range the features would be ∞
        Require.that(Double.isFinite(Math.pow(beta, g)), "beta (" + beta + ") must keep the feature weights"
                + " β^|α|/α! finite up to degree g = " + g + " (β^g = " + Math.pow(beta, g) + "); lower beta or g");
        Require.notNull("budget", budget);
        BigInteger rank = rank(d, g);
        BigDecimal bytes = new BigDecimal(rank).multiply(BigDecimal.valueOf(8L * (PolynomialAttention.BLOCK + d + 1 + 4)));
        budget.requireBytes("feature rank r = C(g+d, d) = C(" + ((long) g + d) + ", " + d + ") = " + rank, bytes,
                "8 bytes * (" + PolynomialAttention.BLOCK + " + d + 5) * r",
                Budget.orLarger("lower the degree g (raise deltaF or lower B) or the dimension d", "maxBytes"));
        budget.requireCells("feature rank r = C(g+d, d)", new BigDecimal(rank), "C(" + ((long) g + d) + ", " + d + ")",
                Budget.orLarger("lower g or d", "maxCells"));
        return new MonomialFeatures(d, g, beta, rank.intValueExact());
    }

    /** The rank r = C(g+d, d): the number of multi-indices α ∈ N^d with |α| ≤ g. */
    public static BigInteger rank(int d, int g) {
        Require.nonNegative("d", d);
        Require.nonNegative("g", g);
        double log10 = log10Rank(d, g);
        Require.that(log10 < MAX_RANK_DIGITS, "rank C(g+d, d) for d = " + d + ", g = " + g + " has about "
                + Format.number(Math.floor(log10) + 1) + " digits, above " + MAX_RANK_DIGITS
                + "; lower g or d (use log10Rank for the size alone)");
        int k = Math.min(d, g); // C(g+d, d) = C(g+d, g): multiply over the smaller one
        long top = (long) g + d;
        BigInteger c = BigInteger.ONE;
        for (int i = 1; i <= k; i++) {
            c = c.multiply(BigInteger.valueOf(top - k + i)).divide(BigInteger.valueOf(i));
        }
        return c;
    }

    /** The largest number of decimal digits {@link #rank} computes exactly. */
    public static final int MAX_RANK_DIGITS = 100_000;

    /** log10 C(g+d, d), for any d, g ≥ 0, in constant time (log-factorials; exact to about 1e-12 relative). */
    public static double log10Rank(int d, int g) {
        Require.nonNegative("d", d);
        Require.nonNegative("g", g);
        return (Taylor.logFactorial((long) g + d) - Taylor.logFactorial(g) - Taylor.logFactorial(d)) / Math.log(10);
    }

    public int dimension() {
        return d;
    }

    public int degree() {
        return g;
    }

    public double beta() {
        return beta;
    }

    /** r = C(g+d, d). */
    public int rank() {
        return r;
    }

    /** The weights w_α = β^{|α|}/α! in monomial order, a copy. */
    public double[] weights() {
        return weight.clone();
    }

    /** The multi-index α of monomial a (length d), for display and tests. */
    public int[] multiIndex(int a) {
        Require.inRange("a", a, 0, r - 1);
        int[] alpha = new int[d];
        for (int p = a; p > 0; p = parent[p]) {
            alpha[variable[p]]++;
        }
        return alpha;
    }

    /**
     * φ(x) = (√w_α x^α)_α for one row x. The row is x[off .. off+d). Not modified.
     *
     * @return a new array of length r
     */
    public double[] features(double[] x, int off) {
        Require.notNull("x", x);
        Require.that(off >= 0 && off <= x.length - d, "off (" + off + ") must leave d = " + d + " entries in x");
        for (int t = off; t < off + d; t++) {
            Require.finite("x[" + t + "]", x[t]);
        }
        double[] f = new double[r];
        monomials(x, off, f, 0);
        for (int a = 0; a < r; a++) {
            f[a] *= Math.sqrt(weight[a]);
        }
        return Require.finiteResult("φ(x)", f, "x^α overflows double for degree g = " + g + "; rescale x");
    }

    /** Raw monomials x^α of one row into dst[dOff .. dOff+r). */
    void monomials(double[] x, int off, double[] dst, int dOff) {
        dst[dOff] = 1;
        for (int a = 1; a < r; a++) {
            dst[dOff + a] = dst[dOff + parent[a]] * x[off + variable[a]];
        }
    }

    /**
     * Raw monomials of b rows, row-major: dst[i·stride + a] = x_{i0+i}^α for i &lt; b, a &lt; r, by {@code kernel}
     * (x row-major n × d; entries of dst beyond r in a row are left as they are; in float32 x is rounded to float and
     * the products are in float).
     */
    <F> void monomialsOfRows(PolyKernel<F> kernel, double[] x, int i0, int b, F dst, int stride) {
        kernel.monomials(segmentDst, segmentSrc, segmentLength, segmentVariable, x, i0 * d, d, b, dst, stride);
    }

    /** The largest weight w_α = β^{|α|}/α!. */
    double maxWeight() {
        double max = 0;
        for (double w : weight) {
            max = Math.max(max, w);
        }
        return max;
    }
}
