package org.promptlimits.memorization;

import org.promptlimits.core.ForwardPassContract;
import org.promptlimits.core.PositionalEncoding;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * The frozen model of the memorization experiments runs the forward-pass contract: {@link FrozenTransformer#forward}
 * (double, no prompt) against its core transformer's exact tier on {@code Z + E}. The positional encoding makes
 * it position dependent, so permutation equivariance does not apply.
 */
class FrozenTransformerContractTest extends ForwardPassContract {

    @Override
    protected ForwardPass instance(long seed) {
        FrozenTransformer m = FrozenTransformer.random(1 + (int) (seed % 3), 2, (int) (seed % 2), 1, 4, seed);
        return new ForwardPass() {
            public int d() {
                return m.d();
            }

            public double[][] apply(double[][] z) {
                return m.forward(new double[m.d()][0], z);
            }

            public BigDecimal[][] applyExact(BigDecimal[][] z, MathContext mc) {
                return m.asCoreTransformer().apply(PositionalEncoding.add(z), mc);
            }

            public boolean permutationEquivariant() {
                return false;
            }
        };
    }

    /** Positions make outputs grow to about n: compare relative to max(1, |entry|). */
    @Override
    protected double tolerance() {
        return 1e-11;
    }
}
