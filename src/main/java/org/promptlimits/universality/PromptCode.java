package org.promptlimits.universality;

import org.promptlimits.check.Require;
import org.promptlimits.core.Matrices;
import org.promptlimits.core.Tokens;
import org.promptlimits.quantize.Grid;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;

/**
 * The prompt code of theory §5: target i of a family of m gets the prompt {@code P_i ∈ R^{d×Lp}} whose columns
 * are grid tokens spelling i in base {@code k^d} (least significant digit in the first column), with
 * {@code Lp = max(1, ⌈log m / log k^d⌉)}. [C]
 *
 * <p>The code is injective, so distinct targets get distinct prompts; with E added, distinct prompts give
 * distinct token sets, which the contextual mapping turns into distinct context IDs. For the whole family
 * F̄ of quantized targets, {@link #fullFamilyLength} gives {@code Lp = ⌈log|F̄| / log k^d⌉}
 * {@code = ⌈L k^{dL} ln(1/δ_y + 1) / ln k⌉}. Immutable.
 */
public final class PromptCode {

    private final Grid grid;
    private final int targets;
    private final int length;

    private PromptCode(Grid grid, int targets) {
        this.grid = Require.notNull("grid", grid);
        this.targets = Require.positive("m", targets);
        this.length = lengthFor(grid, targets);
    }

    /** The code for m targets on the grid's tokens. */
    public static PromptCode of(Grid grid, int m) {
        return new PromptCode(grid, m);
    }

    /** {@code Lp = max(1, ⌈log m / log k^d⌉)}: the fewest grid-token columns that spell m different indices. */
    public static int lengthFor(Grid grid, int m) {
        Require.notNull("grid", grid);
        Require.positive("m", m);
        BigInteger base = grid.tokenCount();
        Require.that(base.compareTo(BigInteger.ONE) > 0, "k^d (" + base + ") must be >= 2 to code prompts; decrease delta");
        int lp = 1;
        BigInteger capacity = base;
        while (capacity.compareTo(BigInteger.valueOf(m)) < 0) {
            capacity = capacity.multiply(base);
            lp++;
        }
        return lp;
    }

    /**
     * Lp for the whole family of quantized targets, {@code ⌈dL k^{dL} ln(1/δ_y + 1) / (d ln k)⌉}. theory §5 [C].
     * Reference (theory §8.4): d = 1, L = 2, ε = 1/2, p = 1, L_f = 1 gives k = 8, 1/δ_y = 8 and Lp = 136.
     */
    public static long fullFamilyLength(int d, int L, int k, int outputSteps) {
        Require.positive("d", d);
        Require.positive("L", L);
        Require.that(k >= 2, "k = 1/delta (" + k + ") must be >= 2");
        Require.positive("outputSteps", outputSteps);
        double v = (double) L * Math.pow(k, (double) d * L) * Math.log(outputSteps + 1.0) / Math.log(k);
        // a length past 2^63 (or past double's range) used to come back as Long.MAX_VALUE (or as 0, from NaN)
        Require.that(v < 0x1p63, "Lp of the full family (" + v + " = L·k^(dL)·ln(1/δ_y + 1)/ln k for d = " + d
                + ", L = " + L + ", k = " + k + ", 1/δ_y = " + outputSteps + ") must fit a long; lower d, L or k");
        return (long) Math.ceil(v - 1e-9 * v);
    }

    public Grid grid() {
        return grid;
    }

    /** m, the number of coded targets. */
    public int targets() {
        return targets;
    }

    /** Lp, the prompt length. */
    public int length() {
        return length;
    }

    /** The token codes (base-k^d digits) of target i, least significant first. */
    public long[] digits(int i) {
        Require.that(i >= 0 && i < targets, "i (" + i + ") must be in [0, m) = [0, " + targets + ")");
        long base = grid.tokenCount().longValueExact();
        long[] digits = new long[length];
        long r = i;
        for (int j = 0; j < length; j++) {
            digits[j] = r % base;
            r /= base;
        }
        return digits;
    }

    /** The prompt P_i, d×Lp, its entries grid levels rounded to {@code mc}. */
    public BigDecimal[][] prompt(int i, MathContext mc) {
        Require.precision("mc", mc);
        long[] digits = digits(i);
        BigDecimal[][] p = new BigDecimal[grid.d()][length];
        for (int j = 0; j < length; j++) {
            BigDecimal[] token = grid.token(digits[j], mc);
            for (int r = 0; r < grid.d(); r++) {
                p[r][j] = token[r];
            }
        }
        return p;
    }

    /** The prompt P_i in double (for display). */
    public double[][] prompt(int i) {
        return Matrices.toDouble(prompt(i, MathContext.DECIMAL64));
    }
}
