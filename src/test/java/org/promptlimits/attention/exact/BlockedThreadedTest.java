package org.promptlimits.attention.exact;

import org.promptlimits.attention.Attention;
import org.promptlimits.attention.AttentionContract;

/** Two worker threads over query tiles, automatic backend. */
class BlockedThreadedTest extends AttentionContract {
    @Override
    protected Attention implementation(int d, double beta) {
        return BlockedAttention.of(BlockedAttention.Backend.AUTO, 2);
    }
}
