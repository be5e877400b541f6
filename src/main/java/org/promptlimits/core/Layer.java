package org.promptlimits.core;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Map;

/**
 * A layer of a transformer: a map {@code R^{d×n} → R^{d×n}} acting on a sequence whose tokens are the
 * columns. theory §1.
 *
 * <p>Feed-forward layers ({@link FeedForward}) and self-attention layers (through an adapter around the
 * library's self-attention) both implement it, so a {@link Transformer} is simply a list of layers. Every
 * layer runs in double and in arbitrary precision: the constructions of theory §5 need the second.
 */
public interface Layer {

    /** The token dimension d (number of rows of the sequences the layer accepts). */
    int dimension();

    /**
     * The layer applied to a sequence in double precision.
     *
     * @param z a d×n sequence, tokens are columns, n ≥ 1. Not modified.
     * @return a new d×n array
     * @throws IllegalArgumentException if z does not have d rows or is not rectangular
     */
    double[][] apply(double[][] z);

    /**
     * The layer applied in arbitrary precision, every operation rounded to {@code mc}.
     *
     * @param z  a d×n sequence. Not modified.
     * @param mc the working precision
     * @return a new d×n array
     */
    BigDecimal[][] apply(BigDecimal[][] z, MathContext mc);

    /**
     * The layer's stored weights by name, exact and copied, in a fixed order: {@code W1, b1, W2, b2} for a
     * feed-forward layer (biases as one-column matrices), {@code W_Q, W_K, W_V, W_O} for self-attention. With
     * {@link Transformer#layers()} a reader exports and re-evaluates a model without knowing its layer classes.
     * A layer without weights returns an empty map.
     */
    default Map<String, BigDecimal[][]> weights() {
        return Map.of();
    }

    /** "FF" for a feed-forward layer, "SA" for self-attention. */
    String kind();

    /** The hidden width w of a feed-forward layer, or the head size s of an attention layer. */
    int width();

    /** The number of real parameters (weights and biases) of the layer. */
    long parameterCount();

    /**
     * Whether the layer acts on each token (column) separately, as a feed-forward layer does. Then the output
     * columns a caller reads depend on those input columns only, and {@link Transformer#tau} skips the others.
     */
    default boolean tokenwise() {
        return false;
    }

    /**
     * The output columns {@code from .. n−1} of the layer (the input still has all n columns). The default
     * applies the whole layer and slices; an attention layer can compute only the queries asked for.
     *
     * @param z    a d×n sequence. Not modified.
     * @param from first output column wanted, 0 ≤ from ≤ n
     */
    default BigDecimal[][] applyColumns(BigDecimal[][] z, MathContext mc, int from) {
        BigDecimal[][] out = apply(z, mc);
        return Tokens.columns(out, from, out[0].length);
    }

    /** The double counterpart of {@link #applyColumns(BigDecimal[][], MathContext, int)}. */
    default double[][] applyColumns(double[][] z, int from) {
        double[][] out = apply(z);
        return Tokens.columns(out, from, out[0].length);
    }
}
