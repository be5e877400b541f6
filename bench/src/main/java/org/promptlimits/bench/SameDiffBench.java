package org.promptlimits.bench;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.promptlimits.core.FeedForward;
import org.promptlimits.core.Matrices;
import org.promptlimits.memorization.Dataset;
import org.promptlimits.memorization.FrozenTransformer;
import org.promptlimits.memorization.PromptTuner;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The memorization loss's gradient with respect to the prompt: ND4J SameDiff automatic differentiation
 * against the library's hand-derived back-propagation ({@link PromptTuner#gradient}), d = 4, L = 4,
 * Lp = 8, one FF layer after attention. The set-up asserts that both gradients agree (max difference at
 * most 1e-9 of the gradient's scale) before anything is timed.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class SameDiffBench {

    static final int D = 4;
    static final int LEN = 4;
    static final int LP = 8;

    @Param({"1", "8"})
    public int sequences;

    private FrozenTransformer model;
    private Dataset data;
    private double[][] prompt;
    private SameDiff graph;

    @Setup
    public void setUp() {
        model = FrozenTransformer.random(D, D, 0, 1, 16, 1);
        data = Dataset.random(sequences, D, LEN, 2);
        prompt = new double[D][LP];
        SplittableRandom rng = new SplittableRandom(3);
        for (double[] row : prompt) {
            for (int k = 0; k < LP; k++) {
                row[k] = rng.nextGaussian();
            }
        }
        graph = lossGraph(model, data, prompt);
        INDArray auto = graph.calculateGradients(null, "P").get("P");
        if (auto.dataType() != DataType.DOUBLE) {
            throw new IllegalStateException("SameDiff computed the gradient in " + auto.dataType() + ", not DOUBLE");
        }
        double[][] a = auto.toDoubleMatrix();
        double[][] hand = PromptTuner.gradient(model, data, prompt);
        double diff = 0;
        double scale = 0;
        for (int r = 0; r < D; r++) {
            for (int k = 0; k < LP; k++) {
                diff = Math.max(diff, Math.abs(a[r][k] - hand[r][k]));
                scale = Math.max(scale, Math.abs(hand[r][k]));
            }
        }
        if (!(diff <= 1e-9 * scale)) {
            throw new IllegalStateException("SameDiff and back-propagation disagree: max difference " + diff
                    + " at gradient scale " + scale);
        }
        System.out.printf("N = %d: max |SameDiff - backprop| = %.3g at gradient scale %.3g%n", sequences, diff, scale);
    }

    /**
     * The mean squared memorization loss of the prompt P as a SameDiff graph: prompt tokens get positional
     * offsets k + 1, input and label tokens Lp + k + 1; one attention layer with a residual, then the FF layer.
     */
    static SameDiff lossGraph(FrozenTransformer model, Dataset data, double[][] p) {
        SameDiff sd = SameDiff.create();
        SDVariable prompt = sd.var("P", Nd4j.createFromArray(p));
        double[][] ep = new double[D][LP];
        for (int r = 0; r < D; r++) {
            for (int k = 0; k < LP; k++) {
                ep[r][k] = k + 1;
            }
        }
        SDVariable zp = prompt.add(sd.constant(Nd4j.createFromArray(ep)));
        double[][][] w = model.attentionWeights();
        SDVariable wq = sd.constant(Nd4j.createFromArray(w[0]));
        SDVariable wk = sd.constant(Nd4j.createFromArray(w[1]));
        SDVariable wv = sd.constant(Nd4j.createFromArray(w[2]));
        SDVariable wo = sd.constant(Nd4j.createFromArray(w[3]));
        FeedForward ff = model.layersAfter().get(0);
        SDVariable w1 = sd.constant(Nd4j.createFromArray(Matrices.toDouble(ff.w1())));
        SDVariable b1 = sd.constant(Nd4j.createFromArray(Matrices.toDouble(ff.b1())).reshape(ff.width(), 1));
        SDVariable w2 = sd.constant(Nd4j.createFromArray(Matrices.toDouble(ff.w2())));
        SDVariable b2 = sd.constant(Nd4j.createFromArray(Matrices.toDouble(ff.b2())).reshape(D, 1));
        SDVariable total = null;
        for (int i = 0; i < data.size(); i++) {
            double[][] x = data.input(i);
            double[][] target = data.label(i);
            for (int r = 0; r < D; r++) {
                for (int k = 0; k < LEN; k++) {
                    x[r][k] += LP + k + 1;
                    target[r][k] += LP + k + 1;
                }
            }
            SDVariable zx = sd.constant(Nd4j.createFromArray(x));
            SDVariable z = sd.concat(1, zp, zx);
            SDVariable keys = wk.mmul(z);
            SDVariable queries = wq.mmul(zx);
            SDVariable values = wv.mmul(z);
            SDVariable scores = sd.mmul(keys, queries, true, false, false); // n×L, keys in rows
            SDVariable weights = sd.nn().softmax(scores, 0);
            SDVariable z2 = zx.add(wo.mmul(values.mmul(weights)));
            SDVariable hidden = sd.nn().relu(w1.mmul(z2).add(b1), 0);
            SDVariable out = z2.add(w2.mmul(hidden)).add(b2);
            SDVariable err = out.sub(sd.constant(Nd4j.createFromArray(target)));
            SDVariable l = sd.sum(err.mul(err));
            total = total == null ? l : total.add(l);
        }
        total.div((double) data.size() * D * LEN).markAsLoss();
        return sd;
    }

    @Benchmark
    public Object sameDiffGradient() {
        return graph.calculateGradients(null, "P");
    }

    @Benchmark
    public double[][] handGradient() {
        return PromptTuner.gradient(model, data, prompt);
    }
}
