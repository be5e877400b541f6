package org.promptlimits.attention.exact;

import org.promptlimits.attention.Attention;
import org.promptlimits.attention.AttentionContract;

/** The scalar backend (the one a kernel JVM without the Vector API module uses). */
class BlockedScalarTest extends AttentionContract {
    @Override
    protected Attention implementation(int d, double beta) {
        return BlockedAttention.of(BlockedAttention.Backend.SCALAR, 1);
    }
}
