package org.promptlimits.quantize;

import org.promptlimits.check.Check;
import org.promptlimits.check.CheckTable;
import org.promptlimits.check.Format;
import org.promptlimits.check.Relation;
import org.promptlimits.check.Require;
import tech.tablesaw.api.Table;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;

/**
 * The check tables of the quantization section (theory §4 [L]) as notebook 03 and {@code verify} show them, so
 * both read the same checks.
 */
public final class QuantizationChecks {

    private QuantizationChecks() {
    }

    /**
     * The sup error of f̄ against its bound as δ shrinks: for each k in {@code ks}, f quantized with δ = 1/k and
     * output step {@code deltaY}, checked on {@code samples} points with seed k ({@link QuantizedFunction#supErrorCheck}).
     * Check i has id "sup δ=1/k" for k = ks[i].
     *
     * @param f       the target. Not modified.
     * @param ks      input steps 1/δ, at least one, each ≥ 1. Not modified.
     * @param deltaY  output step δ_y, in (0, 1]
     * @param samples points per check, ≥ 1
     */
    public static CheckTable supErrorSweep(Seq2Seq f, int[] ks, double deltaY, int samples) {
        Require.notNull("f", f);
        Require.notNull("ks", ks);
        Require.that(ks.length >= 1, "ks (length 0) must hold at least one input step");
        List<Check> sweep = new ArrayList<>();
        for (int i = 0; i < ks.length; i++) {
            Require.positive("ks[" + i + "]", ks[i]);
        }
        for (int k : ks) {
            sweep.add(QuantizedFunction.of(f, 1.0 / k, deltaY).supErrorCheck("sup δ=1/" + k, samples, k));
        }
        String outputStep = Math.rint(1 / deltaY) == 1 / deltaY ? "1/" + (long) (1 / deltaY) : Double.toString(deltaY);
        return CheckTable.of("sup ‖f − f̄‖_p against its bound as δ shrinks (" + f.name() + ", δ_y = " + outputStep + ")",
                sweep);
    }

    /**
     * Every target of {@link Targets#catalogue} quantized with δ = 1/8 and δ_y = 1/16 (sup error on 1,000 points,
     * seed 1) and spot-checked for its declared Lipschitz constant (500 pairs, seed 2), then the staircase
     * quantizer layer with δ = 1/8 on [1/8, 1/2] and η = 10^-9 checked exact in BigDecimal (50 digits) and in
     * double (2,000 points each, seed 3).
     *
     * @param d token dimension, ≥ 1
     * @param L sequence length, ≥ 1
     * @param p the norm's exponent, ≥ 1
     */
    public static CheckTable catalogue(int d, int L, double p) {
        List<Check> checks = new ArrayList<>();
        for (Seq2Seq t : Targets.catalogue(d, L, p)) {
            checks.add(QuantizedFunction.of(t, 0.125, 1.0 / 16).supErrorCheck("Q " + t.name(), 1000, 1));
            checks.add(LipschitzSpotCheck.search(t, 500, 2).check("Lip " + t.name()));
        }
        StaircaseQuantizer fine = StaircaseQuantizer.of(1, 8, 1, 4, new BigDecimal("1e-9"), new MathContext(50));
        checks.add(fine.exactnessCheck("S exact", 2000, 3));
        checks.add(fine.doubleExactnessCheck("S double", 2000, 3));
        return CheckTable.of("Quantization (theory §4): d = " + d + ", L = " + L + ", p = " + Format.plain(p), checks);
    }
    /**
     * The quantizer's promise over a {@link DistanceSweep} table: at every point the upper end of the 95%
     * interval of the Monte-Carlo d_p(f, f̄) must stay at or below the point's ε. The row reports the largest
     * ratio upper end / ε over the table (≤ 1 holds). The estimate samples f and f̄ afresh, apart from the
     * quantizer's own error bound.
     *
     * @param table a distance sweep's table (columns {@code epsilon}, {@code upper}, {@code samples}), ≥ 1 row
     */
    public static CheckTable distanceSweep(Table table) {
        Require.notNull("table", table);
        Require.that(table.rowCount() >= 1, "table " + table.name() + " has no rows; a distance sweep has one per point");
        double worst = 0;
        int at = 0;
        for (int i = 0; i < table.rowCount(); i++) {
            double ratio = table.doubleColumn("upper").getDouble(i) / table.doubleColumn("epsilon").getDouble(i);
            if (!(ratio <= worst)) {
                worst = ratio;
                at = i;
            }
        }
        return CheckTable.of("Distance sweep: the quantizer's promise at every point",
                Check.of("D1", "max over points of (upper end of the 95% interval of d_p(f, f̄)) / ε",
                        "theory §4.2 [L]", worst, Relation.AT_MOST, 1,
                        table.rowCount() + " points, " + table.intColumn("samples").getInt(0)
                                + " samples each; largest at " + table.stringColumn("target").getString(at)
                                + ", d = " + table.intColumn("d").getInt(at) + ", ε = "
                                + table.doubleColumn("epsilon").getDouble(at)));
    }
}
