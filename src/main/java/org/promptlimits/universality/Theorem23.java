package org.promptlimits.universality;

import org.promptlimits.check.Check;
import org.promptlimits.check.CheckTable;
import org.promptlimits.check.Format;
import org.promptlimits.check.Relation;
import org.promptlimits.check.Require;
import org.promptlimits.core.Layer;
import org.promptlimits.core.Matrices;
import org.promptlimits.core.Tokens;
import org.promptlimits.core.Transformer;
import org.promptlimits.precision.Budget;
import org.promptlimits.precision.PrecisionPlan;
import org.promptlimits.quantize.DistanceEstimate;
import org.promptlimits.quantize.Grid;
import org.promptlimits.quantize.Seq2Seq;
import org.promptlimits.quantize.StaircaseQuantizer;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Theorem 2.3, executable form: the same attention layer as {@link Theorem24} between deep, constant-width
 * FFN stacks — n/δ staircase "snap" layers of width 3d before it and M bump layers of width 4 after it.
 * theory §5 [P counts, C construction].
 *
 * <p>Layer count {@code n/δ + 1 + M} with {@code M = (targets)·δ^{−dL}·L}; for the whole family of quantized
 * targets the prompts range over up to δ^{−d Lp} codes, so the count is at most
 * {@code n/δ + 1 + L·δ^{−d(Lp+L)} = O((1/ε)^{d(Lp+L)})} — the theorem's depth, at constant width max(3d, 4).
 * The bump of knot m is 1 on {@code [z_m − w, z_m + w]} with w = (min ID gap)/5 and adds
 * {@code f̄(G) − h_m}; after it fires, the column's ID moves to {@code vᵀf̄(G)}, which the build checks lies
 * outside every other bump's window. Immutable.
 */
public final class Theorem23 {

    private final Theorem24 wide;
    private final Transformer transformer;
    private final int snapLayers;
    private final int bumpLayers;
    private final MathContext mc;
    private final BigDecimal halfWidth;

    private Theorem23(Theorem24 wide) {
        this.wide = wide;
        Grid grid = wide.grid();
        int d = grid.d();
        int n = wide.promptCode().length() + grid.length();
        this.mc = PrecisionPlan.fixed(wide.precision().getPrecision() + 2,
                "Theorem 2.4's working precision plus 2 digits for the deeper stack").mathContext();
        List<ContextIds.Knot> knots = wide.knots();
        long weights = (long) n * grid.steps() * (6L * d * d + 3L * d + d) + (long) knots.size() * (8L * d + 4 + d);
        wide.options().budget().requireCells("Theorem 2.3 deep FFN stack", BigDecimal.valueOf(weights),
                "n/δ snap layers × (6d² + 4d) + M bump layers × (9d + 4) weights = " + weights,
                Budget.orLarger("shrink the construction (fewer targets, larger delta)", "maxCells"));
        BigDecimal[] v = wide.stage().direction();
        BigDecimal[] ids = new BigDecimal[knots.size()];
        BigDecimal[][] values = new BigDecimal[knots.size()][d];
        for (int j = 0; j < knots.size(); j++) {
            ids[j] = knots.get(j).id();
            for (int i = 0; i < d; i++) {
                values[j][i] = new BigDecimal(knots.get(j).value()[i]).subtract(knots.get(j).residual()[i], mc);
            }
        }
        this.halfWidth = wide.minimumIdGap().divide(BigDecimal.valueOf(5), mc);
        requireOutputsOutsideWindows(ids, knots, v);
        List<Layer> layers = new ArrayList<>(StaircaseQuantizer.of(d, grid.steps(), 1, n + 1, wide.eta(), mc)
                .withBudget(wide.options().budget()).deepLayers());
        this.snapLayers = layers.size();
        layers.add(wide.stage().layer());
        List<? extends Layer> bumps = Interpolation.deep(v, ids, values, halfWidth, mc);
        this.bumpLayers = bumps.size();
        layers.addAll(bumps);
        this.transformer = Transformer.of(d, layers);
    }

    private void requireOutputsOutsideWindows(BigDecimal[] ids, List<ContextIds.Knot> knots, BigDecimal[] v) {
        BigDecimal reach = halfWidth.multiply(BigDecimal.valueOf(2));
        for (ContextIds.Knot kn : knots) {
            BigDecimal s = BigDecimal.ZERO;
            for (int i = 0; i < v.length; i++) {
                s = s.add(v[i].multiply(new BigDecimal(kn.value()[i]), mc), mc);
            }
            int pos = Arrays.binarySearch(ids, s);
            int at = pos >= 0 ? pos : -pos - 1;
            for (int j = Math.max(0, at - 1); j <= Math.min(ids.length - 1, at); j++) {
                if (ids[j].subtract(s).abs().compareTo(reach) < 0) {
                    throw new IllegalStateException("target value " + Arrays.toString(kn.value())
                            + " projects to vᵀy = " + s.round(MathContext.DECIMAL64) + ", inside the bump window of knot " + j
                            + ": a later bump layer would fire again");
                }
            }
        }
    }

