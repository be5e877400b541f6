package org.promptlimits.attention;

import org.junit.jupiter.api.Test;
import org.promptlimits.attention.exact.ReferenceAttention;
import org.promptlimits.attention.fast.PolynomialAttention;

import static org.junit.jupiter.api.Assertions.assertTrue;

class SoftPromptAttentionTest {

    @Test
    void smallPromptKeepsTheInducedProblemCertifiableAndTheReadOutWithinDeltaF() {
        int d = 4, lp = 8, l = 16;
        SoftPromptAttention layer = SoftPromptAttention.random(d, 1);
        Apti p = layer.induced(SoftPromptAttention.uniformRows(lp, d, 0.5, 2),
                SoftPromptAttention.uniformRows(l, d, 0.5, 3), 1e-3, 1.0 / d);
        assertTrue(p.bound() < 1, "B = " + p.bound());
        double[] exact = SoftPromptAttention.readOut(ReferenceAttention.create(), p, l);
        double[] fast = SoftPromptAttention.readOut(PolynomialAttention.forProblem(p), p, l);
        for (int i = 0; i < exact.length; i++) {
            assertTrue(Math.abs(exact[i] - fast[i]) <= 1e-3);
        }
    }

    @Test
    void scalingThePromptRaisesTheInducedBound() {
        SoftPromptAttention layer = SoftPromptAttention.random(4, 1);
        double[] x = SoftPromptAttention.uniformRows(16, 4, 0.5, 3);
        double small = layer.induced(SoftPromptAttention.uniformRows(8, 4, 0.5, 2), x, 1e-3, 0.25).bound();
        double large = layer.induced(SoftPromptAttention.uniformRows(8, 4, 8, 2), x, 1e-3, 0.25).bound();
        assertTrue(large > 8 * small, small + " vs " + large);
    }
}
