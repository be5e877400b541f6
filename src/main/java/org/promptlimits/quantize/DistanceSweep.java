package org.promptlimits.quantize;

import org.promptlimits.check.Require;
import org.promptlimits.precision.Budget;
import org.promptlimits.sweep.Column;
import org.promptlimits.sweep.Sweep;

import java.io.Serializable;
import java.util.List;

/**
 * Monte-Carlo d_p between catalogue targets and their quantizations as a {@link Sweep}: at each (target, d, L, ε)
 * the quantized function f̄ with the steps theory §4.1 prescribes for ε ({@link QuantizedFunction#forEpsilon}) and
 * the estimate of d_p(f, f̄) on uniform samples seeded by the point ({@link DistanceEstimate#of}). The quantizer
 * promises sup ‖f − f̄‖_p ≤ ε, so the upper end of the 95% interval should be ≤ ε at every point. theory §1.5, §4.2.
 *
 * @param p        the exponent, finite and ≥ 1
 * @param samples  Monte-Carlo samples per point, ≥ 2
 * @param budget   each point's budget: its estimate is refused when its samples would take longer than
 *                 {@link Budget#maxSeconds()} (points with millions of samples need a larger one than
 *                 {@link Budget#DEFAULT})
 * @param rootSeed the root seed
 */
public record DistanceSweep(double p, int samples, Budget budget, long rootSeed)
        implements Sweep<DistanceSweep.Setting, DistanceSweep.Outcome> {

    /** The catalogue's targets by short name (the order of {@link Targets#catalogue}). */
    public static final List<String> TARGETS = List.of("affine", "moving-average", "cumulative-max", "shift", "square");

    /**
     * One grid point.
     *
     * @param target  one of {@link #TARGETS}
     * @param d       token dimension, ≥ 1
     * @param length  L, ≥ 1
     * @param epsilon ε ∈ (0, 1)
     */
    public record Setting(String target, int d, int length, double epsilon) implements Serializable {
        public Setting {
            Require.notNull("target", target);
            Require.that(TARGETS.contains(target), "target '" + target + "' must be one of " + TARGETS);
            Require.positive("d", d);
            Require.positive("length", length);
            Require.inOpen("epsilon", epsilon, 0, 1);
        }
    }

    /**
     * The estimate at one point with the quantizer's steps.
     *
     * @param estimate    the d_p estimate and its interval
     * @param epsilon     the point's ε
     * @param inputSteps  1/δ
     * @param outputSteps 1/δ_y
     */
    public record Outcome(DistanceEstimate estimate, double epsilon, int inputSteps, int outputSteps) {
    }

    public DistanceSweep {
        Require.that(p >= 1 && Double.isFinite(p), "p (" + p + ") must be finite and >= 1");
        Require.that(samples >= 2, "samples (" + samples + ") must be >= 2");
        Require.notNull("budget", budget);
    }

    /** The sweep with {@link Budget#DEFAULT} for each point (60 s for its samples). */
    public DistanceSweep(double p, int samples, long rootSeed) {
        this(p, samples, Budget.DEFAULT, rootSeed);
    }

    @Override
    public String name() {
        return "distance";
    }

    @Override
    public Outcome run(Setting s, long seed) {
        Require.notNull("s", s);
        Seq2Seq f = Targets.catalogue(s.d(), s.length(), p).get(TARGETS.indexOf(s.target()));
        QuantizedFunction q = QuantizedFunction.forEpsilon(f, s.epsilon());
        DistanceEstimate e = DistanceEstimate.of(s.d(), s.length(), p, f.asOperator(), q::apply, samples, seed,
                budget);
        return new Outcome(e, s.epsilon(), QuantizedFunction.inputSteps(f, s.epsilon()), q.outputSteps());
    }

    @Override
    public List<Column> columns() {
        return List.of(Column.ofDouble("estimate"), Column.ofDouble("lower"), Column.ofDouble("upper"),
                Column.ofBoolean("within_epsilon"), Column.ofInt("input_steps"), Column.ofInt("output_steps"),
                Column.ofInt("samples"));
    }

    @Override
    public Object[] row(Outcome o) {
        Require.notNull("o", o);
        DistanceEstimate e = o.estimate();
        return new Object[] {e.estimate(), e.lower(), e.upper(), e.upper() <= o.epsilon(), o.inputSteps(),
                o.outputSteps(), e.samples()};
    }
}
