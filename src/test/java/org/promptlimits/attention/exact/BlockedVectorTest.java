package org.promptlimits.attention.exact;

import org.junit.jupiter.api.BeforeAll;
import org.promptlimits.attention.Attention;
import org.promptlimits.attention.AttentionContract;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The Vector API backend (surefire starts the JVM with --add-modules jdk.incubator.vector). */
class BlockedVectorTest extends AttentionContract {

    @BeforeAll
    static void vectorModulePresent() {
        assumeTrue(BlockedAttention.vectorAvailable(), "jdk.incubator.vector not in the boot layer");
    }

    @Override
    protected Attention implementation(int d, double beta) {
        return BlockedAttention.of(BlockedAttention.Backend.VECTOR, 1);
    }
}
