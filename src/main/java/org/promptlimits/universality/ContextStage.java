package org.promptlimits.universality;

import org.promptlimits.check.Require;
import org.promptlimits.core.Layer;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;

/**
 * The attention stage of the universality constructions: a self-attention layer that gives every token a
 * context ID, and the unit direction v on which the read-out projects, {@code ID = vᵀ SA(Z)[:, l]}. theory §3, §5.
 *
 * @param layer       the attention layer (an adapter around the library's contextual mapping)
 * @param direction   the unit vector v, length d (a copy is kept)
 * @param temperature the temperature c of the scores; with γ_max it fixes the safe precision 2cγ_max²/ln 10
 * @param description how the stage was built (constants mode, draws of v, c), for reports
 */
public record ContextStage(Layer layer, BigDecimal[] direction, double temperature, String description) {

    public ContextStage {
        Require.notNull("layer", layer);
        Require.notNull("direction", direction);
        Require.that(direction.length == layer.dimension(), "direction has " + direction.length
                + " entries but the layer has d = " + layer.dimension());
        direction = direction.clone();
        Require.finite("temperature", temperature);
        Require.nonNegative("temperature", temperature);
        Require.notNull("description", description);
    }

    @Override
    public BigDecimal[] direction() {
        return direction.clone();
    }

    /** How a construction asks for its attention stage. */
    @FunctionalInterface
    public interface Factory {
        /**
         * Builds the stage for the given quantized sequences {@code [P_i, G] + E}.
         *
         * @param sequences        every sequence the construction will read, d×n each. Not modified.
         * @param firstQueryColumn 0-based index of the first column whose output is read (Lp); earlier columns
         *                         are prompt columns whose outputs are never read
         * @param mc               the precision the sequences are given in
         */
        ContextStage build(List<BigDecimal[][]> sequences, int firstQueryColumn, MathContext mc);
    }
}
