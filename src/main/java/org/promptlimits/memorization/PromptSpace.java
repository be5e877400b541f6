package org.promptlimits.memorization;

import org.promptlimits.check.Require;

import java.math.BigInteger;

/**
 * The set a soft prompt's tokens are drawn from, seen by the counting argument of Theorem 2.5 only
 * through {@code ln m}, the log of the number of distinguishable tokens. theory §6 [C].
 *
 * <ul>
 *   <li>{@link #alphabet(BigInteger)}: m tokens;</li>
 *   <li>{@link #gridTokens(int, double)}: the grid tokens {0, δ, …, 1−δ}^d, m = δ^{−d};</li>
 *   <li>{@link #bitsPerEntry(int, int)}: d entries of b bits each, m = 2^{bd} (a prompt stored in
 *       doubles is b = 64: the bound holds for every prompt a computer can hold);</li>
 *   <li>{@link #continuous(int, double, double, double)}: entries in [−R_P, R_P] with τ_P Λ_P-Lipschitz in P
 *       (max-norm): prompts closer than ε/Λ_P give outputs closer than ε, so the effective alphabet is
 *       m = (2 R_P Λ_P / ε + 1)^d.</li>
 * </ul>
 *
 * @param description what the tokens are, e.g. "grid tokens {0, δ, …, 1−δ}^d"
 * @param formula     m as a formula, e.g. "m = δ^{−d} = 4^1"
 * @param lnM         ln m, finite and &gt; 0
 * @param m           m itself when it is an integer that fits comfortably (for the exact integer search); else null
 */
public record PromptSpace(String description, String formula, double lnM, BigInteger m) {

    public PromptSpace {
        Require.notNull("description", description);
        Require.notNull("formula", formula);
        Require.positive("lnM", lnM);
    }

    /**
     * An alphabet of m prompt tokens.
     *
     * @throws IllegalArgumentException if m &lt; 2 (one token carries no information: no prompt length suffices)
     */
    public static PromptSpace alphabet(BigInteger m) {
        Require.notNull("m", m);
        Require.that(m.compareTo(BigInteger.TWO) >= 0,
                "m (" + m + ") must be >= 2; with one token every prompt is the same and nothing can be memorized");
        return new PromptSpace("alphabet of m tokens", "m = " + m, ln(m), m);
    }

    /**
     * The grid tokens {0, δ, …, 1−δ}^d, m = δ^{−d} (the prompt of the Theorem 2.4 construction).
     *
     * @throws IllegalArgumentException unless d ≥ 1, δ ∈ (0, 1/2] and 1/δ is an integer
     */
    public static PromptSpace gridTokens(int d, double delta) {
        Require.positive("d", d);
        long k = PromptLengthBound.inverseStep(delta);
        Require.that(k >= 2, "delta (" + delta + ") must be <= 1/2 for grid tokens; with delta = 1 the grid has one token");
        // m exactly only while it is a number one can use (≤ 4096 bits, as bitsPerEntry); ln m always
        BigInteger m = d * Math.log(k) / Math.log(2) <= 4096 ? BigInteger.valueOf(k).pow(d) : null;
        return new PromptSpace("grid tokens {0, δ, …, 1−δ}^d", "m = δ^{−d} = " + k + "^" + d,
                d * Math.log(k), m);
    }

    /**
     * Prompt entries of b bits: m = 2^{bd}.
     *
     * @throws IllegalArgumentException unless b ≥ 1 and d ≥ 1
     */
    public static PromptSpace bitsPerEntry(int bits, int d) {
        Require.positive("bits", bits);
        Require.positive("d", d);
        return new PromptSpace(bits + "-bit prompt entries", "m = 2^{b·d} = 2^(" + bits + "·" + d + ")",
                (double) bits * d * Math.log(2), (long) bits * d <= 4096 ? BigInteger.ONE.shiftLeft(bits * d) : null);
    }

    /**
     * Continuous prompts with entries in [−R_P, R_P] and τ_P Λ_P-Lipschitz in P (max-norm): effective
     * alphabet m = (2 R_P Λ_P / ε + 1)^d. theory §6 [C].
     *
     * @throws IllegalArgumentException unless d ≥ 1, R_P &gt; 0, Λ_P &gt; 0 finite, ε ∈ (0, 1) and 2 R_P Λ_P / ε is
     *                                  a finite double of full precision (at least {@link Double#MIN_NORMAL})
     */
    public static PromptSpace continuous(int d, double promptRadius, double lipschitzInPrompt, double epsilon) {
        Require.positive("d", d);
        Require.positive("promptRadius", promptRadius);
        Require.positive("lipschitzInPrompt", lipschitzInPrompt);
        Require.inOpen("epsilon", epsilon, 0, 1);
        double ratio = 2 * promptRadius * lipschitzInPrompt / epsilon;
        Require.that(Double.isFinite(ratio), "2 R_P Λ_P / ε (" + ratio + ") must be finite");
        // below double's normal range the product lost its digits (or all of them: ln m = 0 was refused as lnM)
        Require.that(ratio >= Double.MIN_NORMAL, "2 R_P Λ_P / ε (" + ratio + " for promptRadius = " + promptRadius
                + ", lipschitzInPrompt = " + lipschitzInPrompt + ", epsilon = " + epsilon + ") must be at least "
                + Double.MIN_NORMAL + " to be a double with all its digits; raise promptRadius or lipschitzInPrompt");
        return new PromptSpace("continuous prompts in [−R_P, R_P], τ_P Λ_P-Lipschitz in P",
                "m = (2 R_P Λ_P / ε + 1)^d = (2·" + promptRadius + "·" + lipschitzInPrompt + "/" + epsilon + " + 1)^" + d,
                d * Math.log1p(ratio), null);
    }

    static double ln(BigInteger x) {
        int shift = Math.max(0, x.bitLength() - 60);
        return Math.log(x.shiftRight(shift).doubleValue()) + shift * Math.log(2);
    }
}
