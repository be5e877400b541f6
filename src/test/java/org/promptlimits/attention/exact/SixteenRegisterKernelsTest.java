package org.promptlimits.attention.exact;

import org.junit.jupiter.api.Test;
import org.promptlimits.ForkedJvm;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The vector kernel's AVX2 code paths (16 vector registers), run in a forked JVM limited to AVX2 whatever this
 * machine has ({@link SixteenRegisterKernels}): the machines that build and test the project have AVX-512, where
 * those paths are never taken in the test JVM itself.
 */
class SixteenRegisterKernelsTest {

    @Test
    void avx2KernelsAgreeWithTheReferenceAndKeepTheirBitsAcrossThreadCounts() throws Exception {
        String arch = System.getProperty("os.arch");
        assumeTrue(arch.equals("amd64") || arch.equals("x86_64"), "-XX:UseAVX is an x86 flag; os.arch = " + arch);
        assumeTrue(BlockedAttention.vectorAvailable(), "jdk.incubator.vector not in the boot layer");
        String output = ForkedJvm.run(120, List.of("-XX:UseAVX=2", "--add-modules", "jdk.incubator.vector", "-Xmx512m"),
                SixteenRegisterKernels.class);
        assertTrue(output.contains("ok 5 shapes, vector(f32x8, f64x4)"), output);
    }
}
