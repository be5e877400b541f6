package org.promptlimits.universality;

import org.promptlimits.check.Format;
import org.promptlimits.check.Require;
import org.promptlimits.contextual.ContextualMapping;
import org.promptlimits.contextual.MappingOptions;
import org.promptlimits.core.AttentionLayer;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;

/**
 * Attention stages built from the library's contextual mapping (Lemma 2.2, SPEC §3) with the choices of
 * SPEC §5: EMPIRICAL constants counting only the X-position queries, {@code u = v}, and the output scale
 * {@code κ = ε_proj / (4 γ_max)} with {@code ε_proj = min |vᵀ(z − z')|} over the vocabulary, so that the
 * projected context IDs keep the full gap between different tokens. [C]
 */
public final class ContextualStages {

    private ContextualStages() {
    }

    /**
     * The factory used by {@link Theorem24}: a contextual mapping with EMPIRICAL constants on the quantized
     * sequences, v drawn with {@code seed}.
     */
    public static ContextStage.Factory empirical(long seed) {
        return (sequences, firstQuery, mc) -> build(sequences, firstQuery, seed);
    }

    private static ContextStage build(List<BigDecimal[][]> sequences, int firstQuery, long seed) {
        Require.positive("number of sequences", sequences.size());
        int n = sequences.get(0)[0].length;
        double[][][] z = new double[sequences.size()][][];
        for (int i = 0; i < z.length; i++) {
            z[i] = org.promptlimits.core.Sequences.toDouble(sequences.get(i));
        }
        int[] read = new int[n - firstQuery];
        for (int l = 0; l < read.length; l++) {
            read[l] = firstQuery + l;
        }
        org.promptlimits.contextual.Sequences seqs = org.promptlimits.contextual.Sequences.ofMatrices(z);
        MappingOptions options = MappingOptions.empirical().withReadPositions(read).withSeed(seed);
        ContextualMapping first = ContextualMapping.construct(seqs, options);
        BigDecimal[] v = first.vExact();
        BigDecimal kappa = projectedSeparation(first.vocabulary(), v)
                .divide(first.gammaMax().multiply(BigDecimal.valueOf(4)), MathContext.DECIMAL128);
        ContextualMapping cm = ContextualMapping.construct(seqs, options.withOutputScale(kappa));
        Require.that(java.util.Arrays.equals(cm.vExact(), v), "the contextual mapping drew a different v on rebuild");
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
        java.util.Arrays.sort(proj);
        BigDecimal min = null;
        for (int t = 1; t < proj.length; t++) {
            BigDecimal gap = proj[t].subtract(proj[t - 1]);
            min = min == null ? gap : min.min(gap);
        }
        Require.that(min != null && min.signum() > 0, "v must separate the vocabulary's projections");
        return min;
    }
}
