package org.promptlimits.attention;

import org.junit.jupiter.api.Test;
import org.promptlimits.attention.exact.ReferenceAttention;
import org.promptlimits.attention.fast.PolynomialAttention;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

    /** The APTI view and the core model agree: core SA(Z) − Z with tokens as columns is the read-out, transposed. */
    @Test
    void readOutIsTheCoreSelfAttentionWithoutItsResidual() {
        int d = 3, lp = 2, l = 5, n = lp + l;
        double beta = 1.0 / d;
        SoftPromptAttention layer = SoftPromptAttention.random(d, 4);
        double[] prompt = SoftPromptAttention.uniformRows(lp, d, 0.5, 5);
        double[] x = SoftPromptAttention.uniformRows(l, d, 0.5, 6);
        Apti p = layer.induced(prompt, x, 1e-3, beta);
        double[] rows = SoftPromptAttention.readOut(ReferenceAttention.create(), p, n);
        double[][] z = new double[d][n];
        for (int k = 0; k < n; k++) {
            for (int i = 0; i < d; i++) {
                z[i][k] = k < lp ? prompt[k * d + i] : x[(k - lp) * d + i];
            }
        }
        double[][] core = layer.asSelfAttention(beta).applyReference(z);
        for (int k = 0; k < n; k++) {
            for (int i = 0; i < d; i++) {
                assertEquals(rows[k * d + i], core[i][k] - z[i][k], 1e-13, "token " + k + ", coordinate " + i);
            }
        }
    }
}
