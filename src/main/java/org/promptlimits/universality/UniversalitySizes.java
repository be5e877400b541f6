package org.promptlimits.universality;

import org.promptlimits.check.Format;
import org.promptlimits.check.Require;
import org.promptlimits.quantize.Grid;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * The size report of the universality constructions with the THEORY constants of Lemma 2.2: prompt length,
 * vocabulary, temperature, digits, widths and depths of Theorem 2.4 (two FFN layers) and Theorem 2.3 (deep,
 * width-4 FFN). theory §5, §8.4 [P counts, C construction].
 *
 * <p>Never a run: these numbers (r ≈ 10^18 for ε = 1/2 already) are the distance between the proof and a
 * computer. Values too large for a double are kept as log10. Formulas:
 * <ul>
 * <li>{@code 1/δ = ⌈2 L_f (dL)^{1/p}/ε⌉}, {@code 1/δ_y = ⌈2 (dL)^{1/p}/ε⌉} (theory §4);</li>
 * <li>{@code log10|F̄| = dL δ^{−dL} log10(1/δ_y + 1)}; full family {@code Lp = ⌈log|F̄| / log δ^{−d}⌉},
 *     m targets {@code Lp = max(1, ⌈log m / log δ^{−d}⌉)};</li>
 * <li>{@code n = Lp + L}, {@code K = n δ^{−d}}, {@code γ_min = √d/2}, {@code γ_max = √d (n+1)}, {@code ε_tok = δ};</li>
 * <li>{@code c = (K+1)^4 (2 ln n + 3) π d / (8 γ_min ε_tok)}, {@code r = c γ_max²}, digits {@code 2r/ln 10},
 *     δ of Lemma 2.2 from theory §3.3 (as log10);</li>
 * <li>FF_1 width {@code 2 d n δ^{−1}}; FF_2 width M = (number of coded targets)·{@code δ^{−dL}}·L;
 *     Theorem 2.3: {@code n/δ} snap layers + 1 attention layer + M bump layers, width max(3d, 4).</li>
 * </ul>
 * Reference values (theory §8.4): d = 1, L = 2, ε = 1/2, p = 1, L_f = 1 gives Lp = 136, K = 1104, r ≈ 2·10^18;
 * d = 1, L = 2, δ = 1/4 and two targets gives c ≈ 4.7·10^5 and r ≈ 7.5·10^6.
 */
public final class UniversalitySizes {

    /** One line of the report. */
    public record Row(String quantity, String value, String formula) {
    }

    private final String title;
    private final int d;
    private final int length;
    private final double k;
    private final double log10Targets;
    private final double promptLength;
    private final double n;
    private final double vocabulary;
    private final double gammaMin;
    private final double gammaMax;
    private final double temperature;
    private final double r;
    private final double digits;
    private final double log10Separation;
    private final double ff1Width;
    private final double log10Ff2Width;
    private final double log10DeepLayers;
    private final double log10InverseEpsilonPower;
    private final List<Row> rows = new ArrayList<>();

    private UniversalitySizes(String title, int d, int length, double k, double log10Targets, double promptLength,
                              double epsilon, String fix) {
        this.title = title;
        this.d = d;
        this.length = length;
        this.k = k;
        this.log10Targets = log10Targets;
        this.promptLength = promptLength;
        this.n = promptLength + length;
        this.vocabulary = n * Math.pow(k, d);
        this.gammaMin = Math.sqrt(d) / 2;
        this.gammaMax = Math.sqrt(d) * (n + 1);
        double epsTok = 1.0 / k;
        double ln = Math.log(n);
        double k4 = Math.pow(vocabulary + 1, 4);
        this.temperature = k4 * (2 * ln + 3) * Math.PI * d / (8 * gammaMin * epsTok);
        this.r = temperature * gammaMax * gammaMax;
        this.digits = 2 * r / Math.log(10);
        double exponent = k4 * (2 * ln + 3) * Math.PI * d * gammaMax * gammaMax / (4 * epsTok * gammaMin);
        this.log10Separation = Math.log10(2 * ln * ln * epsTok * epsTok * gammaMin
                / (gammaMax * gammaMax * k4 * (2 * ln + 3) * Math.PI * d)) - exponent / Math.log(10);
        this.ff1Width = 2.0 * d * n * k;
        this.log10Ff2Width = log10Targets + d * length * Math.log10(k) + Math.log10(length);
        double m = Math.pow(10, log10Ff2Width);
        this.log10DeepLayers = Double.isFinite(m) ? Math.log10(m + n * k + 1) : log10Ff2Width;
        this.log10InverseEpsilonPower = d * n * Math.log10(1 / epsilon);
        // the report carries astronomically large sizes as doubles and their log10: past double's range even those
        // are ∞ (d or L near 2^31, ε near 1e-300), and an accessor would hand the caller Infinity
        double[] values = {promptLength, vocabulary, temperature, r, digits, log10Separation, ff1Width, log10Ff2Width,
                log10DeepLayers, log10InverseEpsilonPower};
        String[] names = {"Lp", "K", "c", "r", "digits", "log10 δ", "FF_1 width", "log10 FF_2 width", "log10 depth",
                "log10 (1/ε)^{d(Lp+L)}"};
        for (int i = 0; i < values.length; i++) {
            Require.finiteResult(names[i] + " of the size report", values[i], "for d = " + d + ", L = " + length
                    + ", 1/δ = " + num(k) + ", ε = " + epsilon + " it is beyond double's range even as a log10; " + fix);
        }
    }

