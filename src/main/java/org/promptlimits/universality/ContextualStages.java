package org.promptlimits.universality;

import org.promptlimits.check.Format;
import org.promptlimits.check.Require;
import org.promptlimits.contextual.ContextualMapping;
import org.promptlimits.contextual.MappingOptions;
import org.promptlimits.contextual.Sequences;
import org.promptlimits.core.AttentionLayer;
import org.promptlimits.core.Matrices;
import org.promptlimits.precision.Budget;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Arrays;
import java.util.List;

/**
 * Attention stages built from the library's contextual mapping (Lemma 2.2, theory §3) with the choices of
 * theory §5: EMPIRICAL constants counting only the X-position queries, {@code u = v}, and the output scale
 * {@code κ = ε_proj / (4 γ_max)} with {@code ε_proj = min |vᵀ(z − z')|} over the vocabulary, so that the
 * projected context IDs keep the full gap between different tokens. [C]
 *
 * <p>The contextual mapping takes κ as an option but draws v itself, and κ_proj depends on v: the stage builds
 * the mapping once with the default κ = ε/(4γ_max), computes κ_proj from its v, and rebuilds with κ_proj only if
 * the default is larger (for d = 1, v = ±1 and the two agree). The rebuild must draw the same v (same seed).
 */
public final class ContextualStages {

    private ContextualStages() {
    }

    /**
     * The factory used by {@link Theorem24}: a contextual mapping with EMPIRICAL constants on the quantized
     * sequences, v drawn with {@code seed}.
     */
    public static ContextStage.Factory empirical(long seed) {
        return empirical(seed, Budget.DEFAULT);
    }

    /** As {@link #empirical(long)}, with the contextual mapping's own digit and time limits taken from {@code budget}. */
    public static ContextStage.Factory empirical(long seed, Budget budget) {
        Require.notNull("budget", budget);
        return (sequences, firstQuery, mc) -> build(sequences, firstQuery, seed, budget);
    }

    private static ContextStage build(List<BigDecimal[][]> sequences, int firstQuery, long seed, Budget budget) {
        Require.positive("number of sequences", sequences.size());
        int n = sequences.get(0)[0].length;
        double[][][] z = new double[sequences.size()][][];
        for (int i = 0; i < z.length; i++) {
            z[i] = Matrices.toDouble(sequences.get(i));
        }
        int[] read = new int[n - firstQuery];
        for (int l = 0; l < read.length; l++) {
            read[l] = firstQuery + l;
        }
        Sequences seqs = Sequences.ofMatrices(z);
        MappingOptions options = MappingOptions.empirical().withReadPositions(read).withSeed(seed).withBudget(budget);
        ContextualMapping first = ContextualMapping.construct(seqs, options);
        BigDecimal[] v = first.vExact();
        BigDecimal kappa = projectedSeparation(first.vocabulary(), v)
                .divide(first.gammaMax().multiply(BigDecimal.valueOf(4)), MathContext.DECIMAL128);
        ContextualMapping cm = first;
        if (first.kappa().compareTo(kappa) > 0) {
            // The default κ = ε/(4γ_max) is too large once tokens are projected on v (d > 1): rebuild with κ_proj.
            cm = ContextualMapping.construct(seqs, options.withOutputScale(kappa));
            if (!Arrays.equals(cm.vExact(), v)) {
                throw new IllegalStateException("the contextual mapping drew a different v when rebuilt with κ = " + kappa);
            }
        }
        String description = "EMPIRICAL contextual mapping: c = " + Format.number(cm.c()) + ", r = " + Format.number(cm.r())
                + ", κ = " + Format.number(cm.kappa()) + ", v after " + cm.draws() + " draws";
        return new ContextStage(AttentionLayer.of(cm.layer()), v, cm.c().doubleValue(), description);
    }

    /** {@code ε_proj = min |vᵀ(z − z')|} over distinct vocabulary tokens. */
    static BigDecimal projectedSeparation(double[][] vocabulary, BigDecimal[] v) {
        BigDecimal[] proj = new BigDecimal[vocabulary.length];
        for (int t = 0; t < vocabulary.length; t++) {
            BigDecimal s = BigDecimal.ZERO;
            for (int i = 0; i < v.length; i++) {
                s = s.add(v[i].multiply(new BigDecimal(vocabulary[t][i])));
            }
            proj[t] = s;
        }
        Arrays.sort(proj);
        BigDecimal min = null;
        for (int t = 1; t < proj.length; t++) {
            BigDecimal gap = proj[t].subtract(proj[t - 1]);
            min = min == null ? gap : min.min(gap);
        }
        Require.that(min != null && min.signum() > 0, "v must separate the vocabulary's projections");
        return min;
    }
}
