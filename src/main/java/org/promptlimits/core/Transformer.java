package org.promptlimits.core;

import org.promptlimits.check.Require;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A frozen transformer τ = layer_N ∘ … ∘ layer_1 as a list of {@link Layer}s on d-dimensional tokens, with
 * prompt tuning {@code τ_P(X) = τ([P, X] + E)[:, Lp+1 .. n]}. theory §1 [P].
 *
 * <p>The positional encoding E ({@link PositionalEncoding}) is part of the frozen model: {@link #tau} adds it
 * before the first layer and reads only the last L output columns. Since token-wise layers after the last
 * attention layer cannot move information between columns, {@link #tau} computes them (and that attention
 * layer's queries) on the read columns only. Immutable.
 */
public final class Transformer {

    private final int d;
    private final List<Layer> layers;

    private Transformer(int d, List<Layer> layers) {
        this.d = Require.positive("d", d);
        Require.notNull("layers", layers);
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = Require.notNull("layers[" + i + "]", layers.get(i));
            if (layer.dimension() != d) {
                throw new IllegalArgumentException("layers[" + i + "] (" + layer.kind() + ") has dimension "
                        + layer.dimension() + " but d = " + d);
            }
        }
        this.layers = List.copyOf(layers);
    }

    /** The transformer applying {@code layers} in order (first element first) to d-row sequences. */
    public static Transformer of(int d, List<? extends Layer> layers) {
        return new Transformer(d, Require.noNullElements("layers", layers));
    }

    /** The token dimension d. */
    public int dimension() {
        return d;
    }

    /** The layers, first applied first; unmodifiable. */
    public List<Layer> layers() {
        return layers;
    }

    /** The number of layers. */
    public int depth() {
        return layers.size();
    }

    /** The number of layers of each kind, e.g. {@code {FF=2, SA=1}}. */
    public Map<String, Integer> layerCounts() {
        Map<String, Integer> m = new TreeMap<>();
        for (Layer layer : layers) {
            m.merge(layer.kind(), 1, Integer::sum);
        }
        return m;
    }

    /** The largest width among layers of the given kind, 0 if there is none. */
    public int maxWidth(String kind) {
        return layers.stream().filter(l -> l.kind().equals(kind)).mapToInt(Layer::width).max().orElse(0);
    }

    /** Total number of parameters of all layers. */
    public long parameterCount() {
        return layers.stream().mapToLong(Layer::parameterCount).sum();
    }

    /** τ(Z) in double. z is not modified. */
    public double[][] apply(double[][] z) {
        Tokens.requireShape("Z", z, d);
        double[][] y = z;
        for (Layer layer : layers) {
            y = layer.apply(y);
        }
        return y == z ? Matrices.copy(z) : y;
    }

    /** τ(Z) in arbitrary precision. z is not modified. */
    public BigDecimal[][] apply(BigDecimal[][] z, MathContext mc) {
        Tokens.requireShape("Z", z, d);
        BigDecimal[][] y = z;
        for (Layer layer : layers) {
            y = layer.apply(y, mc);
        }
        return y == z ? Matrices.copy(z) : y;
    }

    /**
     * Prompt tuning {@code τ_P(X) = τ([P, X] + E)[:, Lp+1 .. n]} in double. theory §1 [P].
     *
     * @param prompt P, d×Lp with Lp ≥ 0. Not modified.
     * @param x      X, d×L with L ≥ 1. Not modified.
     * @return the last L output columns, d×L
     */
    public double[][] tau(double[][] prompt, double[][] x) {
        int lp = Tokens.requireShape("P", prompt, d);
        int len = Tokens.requireShape("X", x, d);
        Require.positive("L (columns of X)", len);
        double[][] z = PositionalEncoding.add(Tokens.concat(prompt, x));
        int last = lastMixingLayer();
        for (int j = 0; j < last; j++) {
            z = layers.get(j).apply(z);
        }
        z = last < 0 ? Tokens.columns(z, lp, lp + len) : layers.get(last).applyColumns(z, lp);
        for (int j = last + 1; j < layers.size(); j++) {
            z = layers.get(j).apply(z);
        }
        return z;
    }

    /**
     * Index of the last layer that mixes tokens (not {@link Layer#tokenwise()}), or −1. Layers after it act on
     * each column alone, so {@link #tau} runs them on the L read columns only and asks that layer for those
     * columns only; the result equals {@code τ([P, X] + E)[:, Lp+1 .. n]} computed in full.
     */
    private int lastMixingLayer() {
        for (int j = layers.size() - 1; j >= 0; j--) {
            if (!layers.get(j).tokenwise()) {
                return j;
            }
        }
        return -1;
    }

    /** {@code τ_P(X)} in arbitrary precision; see {@link #tau(double[][], double[][])}. */
    public BigDecimal[][] tau(BigDecimal[][] prompt, BigDecimal[][] x, MathContext mc) {
        int lp = Tokens.requireShape("P", prompt, d);
        int len = Tokens.requireShape("X", x, d);
        Require.positive("L (columns of X)", len);
        BigDecimal[][] z = PositionalEncoding.add(Tokens.concat(prompt, x));
        int last = lastMixingLayer();
        for (int j = 0; j < last; j++) {
            z = layers.get(j).apply(z, mc);
        }
        z = last < 0 ? Tokens.columns(z, lp, lp + len) : layers.get(last).applyColumns(z, mc, lp);
        for (int j = last + 1; j < layers.size(); j++) {
            z = layers.get(j).apply(z, mc);
        }
        return z;
    }

    @Override
    public String toString() {
        return "Transformer[d=" + d + ", layers=" + layers + "]";
    }
}
