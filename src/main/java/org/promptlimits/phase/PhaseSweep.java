package org.promptlimits.phase;

import org.promptlimits.check.Require;
import org.promptlimits.precision.Budget;
import org.promptlimits.sweep.Column;
import org.promptlimits.sweep.Sweep;
import org.promptlimits.sweep.Timer;

import java.io.Serializable;
import java.util.List;

/**
 * The phase-transition experiment as a {@link Sweep}: at each (d, n, B) a seeded APTI instance, the degree and
 * rank the polynomial method needs for δF, both algorithms timed by the caller's {@link Timer}, and the measured
 * error on 32 sampled rows. theory §7.4. The two time columns are timing columns: everything else is reproducible.
 *
 * @param deltaF   δF ∈ (0, 1)
 * @param beta     β &gt; 0
 * @param budget   limits the rank; points over it are reported infeasible
 * @param timer    times each algorithm
 * @param rootSeed the root seed
 */
public record PhaseSweep(double deltaF, double beta, Budget budget, Timer timer, long rootSeed)
        implements Sweep<PhaseSweep.Setting, PhaseTransition.Point> {

    /**
     * One grid point.
     *
     * @param d     head dimension, ≥ 1
     * @param n     rows, ≥ 2
     * @param bound B &gt; 0
     */
    public record Setting(int d, int n, double bound) implements Serializable {
        public Setting {
            Require.positive("d", d);
            Require.that(n >= 2, "n (" + n + ") must be >= 2");
            Require.positive("bound", bound);
        }
    }

    public PhaseSweep {
        Require.inOpen("deltaF", deltaF, 0, 1);
        Require.positive("beta", beta);
        Require.notNull("budget", budget);
        Require.notNull("timer", timer);
    }

    @Override
    public String name() {
        return "phase";
    }

    @Override
    public PhaseTransition.Point run(Setting s, long seed) {
        Require.notNull("s", s);
        return PhaseTransition.point(s.n(), s.d(), s.bound(), deltaF, beta, timer, seed, budget);
    }

    @Override
    public List<Column> columns() {
        return List.of(Column.ofDouble("score_bound"), Column.ofInt("degree"), Column.ofString("rank"),
                Column.ofBoolean("feasible"), Column.ofDouble("max_error"), Column.ofDouble("delta_f"),
                Column.timing("exact_seconds"), Column.timing("poly_seconds"));
    }

    @Override
    public Object[] row(PhaseTransition.Point p) {
        Require.notNull("p", p);
        return new Object[] {p.scoreBound(), p.degree(), p.rank().toString(), p.feasible(), p.maxError(), p.deltaF(),
                p.exactSeconds(), p.polySeconds()};
    }
}