    /**
     * The report for the whole family of quantized L_f-Lipschitz targets at accuracy ε (the theorem itself).
     *
     * @param lipschitz L_f &gt; 0
     * @param epsilon   ε ∈ (0, 1)
     */
    public static UniversalitySizes fullFamily(int d, int L, double p, double lipschitz, double epsilon) {
        Require.positive("d", d);
        Require.positive("L", L);
        Require.that(p >= 1 && Double.isFinite(p), "p (" + p + ") must be finite and >= 1");
        Require.positive("lipschitz", lipschitz);
        Require.inOpen("epsilon", epsilon, 0, 1);
        double root = Math.pow((double) d * L, 1 / p);
        // sizes in double and log10 only: a report never refuses (ε = 1e-9 gives 1/δ ≈ 2e9, above int)
        double k = Math.max(2, Math.ceil(2 * lipschitz * root / epsilon - 1e-9));
        // every size of the report grows with 1/δ: past double's range, name the parameters that set it
        Require.finiteResult("1/δ = ⌈2 L_f (dL)^{1/p} / ε⌉", k, "for lipschitz = " + lipschitz + ", p = " + p
                + ", d = " + d + ", L = " + L + ", epsilon = " + epsilon + " it is beyond double's range, and every"
                + " size of the report with it; lower lipschitz or raise epsilon");
        double ky = Math.max(1, Math.ceil(2 * root / epsilon - 1e-9));
        double dl = (double) d * L;
        double log10F = dl * Math.pow(10, dl * Math.log10(k)) * Math.log10(ky + 1); // (1/δ_y + 1)^{dL δ^{−dL}}
        double lp = Math.ceil(log10F / (d * Math.log10(k)) - 1e-9);
        UniversalitySizes s = new UniversalitySizes("Theorem 2.4 / 2.3 with THEORY constants, full family: d = " + d
                + ", L = " + L + ", p = " + p + ", L_f = " + lipschitz + ", ε = " + epsilon, d, L, k, log10F, lp, epsilon,
                "lower d, L or lipschitz, or raise epsilon");
        s.rows.add(new Row("1/δ", num(k), "⌈2 L_f (dL)^{1/p} / ε⌉"));
        s.rows.add(new Row("1/δ_y", num(ky), "⌈2 (dL)^{1/p} / ε⌉"));
        s.rows.add(new Row("|F̄| (targets)", "10^" + Format.number(log10F), "(1/δ_y + 1)^{dL δ^{−dL}}"));
        s.addCommonRows("⌈log|F̄| / log δ^{−d}⌉");
        return s;
    }

    /** The report for m coded targets on a given grid (the executable construction's shape, THEORY constants). */
    public static UniversalitySizes forTargets(Grid grid, int m, double epsilon) {
        Require.notNull("grid", grid);
        Require.inOpen("epsilon", epsilon, 0, 1);
        int lp = PromptCode.lengthFor(grid, m);
        UniversalitySizes s = new UniversalitySizes("Theorem 2.4 / 2.3 with THEORY constants, " + m + " targets: d = "
                + grid.d() + ", L = " + grid.length() + ", δ = 1/" + grid.steps(), grid.d(), grid.length(),
                grid.steps(), Math.log10(m), lp, epsilon, "lower d or L, or raise epsilon");
        s.rows.add(new Row("1/δ", Integer.toString(grid.steps()), "given"));
        s.rows.add(new Row("m (targets)", Integer.toString(m), "given"));
        s.addCommonRows("max(1, ⌈log m / log δ^{−d}⌉)");
        return s;
    }

