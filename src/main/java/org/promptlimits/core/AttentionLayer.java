package org.promptlimits.core;

import org.promptlimits.check.Require;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@link SelfAttention} seen as a {@link Layer} of a {@link Transformer}:
 * {@code SA(Z) = Z + W_O W_V Z · softmax_col((W_K Z)^T (W_Q Z))}. theory §1 [L].
 *
 * <p>The double path uses the attention's plain-loop reference evaluation (no ND4J start-up for the small
 * sequences of the universality constructions); the arbitrary-precision path its BigDecimal evaluation.
 * Immutable.
 */
public final class AttentionLayer implements Layer {

    private final SelfAttention attention;

    private AttentionLayer(SelfAttention attention) {
        this.attention = Require.notNull("attention", attention);
    }

    /** The layer that applies {@code attention}. */
    public static AttentionLayer of(SelfAttention attention) {
        return new AttentionLayer(attention);
    }

    /** The wrapped attention. */
    public SelfAttention attention() {
        return attention;
    }

    @Override
    public int dimension() {
        return attention.d();
    }

    @Override
    public double[][] apply(double[][] z) {
        Tokens.requireShape("Z", z, dimension());
        return attention.applyReference(z);
    }

    @Override
    public BigDecimal[][] apply(BigDecimal[][] z, MathContext mc) {
        Tokens.requireShape("Z", z, dimension());
        return attention.apply(z, mc);
    }

    /** Only the query columns {@code from .. n−1} are computed (keys and values use all n columns). */
    @Override
    public BigDecimal[][] applyColumns(BigDecimal[][] z, MathContext mc, int from) {
        int n = Tokens.requireShape("Z", z, dimension());
        Require.that(from >= 0 && from <= n, "from (" + from + ") must be in [0, " + n + "]");
        int[] cols = new int[n - from];
        for (int j = 0; j < cols.length; j++) {
            cols[j] = from + j;
        }
        return attention.apply(z, mc, cols);
    }

    /** W_Q, W_K, W_V (s×d) and W_O (d×s) of the attention: exact copies, in this order. */
    @Override
    public Map<String, BigDecimal[][]> weights() {
        Map<String, BigDecimal[][]> m = new LinkedHashMap<>();
        m.put("W_Q", attention.wQExact());
        m.put("W_K", attention.wKExact());
        m.put("W_V", attention.wVExact());
        m.put("W_O", attention.wOExact());
        return Collections.unmodifiableMap(m);
    }

    @Override
    public String kind() {
        return "SA";
    }

    /** The head size s. */
    @Override
    public int width() {
        return attention.headSize();
    }

    @Override
    public long parameterCount() {
        return 4L * attention.d() * attention.headSize();
    }

    @Override
    public String toString() {
        return "AttentionLayer[d=" + dimension() + ", s=" + width() + "]";
    }
}
