package org.promptlimits.core;

import org.promptlimits.check.Require;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A frozen transformer τ = layer_N ∘ … ∘ layer_1 as a list of {@link Layer}s on d-dimensional tokens, with
 * prompt tuning {@code τ_P(X) = τ([P, X] + E)[:, Lp+1 .. n]}. SPEC §1 [P].
 *
 * <p>The positional encoding E ({@link PositionalEncoding}) is part of the frozen model: {@link #tau} adds it
 * before the first layer and reads only the last L output columns. Immutable.
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
        return new Transformer(d, List.copyOf(layers));
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
        Sequences.requireShape("Z", z, d);
        double[][] y = z;
        for (Layer layer : layers) {
            y = layer.apply(y);
        }
        return y == z ? Sequences.copy(z) : y;
    }

    /** τ(Z) in arbitrary precision. z is not modified. */
    public BigDecimal[][] apply(BigDecimal[][] z, MathContext mc) {
        Sequences.requireShape("Z", z, d);
        BigDecimal[][] y = z;
        for (Layer layer : layers) {
            y = layer.apply(y, mc);
        }
        return y == z ? Sequences.copy(z) : y;
    }

    /**
     * Prompt tuning {@code τ_P(X) = τ([P, X] + E)[:, Lp+1 .. n]} in double. SPEC §1 [P].
     *
     * @param prompt P, d×Lp with Lp ≥ 0. Not modified.
     * @param x      X, d×L with L ≥ 1. Not modified.
     * @return the last L output columns, d×L
     */
    public double[][] tau(double[][] prompt, double[][] x) {
        int lp = Sequences.requireShape("P", prompt, d);
        int len = Sequences.requireShape("X", x, d);
        Require.positive("L (columns of X)", len);
        double[][] out = apply(PositionalEncoding.add(Sequences.concat(prompt, x)));
        return Sequences.columns(out, lp, lp + len);
    }

    /** {@code τ_P(X)} in arbitrary precision; see {@link #tau(double[][], double[][])}. */
    public BigDecimal[][] tau(BigDecimal[][] prompt, BigDecimal[][] x, MathContext mc) {
        int lp = Sequences.requireShape("P", prompt, d);
        int len = Sequences.requireShape("X", x, d);
        Require.positive("L (columns of X)", len);
        BigDecimal[][] out = apply(PositionalEncoding.add(Sequences.concat(prompt, x)), mc);
        return Sequences.columns(out, lp, lp + len);
    }

    @Override
    public String toString() {
        return "Transformer[d=" + d + ", layers=" + layers + "]";
    }
}
