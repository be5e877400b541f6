package org.promptlimits.memorization;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;

/**
 * The memorization loss's gradient by ND4J SameDiff automatic differentiation, against the hand-derived
 * back-propagation of {@link MemorizationLoss}: agreement and time per gradient, for d = 4, L = 4, Lp = 8,
 * one FF layer after attention. Not a unit test; run with
 * {@code java -cp target/classes:target/test-classes:<dependencies> org.promptlimits.memorization.SameDiffBench}.
 */
public final class SameDiffBench {

    private SameDiffBench() {
    }

    public static void main(String[] args) {
        int d = 4;
        int len = 4;
        int lp = 8;
        int n = lp + len;
        FrozenTransformer model = FrozenTransformer.random(d, d, 0, 1, 16, 1);
        for (int count : new int[] {1, 8}) {
            Dataset data = Dataset.random(count, d, len, 2);
            double[][] p = PromptTunerTest.randomPrompt(d, lp, 3, 1.0);
            SameDiff sd = SameDiff.create();
            SDVariable prompt = sd.var("P", Nd4j.createFromArray(p));
            double[][] ep = new double[d][lp];
            for (int r = 0; r < d; r++) {
                for (int k = 0; k < lp; k++) {
                    ep[r][k] = k + 1;
                }
            }
            SDVariable zp = prompt.add(sd.constant(Nd4j.createFromArray(ep)));
            double[][][] w = model.attentionWeights();
            SDVariable wq = sd.constant(Nd4j.createFromArray(w[0]));
            SDVariable wk = sd.constant(Nd4j.createFromArray(w[1]));
            SDVariable wv = sd.constant(Nd4j.createFromArray(w[2]));
            SDVariable wo = sd.constant(Nd4j.createFromArray(w[3]));
            ReluLayer ff = model.layersAfter().get(0);
            SDVariable w1 = sd.constant(Nd4j.createFromArray(ff.w1()));
            SDVariable b1 = sd.constant(Nd4j.createFromArray(ff.b1()).reshape(ff.width(), 1));
            SDVariable w2 = sd.constant(Nd4j.createFromArray(ff.w2()));
            SDVariable b2 = sd.constant(Nd4j.createFromArray(ff.b2()).reshape(d, 1));
            SDVariable total = null;
            for (int i = 0; i < count; i++) {
                double[][] x = data.input(i);
                double[][] target = data.label(i);
                for (int r = 0; r < d; r++) {
                    for (int k = 0; k < len; k++) {
                        x[r][k] += lp + k + 1;
                        target[r][k] += lp + k + 1;
                    }
                }
                SDVariable zx = sd.constant(Nd4j.createFromArray(x));
                SDVariable z = sd.concat(1, zp, zx);
                SDVariable keys = wk.mmul(z);
                SDVariable queries = wq.mmul(zx);
                SDVariable values = wv.mmul(z);
                SDVariable scores = sd.mmul(keys, queries, true, false, false);   // n×L, keys in rows
                SDVariable weights = sd.nn().softmax(scores, 0);
                SDVariable z2 = zx.add(wo.mmul(values.mmul(weights)));
                SDVariable hidden = sd.nn().relu(w1.mmul(z2).add(b1), 0);
                SDVariable out = z2.add(w2.mmul(hidden)).add(b2);
                SDVariable err = out.sub(sd.constant(Nd4j.createFromArray(target)));
                SDVariable l = sd.sum(err.mul(err));
                total = total == null ? l : total.add(l);
            }
            SDVariable loss = total.div((double) count * d * len);
            loss.markAsLoss();
            Map<String, INDArray> g = sd.calculateGradients(null, "P");
            double[][] auto = g.get("P").toDoubleMatrix();
            double[][] hand = PromptTuner.gradient(model, data, p);
            double diff = 0;
            double scale = 0;
            for (int r = 0; r < d; r++) {
                for (int k = 0; k < lp; k++) {
                    diff = Math.max(diff, Math.abs(auto[r][k] - hand[r][k]));
                    scale = Math.max(scale, Math.abs(hand[r][k]));
                }
            }
            int reps = 200;
            for (int i = 0; i < 20; i++) {
                sd.calculateGradients(null, "P");
            }
            long t = System.nanoTime();
            for (int i = 0; i < reps; i++) {
                sd.calculateGradients(null, "P");
            }
            double sdMicros = (System.nanoTime() - t) / 1e3 / reps;
            MemorizationLoss objective = new MemorizationLoss(model, data, lp);
            double[][] buffer = new double[d][lp];
            for (int i = 0; i < 2000; i++) {
                objective.evaluate(p, buffer);
            }
            t = System.nanoTime();
            int handReps = 20000;
            for (int i = 0; i < handReps; i++) {
                objective.evaluate(p, buffer);
            }
            double handMicros = (System.nanoTime() - t) / 1e3 / handReps;
            System.out.printf("N = %d: max |SameDiff − backprop| = %.3g (gradient scale %.3g, dtype %s); "
                            + "SameDiff %.0f µs per gradient, hand backprop %.2f µs (%.0f× faster)%n",
                    count, diff, scale, g.get("P").dataType(), sdMicros, handMicros, sdMicros / handMicros);
            if (g.get("P").dataType() != DataType.DOUBLE) {
                System.out.println("  (SameDiff ran in " + g.get("P").dataType() + ")");
            }
        }
    }
}
