package org.promptlimits.attention.exact;

import org.promptlimits.attention.Attention;
import org.promptlimits.check.Require;
import org.promptlimits.core.AttentionRows;
import org.promptlimits.precision.Budget;

import java.math.BigDecimal;

/**
 * Exact softmax attention in float64, written slow on purpose: the oracle every other implementation is
 * tested against. Row i of the output is Σ_j e^{s_j − max s} v_j / Σ_j e^{s_j − max s} with
 * s_j = β⟨q_i, k_j⟩. theory §7 [P].
 *
 * <p>An adapter over the library's one attention kernel ({@link AttentionRows}, tokens as rows, with the one
 * {@link org.promptlimits.core.Softmax}): one query row at a time with one score vector of length m, O(m)
 * memory, never an n×m matrix. The dot products are summed in index order and exp is {@link Math#exp}. Because the cost is n·m·(d + dv)
 * operations with no blocking, the number of (query, key) pairs is checked against
 * {@link Budget#maxCells()} first; the default budget allows 2^30 pairs (about a minute on one core).
 */
public final class ReferenceAttention implements Attention {

    /** The default limit on n·m (query, key) pairs: 2^30. */
    public static final Budget DEFAULT_BUDGET = Budget.DEFAULT.withMaxCells(1L << 30);

    private final Budget budget;

    private ReferenceAttention(Budget budget) {
        this.budget = Require.notNull("budget", budget);
    }

    /** The reference with {@link #DEFAULT_BUDGET}. */
    public static ReferenceAttention create() {
        return new ReferenceAttention(DEFAULT_BUDGET);
    }

    /** The reference refusing more than {@code budget.maxCells()} (query, key) pairs. */
    public static ReferenceAttention withBudget(Budget budget) {
        return new ReferenceAttention(budget);
    }

    @Override
    public String name() {
        return "exact-reference(f64)";
    }

    @Override
    public void attend(int n, int m, int d, int dv, double[] q, double[] k, double[] v, double beta, double[] out) {
        Attention.requireShapes(n, m, d, dv, q, k, v, beta, out);
        requireFinite(q, k, v);
        budget.requireCells("reference attention", BigDecimal.valueOf((long) n * m), "n*m = " + n + "*" + m,
                Budget.orLarger("sample rows with rows(...) or use BlockedAttention", "maxCells"));
        double[] scores = new double[m];
        for (int i = 0; i < n; i++) {
            AttentionRows.row(i, m, d, dv, q, k, v, beta, scores, out, i * dv);
        }
        Require.finiteResult("out", out, OVERFLOW);
    }

    private static final String OVERFLOW = "the scores beta·<q_i, k_j> or the values v overflow double;"
            + " lower beta or rescale q, k, v";

    /**
     * Exact output rows for the chosen query indices only (the oracle on a sample of rows).
     *
     * @param rows query indices in [0, n). Not modified.
     * @return rows.length × dv row-major, a new array
     */
    public double[] rows(int[] rows, int n, int m, int d, int dv, double[] q, double[] k, double[] v, double beta) {
        Require.notNull("rows", rows);
        Require.positive("n", n);
        Require.positive("dv", dv);
        budget.requireArray("attention rows (rows.length × dv doubles)", Double.BYTES,
                Budget.orLarger("sample fewer rows", "maxBytes"), rows.length, dv);
        Attention.requireInputs(n, m, d, dv, q, k, v, beta);
        requireFinite(q, k, v);
        double[] out = new double[rows.length * dv];
        budget.requireCells("reference attention", BigDecimal.valueOf((long) rows.length * m),
                "rows*m = " + rows.length + "*" + m, Budget.orLarger("sample fewer rows", "maxCells"));
        double[] scores = new double[m];
        for (int r = 0; r < rows.length; r++) {
            Require.that(rows[r] >= 0 && rows[r] < n, "rows[" + r + "] (" + rows[r] + ") must be in [0, " + n + ")");
            AttentionRows.row(rows[r], m, d, dv, q, k, v, beta, scores, out, r * dv);
        }
        return Require.finiteResult("rows output", out, OVERFLOW);
    }

    private static void requireFinite(double[] q, double[] k, double[] v) {
        Require.allFinite("q", q);
        Require.allFinite("k", k);
        Require.allFinite("v", v);
    }
}
