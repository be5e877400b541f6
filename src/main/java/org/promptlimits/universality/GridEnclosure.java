package org.promptlimits.universality;

import org.promptlimits.check.Check;
import org.promptlimits.check.Interrupts;
import org.promptlimits.check.Relation;
import org.promptlimits.check.Require;
import org.promptlimits.core.IntervalForward;
import org.promptlimits.core.Matrices;
import org.promptlimits.core.Transformer;
import org.promptlimits.precision.Interval;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * Certified enclosures of a Theorem 2.4 (or 2.3) transformer's outputs, evaluated from its stored weights in
 * outward-rounded interval arithmetic ({@link IntervalForward}), independently of the rounding the
 * construction itself used. theory §5.7, §8.3.
 */
public final class GridEnclosure {

    private GridEnclosure() {
    }

    /**
     * Enclosure of τ_{P_i}(X) for the prompt of target i, X clamped below 1 as the construction reads it.
     *
     * @param t  the construction
     * @param i  target index in [0, m)
     * @param x  d×L with entries in [0, 1]. Not modified.
     * @param mc precision of the interval ends
     */
    public static Interval[][] output(Theorem24 t, int i, double[][] x, MathContext mc) {
        Require.notNull("t", t);
        Require.that(i >= 0 && i < t.targetCount(), "i (" + i + ") must be in [0, m) = [0, " + t.targetCount() + ")");
        return IntervalForward.tau(t.transformer(), t.promptCode().prompt(i, mc), Matrices.exact(t.clamp(x)), mc);
    }

    /**
     * The certified grid check: the enclosure of max over every grid input G and every target i of
     * |τ_{P_i}(G) − f̄_i(G)|, decided by its upper end against 10^{−D_out}.
     *
     * @param model        the transformer to evaluate (the wide one, or Theorem 2.3's deep one)
     * @param work         precision of the interval ends
     * @param outputDigits D_out
     */
    static Check check(Theorem24 t, String id, Transformer model, String what, MathContext work, int outputDigits) {
        Interval worst = Interval.point(BigDecimal.ZERO);
        long size = t.grid().size().longValueExact();
        for (int i = 0; i < t.targetCount(); i++) {
            BigDecimal[][] prompt = t.promptCode().prompt(i, work);
            for (long g = 0; g < size; g++) {
                Interrupts.check();
                Interval[][] out = IntervalForward.tau(model, prompt, Matrices.exact(t.clamp(t.grid().point(g))), work);
                worst = worst.max(IntervalForward.maxAbsDifference(out, Matrices.exact(t.tables().get(i).output(g)), work));
            }
        }
        return Check.certified(id, "max over grid inputs G and targets i of |τ_{P_i}(G) − f̄_i(G)|, " + what,
                "theory §5.7 [C]", worst.lo(), worst.hi(), Relation.AT_MOST, BigDecimal.ONE.scaleByPowerOfTen(-outputDigits),
                t.targetCount() + " targets × " + size + " grid inputs, stored weights in interval arithmetic at "
                        + work.getPrecision() + " digits");
    }
}