    private void addCommonRows(String lpFormula) {
        rows.add(new Row("Lp", num(promptLength), lpFormula));
        rows.add(new Row("n", num(n), "Lp + L"));
        rows.add(new Row("K (vocabulary)", num(vocabulary), "n δ^{−d}"));
        rows.add(new Row("γ_min, γ_max", num(gammaMin) + ", " + num(gammaMax), "√d/2, √d (n+1)"));
        rows.add(new Row("c (temperature)", num(temperature), "(K+1)^4 (2 ln n + 3) π d / (8 γ_min δ)"));
        rows.add(new Row("r", num(r), "c γ_max²"));
        rows.add(new Row("digits", num(digits), "2r / ln 10"));
        rows.add(new Row("δ of Lemma 2.2", "10^" + num(log10Separation), "theory §3.3"));
        rows.add(new Row("Thm 2.4: layers", "3 (FF, SA, FF)", "FF_2 ∘ SA ∘ FF_1"));
        rows.add(new Row("Thm 2.4: FF_1 width", num(ff1Width), "2 d n / δ"));
        rows.add(new Row("Thm 2.4: FF_2 width", "10^" + num(log10Ff2Width), "(targets)·δ^{−dL}·L"));
        rows.add(new Row("Thm 2.3: FFN layers", "10^" + num(log10DeepLayers), "n/δ + 1 + (targets)·δ^{−dL}·L, width max(3d, 4)"));
        rows.add(new Row("L·(1/δ)^{d(Lp+L)}", "10^" + num(log10AllCodes()), "all prompt codes × inputs × positions"));
        rows.add(new Row("(1/ε)^{d(Lp+L)}", "10^" + num(log10InverseEpsilonPower), "Thm 2.3's O(·) at fixed Lp; the factor (2L_f(dL)^{1/p})^{d(Lp+L)} grows with Lp"));
    }

    /** v to 4 digits; beyond the double range (the report's quantities can exceed 10^308) "> 1.8e308". */
    private static String num(double v) {
        if (Double.isNaN(v)) {
            return "undefined (∞ − ∞)";
        }
        if (Double.isInfinite(v)) {
            return (v > 0 ? "> " : "< −") + "1.8e308";
        }
        return Format.number(new BigDecimal(v));
    }

    public String title() {
        return title;
    }

    /** The rows of the report in order. */
    public List<Row> rows() {
        return List.copyOf(rows);
    }

    /** 1/δ (saturated at Integer.MAX_VALUE; {@link #log10Steps()} is exact). */
    public int steps() {
        return (int) Math.min(k, Integer.MAX_VALUE);
    }

    /** log10 of 1/δ. */
    public double log10Steps() {
        return Math.log10(k);
    }

    /** log10 of the number of coded targets (|F̄| or m). */
    public double log10Targets() {
        return log10Targets;
    }

    /** Lp. */
    public double promptLength() {
        return promptLength;
    }

    /** K = n δ^{−d}. */
    public double vocabulary() {
        return vocabulary;
    }

    /** c with THEORY constants. */
    public double temperature() {
        return temperature;
    }

    /** r = c γ_max². */
    public double r() {
        return r;
    }

    /** 2r / ln 10, the safe number of digits. */
    public double digits() {
        return digits;
    }

    /** log10 δ of Lemma 2.2. */
    public double log10Separation() {
        return log10Separation;
    }

    /** FF_1 width 2dn/δ. */
    public double ff1Width() {
        return ff1Width;
    }

    /** log10 of the FF_2 width. */
    public double log10Ff2Width() {
        return log10Ff2Width;
    }

    /** log10 of the number of FFN layers of Theorem 2.3's construction. */
    public double log10DeepLayers() {
        return log10DeepLayers;
    }

    /** log10 L·(1/δ)^{d(Lp+L)}: the number of (prompt code, input, position) triples, a bound on both counts. */
    public double log10AllCodes() {
        return Math.log10(length) + d * n * Math.log10(k);
    }

    /** log10 (1/ε)^{d(Lp+L)}. */
    public double log10InverseEpsilonPower() {
        return log10InverseEpsilonPower;
    }

    /** The report as aligned text. */
    @Override
    public String toString() {
        int a = rows.stream().mapToInt(x -> x.quantity().length()).max().orElse(0);
        int b = rows.stream().mapToInt(x -> x.value().length()).max().orElse(0);
        StringBuilder sb = new StringBuilder(title).append('\n');
        for (Row row : rows) {
            sb.append(pad(row.quantity(), a)).append("  ").append(pad(row.value(), b)).append("  ").append(row.formula())
                    .append('\n');
        }
        return sb.toString();
    }

    private static String pad(String s, int w) {
        return s + " ".repeat(Math.max(0, w - s.length()));
    }
}
