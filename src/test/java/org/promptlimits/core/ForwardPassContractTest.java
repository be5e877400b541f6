package org.promptlimits.core;

import org.junit.jupiter.api.Nested;
import org.nd4j.linalg.factory.Nd4j;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import java.util.Random;

/**
 * Every forward pass of {@code core} runs {@link ForwardPassContract}: self-attention through its double
 * operations tier, its allocating call and its ND4J edge; the feed-forward layer through its per-token
 * operations tier; a whole transformer FF ∘ SA ∘ FF. Each against its own exact BigDecimal tier.
 */
class ForwardPassContractTest {

    static SelfAttention attention(long seed, int d, int s) {
        Random rnd = new Random(seed);
        return SelfAttention.of(ForwardPassContract.uniform(rnd, d, s, 1), ForwardPassContract.uniform(rnd, s, d, 1),
                ForwardPassContract.uniform(rnd, s, d, 1.5), ForwardPassContract.uniform(rnd, s, d, 1.5));
    }

    static FeedForward feedForward(long seed, int d, int w) {
        Random rnd = new Random(seed);
        double[] b1 = ForwardPassContract.uniform(rnd, 1, w, 1)[0];
        double[] b2 = ForwardPassContract.uniform(rnd, 1, d, 1)[0];
        return FeedForward.of("FF", ForwardPassContract.uniform(rnd, w, d, 1), b1,
                ForwardPassContract.uniform(rnd, d, w, 1), b2);
    }

    /** The double operations tier {@code applyColumns(z, columns, out)} into a caller-owned buffer. */
    @Nested
    class SelfAttentionOperations extends ForwardPassContract {
        @Override
        protected ForwardPass instance(long seed) {
            SelfAttention a = attention(seed, 1 + (int) (seed % 4), 1 + (int) (seed % 3));
            return new ForwardPass() {
                public int d() {
                    return a.d();
                }

                public double[][] apply(double[][] z) {
                    return a.applyReference(z);
                }

                public double[][] applyInto(double[][] z, double[][] out) {
                    a.applyColumns(z, null, out);
                    return out;
                }

                public BigDecimal[][] applyExact(BigDecimal[][] z, MathContext mc) {
                    return a.apply(z, mc);
                }

                public boolean permutationEquivariant() {
                    return true;
                }
            };
        }
    }

    /** The ND4J edge {@code apply(INDArray)}: converted at the boundary, the same double tier inside. */
    @Nested
    class SelfAttentionNd4jEdge extends ForwardPassContract {
        @Override
        protected ForwardPass instance(long seed) {
            SelfAttention a = attention(seed + 100, 2 + (int) (seed % 3), 2);
            return new ForwardPass() {
                public int d() {
                    return a.d();
                }

                public double[][] apply(double[][] z) {
                    return a.apply(Nd4j.create(z)).toDoubleMatrix();
                }

                public BigDecimal[][] applyExact(BigDecimal[][] z, MathContext mc) {
                    return a.apply(z, mc);
                }

                public boolean permutationEquivariant() {
                    return true;
                }
            };
        }
    }

    /** The per-token operations tier {@code applyToken(z, pre, out)} with caller-owned buffers. */
    @Nested
    class FeedForwardOperations extends ForwardPassContract {
        @Override
        protected ForwardPass instance(long seed) {
            FeedForward f = feedForward(seed, 1 + (int) (seed % 4), 1 + (int) (seed % 5));
            return new ForwardPass() {
                public int d() {
                    return f.dimension();
                }

                public double[][] apply(double[][] z) {
                    return f.apply(z);
                }

                public double[][] applyInto(double[][] z, double[][] out) {
                    double[] token = new double[f.dimension()];
                    double[] pre = new double[f.width()];
                    double[] y = new double[f.dimension()];
                    for (int col = 0; col < z[0].length; col++) {
                        for (int i = 0; i < token.length; i++) {
                            token[i] = z[i][col];
                        }
                        f.applyToken(token, pre, y);
                        for (int i = 0; i < token.length; i++) {
                            out[i][col] = y[i];
                        }
                    }
                    return out;
                }

                public BigDecimal[][] applyExact(BigDecimal[][] z, MathContext mc) {
                    return f.apply(z, mc);
                }

                public boolean permutationEquivariant() {
                    return true;
                }
            };
        }
    }

    /** A whole transformer FF ∘ SA ∘ FF (no positional encoding in {@code apply}, so equivariant). */
    @Nested
    class TransformerForwardPass extends ForwardPassContract {
        @Override
        protected ForwardPass instance(long seed) {
            int d = 1 + (int) (seed % 3);
            Transformer t = Transformer.of(d, List.of(feedForward(seed, d, 3), AttentionLayer.of(attention(seed, d, 2)),
                    feedForward(seed + 1, d, 4)));
            return new ForwardPass() {
                public int d() {
                    return d;
                }

                public double[][] apply(double[][] z) {
                    return t.apply(z);
                }

                public BigDecimal[][] applyExact(BigDecimal[][] z, MathContext mc) {
                    return t.apply(z, mc);
                }

                public boolean permutationEquivariant() {
                    return true;
                }
            };
        }
    }
}
