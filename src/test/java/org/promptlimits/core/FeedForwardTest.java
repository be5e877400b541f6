package org.promptlimits.core;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class FeedForwardTest {

    @Test
    void residualReluFormulaOnAHandExample() {
        // d = 1, w = 2: FF(z) = z + 2 ReLU(z − 1) − ReLU(−z) + 0.5
        FeedForward ff = FeedForward.of("hand", new double[][] {{1}, {-1}}, new double[] {-1, 0},
                new double[][] {{2, -1}}, new double[] {0.5});
        double[][] out = ff.apply(new double[][] {{3, -2, 0.5}});
        assertArrayEquals(new double[] {3 + 4 + 0.5, -2 - 2 + 0.5, 0.5 + 0.5}, out[0], 0);
    }

    @Test
    void doublePathAgreesWithExactPathOnRandomLayers() {
        SplittableRandom rnd = new SplittableRandom(3);
        for (int t = 0; t < 20; t++) {
            int d = 1 + rnd.nextInt(3);
            int w = 1 + rnd.nextInt(6);
            double[][] w1 = new double[w][d];
            double[] b1 = new double[w];
            double[][] w2 = new double[d][w];
            double[] b2 = new double[d];
            for (int m = 0; m < w; m++) {
                b1[m] = rnd.nextDouble(-1, 1);
                for (int i = 0; i < d; i++) {
                    w1[m][i] = rnd.nextDouble(-1, 1);
                    w2[i][m] = rnd.nextDouble(-1, 1);
                }
            }
            FeedForward ff = FeedForward.of("random", w1, b1, w2, b2);
            double[][] z = new double[d][4];
            for (double[] row : z) {
                for (int j = 0; j < 4; j++) {
                    row[j] = rnd.nextDouble(-2, 2);
                }
            }
            double[][] fast = ff.apply(z);
            double[][] exact = Matrices.toDouble(ff.apply(Matrices.exact(z), new MathContext(60)));
            for (int i = 0; i < d; i++) {
                assertArrayEquals(exact[i], fast[i], 1e-12);
            }
        }
    }

    @Test
    void mismatchedShapesAreRejectedWithTheShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FeedForward.of("bad",
                new double[][] {{1, 2}}, new double[] {0}, new double[][] {{1}}, new double[] {0}));
        assertTrue(e.getMessage().contains("W1[0] has 2 columns but d = 1"), e.getMessage());
        FeedForward ff = FeedForward.of("ok", new double[][] {{1}}, new double[] {0}, new double[][] {{1}}, new double[] {0});
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class, () -> ff.apply(new double[][] {{1}, {2}}));
        assertTrue(e2.getMessage().contains("Z has 2 rows but d = 1"), e2.getMessage());
    }

    @Test
    void tauReadsTheLastLColumnsOfPromptPlusInputPlusPositions() {
        Transformer identity = Transformer.of(2, List.of());
        double[][] p = {{0.1}, {0.2}};
        double[][] x = {{0.3, 0.4}, {0.5, 0.6}};
        double[][] out = identity.tau(p, x);
        // n = 3: X's columns sit at positions 2 and 3, so E adds 2 and 3.
        assertArrayEquals(new double[] {2.3, 3.4}, out[0], 1e-15);
        assertArrayEquals(new double[] {2.5, 3.6}, out[1], 1e-15);
        BigDecimal[][] exact = identity.tau(Matrices.exact(p), Matrices.exact(x), MathContext.DECIMAL128);
        assertEquals(0, exact[0][1].compareTo(new BigDecimal(0.4).add(BigDecimal.valueOf(3))));
    }

    @Test
    void positionalEncodingPutsColumnKInTheUnitCubeAtK() {
        double[][] e = PositionalEncoding.matrix(3, 5);
        for (int k = 1; k <= 5; k++) {
            for (int i = 0; i < 3; i++) {
                assertEquals(k, e[i][k - 1]);
            }
        }
        double[][] z = PositionalEncoding.add(new double[][] {{0.99, 0}});
        assertEquals(1.99, z[0][0], 1e-15);
        assertEquals(2, z[0][1]);
    }

    @Test
    void transformerRejectsALayerOfTheWrongDimension() {
        FeedForward ff = FeedForward.of("ok", new double[][] {{1}}, new double[] {0}, new double[][] {{1}}, new double[] {0});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Transformer.of(2, List.of(ff)));
        assertTrue(e.getMessage().contains("layers[0] (FF) has dimension 1 but d = 2"), e.getMessage());
    }

    /** Every layer's weights are reachable through the Layer interface, and evaluating them by hand reproduces τ. */
    @Test
    void layerWeightsAreReadThroughTheInterfaceAndReproduceTheModel() {
        FeedForward ff = FeedForward.of("ff", new double[][] {{1, -2}, {0.5, 1}, {-1, 0.25}}, new double[] {0.1, -0.3, 0.2},
                new double[][] {{0.5, 1, -1}, {2, 0, 0.75}}, new double[] {0.05, -0.1});
        SelfAttention sa = SelfAttention.of(new double[][] {{1}, {0.5}}, new double[][] {{0.25, -1}},
                new double[][] {{1, 2}}, new double[][] {{-0.5, 1}});
        Transformer t = Transformer.of(2, List.of(ff, AttentionLayer.of(sa)));
        List<Map<String, BigDecimal[][]>> weights = t.layers().stream().map(Layer::weights).toList();
        assertEquals(List.of("W1", "b1", "W2", "b2"), List.copyOf(weights.get(0).keySet()));
        assertEquals(List.of("W_Q", "W_K", "W_V", "W_O"), List.copyOf(weights.get(1).keySet()));
        assertEquals(0, weights.get(0).get("b1")[1][0].compareTo(new BigDecimal(-0.3)));
        weights.get(0).get("W1")[0][0] = BigDecimal.TEN;   // a copy: the layer is unchanged
        assertEquals(0, ff.w1()[0][0].compareTo(BigDecimal.ONE));
        // the exported weights, applied by hand to one token, give the layer's own output
        Map<String, BigDecimal[][]> w = ff.weights();
        double[] z = {0.3, 0.7};
        double[] want = ff.apply(new double[][] {{z[0]}, {z[1]}})[0].clone();
        double[] hidden = new double[3];
        for (int h = 0; h < 3; h++) {
            double a = w.get("b1")[h][0].doubleValue();
            for (int i = 0; i < 2; i++) {
                a += w.get("W1")[h][i].doubleValue() * z[i];
            }
            hidden[h] = Math.max(0, a);
        }
        double out0 = z[0] + w.get("b2")[0][0].doubleValue();
        for (int h = 0; h < 3; h++) {
            out0 += w.get("W2")[0][h].doubleValue() * hidden[h];
        }
        assertEquals(want[0], out0, 1e-12);
        Layer bare = new Layer() {
            public int dimension() { return 1; }
            public double[][] apply(double[][] z) { return z; }
            public BigDecimal[][] apply(BigDecimal[][] z, MathContext mc) { return z; }
            public String kind() { return "id"; }
            public int width() { return 0; }
            public long parameterCount() { return 0; }
        };
        assertTrue(bare.weights().isEmpty());
    }
}