    /** The deep form built on the attention layer, knots and precision of a {@link Theorem24} construction. */
    public static Theorem23 from(Theorem24 wide) {
        return new Theorem23(Require.notNull("wide", wide));
    }

    /** The frozen deep transformer: snap layers, SA, bump layers. */
    public Transformer transformer() {
        return transformer;
    }

    /** The construction it shares its attention layer and prompts with. */
    public Theorem24 wide() {
        return wide;
    }

    /** n/δ, the number of snap (quantizer) layers. */
    public int snapLayers() {
        return snapLayers;
    }

    /** M, the number of bump layers. */
    public int bumpLayers() {
        return bumpLayers;
    }

    /** The working precision. */
    public MathContext precision() {
        return mc;
    }

    /** Bump half-width w = (min ID gap)/5. */
    public BigDecimal halfWidth() {
        return halfWidth;
    }


    /** {@code τ_{P_i}(X)} of the deep transformer, rounded to double. */
    public double[][] output(int i, double[][] x) {
        Require.that(i >= 0 && i < wide.targetCount(), "i (" + i + ") must be in [0, " + wide.targetCount() + ")");
        return Matrices.toDouble(transformer.tau(wide.promptCode().prompt(i, mc), Matrices.exact(wide.clamp(x)), mc));
    }

    /** Monte-Carlo d_p(τ_{P_i}, f_i) for the deep transformer, within the budget of the wide construction's options. */
    public DistanceEstimate distance(int i, int samples, long seed) {
        Require.that(!wide.targets().isEmpty(), "distance needs targets: this construction was built from tables");
        Require.that(i >= 0 && i < wide.targets().size(), "i (" + i + ") must be in [0, " + wide.targets().size()
                + "), the index of a target");
        Seq2Seq f = wide.targets().get(i);
        Grid g = wide.grid();
        return DistanceEstimate.of(g.d(), g.length(), f.p(), f.asOperator(), x -> output(i, x), samples, seed,
                wide.options().budget());
    }

    /**
     * The checks: D1 grid (every G, every target), D2 per target Monte Carlo, D3 width ≤ max(3d, 4),
     * D4 depth = n/δ + 1 + M, D5 depth ≤ n/δ + 1 + L·δ^{−d(Lp+L)} (the count for every prompt code).
     */
    public CheckTable checks(int samples, long seed) {
        Grid g = wide.grid();
        int d = g.d();
        int lp = wide.promptCode().length();
        int n = lp + g.length();
        List<Check> cs = new ArrayList<>();
        cs.add(wide.gridCheck("D1", transformer, "deep τ", mc));
        for (int i = 0; i < wide.targets().size(); i++) {
            cs.add(distance(i, samples, seed + i).atMost("D2." + i, "d_p(τ_{P_" + i + "}, "
                    + wide.targets().get(i).name() + ") ≤ ε, deep τ", "theory §5.1 [P]", wide.epsilon()));
        }
        int maxWidth = transformer.maxWidth("FF");
        cs.add(Check.of("D3", "FFN width ≤ max(3d, 4), independent of ε (constant width, as built)", "theory §5.6 [C]",
                BigDecimal.valueOf(maxWidth), Relation.AT_MOST, BigDecimal.valueOf(Math.max(3 * d, 4)), "max over FF layers").asFact());
        long expected = (long) n * g.steps() + 1 + (long) wide.targetCount() * g.size().longValueExact() * g.length();
        cs.add(Check.of("D4", "depth = n/δ + 1 + m·δ^{−dL}·L", "theory §5.6 [C]",
                BigDecimal.valueOf(transformer.depth()), Relation.EQUALS, BigDecimal.valueOf(expected),
                snapLayers + " snap + 1 SA + " + bumpLayers + " bump layers").asFact());
        BigDecimal all = BigDecimal.valueOf(g.steps()).pow(d * n).multiply(BigDecimal.valueOf(g.length()))
                .add(BigDecimal.valueOf((long) n * g.steps() + 1));
        cs.add(Check.of("D5", "depth ≤ n/δ + 1 + L·δ^{−d(Lp+L)} = O((1/ε)^{d(Lp+L)})", "theory §5.6 [C]",
                BigDecimal.valueOf(transformer.depth()), Relation.AT_MOST, all, "Lp = " + lp + ", δ = 1/" + g.steps()).asFact());
        return CheckTable.of("Theorem 2.3: deep width-" + maxWidth + " FFN around one attention layer ("
                + transformer.depth() + " layers)", cs);
    }

    @Override
    public String toString() {
        return "Theorem 2.3 construction: " + snapLayers + " snap layers (width " + 3 * wide.grid().d() + "), 1 SA, "
                + bumpLayers + " bump layers (width 4), bump half-width " + Format.number(halfWidth) + ", P = "
                + mc.getPrecision() + " digits";
    }
}
