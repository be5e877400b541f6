package org.promptlimits.universality;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.promptlimits.core.FeedForward;
import org.promptlimits.core.PositionalEncoding;
import org.promptlimits.core.Transformer;
import org.promptlimits.precision.Budget;
import org.promptlimits.quantize.DistanceEstimate;
import org.promptlimits.quantize.Grid;
import org.promptlimits.quantize.GridTable;
import org.promptlimits.quantize.QuantizedFunction;
import org.promptlimits.quantize.Seq2Seq;
import org.promptlimits.quantize.StaircaseQuantizer;
import org.promptlimits.quantize.Targets;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * One sweep feeding bad input to every public factory of the quantization and universality packages: each must
 * throw IllegalArgumentException whose message names the parameter, never return a NaN or hang.
 */
class BadInputTest {

    @Test
    void everyFactoryRejectsBadInputWithANamedParameter() {
        Seq2Seq f = Targets.shift(1, 2, 2);
        Grid grid = Grid.of(1, 2, 0.5);
        List<Map.Entry<String, Executable>> cases = new java.util.ArrayList<>();
        add(cases, "delta", () -> Grid.of(1, 2, 0.3));
        add(cases, "delta", () -> Grid.of(1, 2, 0));
        add(cases, "d", () -> Grid.of(0, 2, 0.5));
        add(cases, "L", () -> Grid.of(1, 0, 0.5));
        add(cases, "deltaY", () -> QuantizedFunction.of(f, 0.5, 0.7));
        add(cases, "epsilon", () -> QuantizedFunction.forEpsilon(f, 1));
        add(cases, "epsilon", () -> QuantizedFunction.forEpsilon(f, Double.NaN));
        add(cases, "p", () -> Seq2Seq.of("x", 1, 1, 0.5, 1, x -> x));
        add(cases, "lipschitz", () -> Seq2Seq.of("x", 1, 1, 2, -1, x -> x));
        add(cases, "lipschitz", () -> Seq2Seq.of("double", 1, 1, 2, 1, x -> new double[][] {{x[0][0] / 2 + (x[0][0] > 0.5 ? 0.5 : 0)}}));
        add(cases, "X", () -> f.apply(new double[][] {{0.1, 0.2, 0.3}}));
        add(cases, "X[0][1]", () -> f.apply(new double[][] {{0.1, Double.NaN}}));
        add(cases, "a", () -> Targets.tokenwiseAffine(1, 2, 2, 2, 0));
        add(cases, "b", () -> Targets.tokenwiseAffine(1, 2, 2, 0.5, 0.9));
        add(cases, "window", () -> Targets.movingAverage(1, 2, 2, 0));
        add(cases, "outputs", () -> GridTable.of(grid, new double[3][1][2]));
        add(cases, "outputs[0][0][0]", () -> GridTable.of(grid, new double[][][] {{{2, 0}}, {{0, 0}}, {{0, 0}}, {{0, 0}}}));
        add(cases, "samples", () -> DistanceEstimate.of(1, 2, 2, x -> x, x -> x, 0, 1));
        add(cases, "eta", () -> StaircaseQuantizer.of(1, 4, 1, 3, new BigDecimal("0.5"), MathContext.DECIMAL64));
        add(cases, "hi", () -> StaircaseQuantizer.of(1, 4, 3, 3, new BigDecimal("0.01"), MathContext.DECIMAL64));
        add(cases, "m", () -> PromptCode.of(grid, 0));
        add(cases, "i", () -> PromptCode.of(grid, 2).digits(2));
        add(cases, "knots[1]", () -> Interpolation.wide(new BigDecimal[] {BigDecimal.ONE},
                new BigDecimal[] {BigDecimal.ONE, BigDecimal.ONE}, new BigDecimal[][] {{BigDecimal.ZERO}, {BigDecimal.ONE}},
                MathContext.DECIMAL64));
        add(cases, "halfWidth", () -> Interpolation.deep(new BigDecimal[] {BigDecimal.ONE},
                new BigDecimal[] {BigDecimal.ONE, BigDecimal.valueOf(2)},
                new BigDecimal[][] {{BigDecimal.ZERO}, {BigDecimal.ONE}}, BigDecimal.ONE, MathContext.DECIMAL64));
        add(cases, "epsilon", () -> UniversalitySizes.fullFamily(1, 2, 2, 1, 0));
        add(cases, "epsilon", () -> Theorem24.forTargets(List.of(f), 1.5));
        add(cases, "m (number of targets)", () -> Theorem24.forTargets(List.of(), 0.5));
        add(cases, "targets[1]", () -> Theorem24.forTargets(List.of(f, Targets.shift(1, 3, 2)), 0.5));
        add(cases, "maxCells", () -> Theorem24.forTargets(List.of(f), 0.5, 0.5, 0.9, ContextualStages.empirical(1),
                Theorem24.Options.defaults().withBudget(Budget.DEFAULT.withMaxCells(10))));
        add(cases, "outputDigits", () -> new Theorem24.Options(0, null, Budget.DEFAULT));
        add(cases, "layers[0]", () -> Transformer.of(2, List.of(FeedForward.of("x", new double[][] {{1}}, new double[] {0},
                new double[][] {{1}}, new double[] {0}))));
        add(cases, "d", () -> PositionalEncoding.matrix(0, 2));
        for (Map.Entry<String, Executable> c : cases) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, c.getValue(), c.getKey());
            assertTrue(e.getMessage().contains(c.getKey()), "message should name " + c.getKey() + ": " + e.getMessage());
        }
    }

    private static void add(List<Map.Entry<String, Executable>> cases, String name, Executable e) {
        cases.add(Map.entry(name, e));
    }
}
