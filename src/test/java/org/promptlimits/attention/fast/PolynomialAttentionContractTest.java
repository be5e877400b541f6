package org.promptlimits.attention.fast;

import org.promptlimits.attention.Attention;
import org.promptlimits.attention.AttentionContract;

/**
 * The polynomial method chosen for B = 1, δF = 1e-6: by its proof it is within δF of exact attention,
 * so the contract tolerance is δF.
 */
class PolynomialAttentionContractTest extends AttentionContract {
    @Override
    protected Attention implementation(int d, double beta) {
        return PolynomialAttention.forError(1, 1e-6, beta, d);
    }

    @Override
    protected double tolerance() {
        return 1e-6;
    }
}
