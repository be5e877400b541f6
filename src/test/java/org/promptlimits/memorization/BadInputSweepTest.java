package org.promptlimits.memorization;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.promptlimits.core.FeedForward;
import org.promptlimits.universality.Theorem24;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Every public entry point of the package, fed bad input, throws IllegalArgumentException naming a parameter. */
class BadInputSweepTest {

    @Test
    void everyPublicEntryPointRefusesBadInputWithAMessage() {
        FrozenTransformer model = FrozenTransformer.random(2, 2, 0, 1, 3, 1);
        Dataset data = Dataset.random(2, 2, 2, 1);
        PromptTuner.Options ok = PromptTuner.Options.adam(0.1, 5, 0.1, 1);
        double[][] nanPrompt = {{0, Double.NaN}, {0, 0}};
        Map<String, Executable> calls = new LinkedHashMap<>();
        calls.put("random d", () -> FrozenTransformer.random(0, 2, 0, 0, 1, 1));
        calls.put("random width", () -> FrozenTransformer.random(2, 2, 0, 1, 0, 1));
        calls.put("of null", () -> FrozenTransformer.of(null, null, null, null, List.of(), List.of()));
        calls.put("of NaN", () -> FrozenTransformer.of(new double[][] {{Double.NaN, 0}}, new double[][] {{0, 0}},
                new double[][] {{0, 0}}, new double[][] {{0}, {0}}, List.of(), List.of()));
        calls.put("layer shape", () -> FeedForward.of("FF", new double[][] {{1, 2}}, new double[] {0, 0},
                new double[][] {{1}, {1}}, new double[] {0, 0}));
        calls.put("forward NaN", () -> model.forward(nanPrompt, data.input(0)));
        calls.put("forward rows", () -> model.forward(new double[3][1], data.input(0)));
        calls.put("output null", () -> model.output(null, data.input(0)));
        calls.put("dataset null", () -> Dataset.of(null, List.of()));
        calls.put("dataset null entry", () -> Dataset.of(java.util.Arrays.asList(new double[][][] {null}),
                List.<double[][]>of(new double[][] {{0}})));
        calls.put("dataset index", () -> data.input(2));
        calls.put("random size", () -> Dataset.random(0, 1, 1, 1));
        calls.put("tune model", () -> PromptTuner.tune(null, data, 2, ok));
        calls.put("tune data", () -> PromptTuner.tune(model, null, 2, ok));
        calls.put("tune options", () -> PromptTuner.tune(model, data, 2, null));
        calls.put("tune NaN prompt", () -> PromptTuner.tune(model, data, nanPrompt, ok));
        calls.put("evaluate NaN", () -> PromptTuner.evaluate(model, data, nanPrompt));
        calls.put("gradient null", () -> PromptTuner.gradient(model, data, null));
        calls.put("gradientCheck h", () -> PromptTuner.gradientCheck(model, data, new double[2][1], 0));
        calls.put("options maxSteps", () -> PromptTuner.Options.adam(0.1, -1, 0.1, 1));
        calls.put("options beta", () -> new PromptTuner.Options(0.1, 1, 0.1, 1, 0.1, 1.0, 0.9));
        calls.put("options init", () -> new PromptTuner.Options(0.1, 1, 0.1, 1, Double.NaN, 0.9, 0.9));
        calls.put("search maxLength", () -> PromptSearch.smallestPromptLength(model, data, ok, 0, 1));
        calls.put("search restarts", () -> PromptSearch.smallestPromptLength(model, data, ok, 4, 0));
        calls.put("sweep empty", () -> PromptSearch.sweep(new int[0], new int[] {1}, new double[] {0.1}, new int[] {1}, ok, 2, 1, 1));
        calls.put("bound space", () -> PromptLengthBound.theorem25(1, 1, 0.5, 0.1, null));
        calls.put("bound family", () -> PromptLengthBound.forFamily(BigInteger.ZERO, PromptSpace.alphabet(BigInteger.TWO)));
        calls.put("bits", () -> PromptSpace.bitsPerEntry(0, 1));
        calls.put("grid tokens delta", () -> PromptSpace.gridTokens(1, 0.3));
        calls.put("label count", () -> PromptLengthBound.labelCount(Double.NaN));
        calls.put("construction data", () -> MemorizingConstruction.forDataset(null, 1, Theorem24.Options.defaults()));
        calls.put("construction delta", () -> MemorizingConstruction.forLabelings(1, 2, 0.3, 0.25, 2, 1, Theorem24.Options.defaults()));
        calls.put("construction m", () -> MemorizingConstruction.forLabelings(1, 2, 0.25, 0.25, 0, 1, Theorem24.Options.defaults()));
        calls.put("family size", () -> MemorizingConstruction.fullFamilySize(1, 2, 0.25, 2));
        for (Map.Entry<String, Executable> c : calls.entrySet()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, c.getValue(), c.getKey());
            assertNotNull(e.getMessage(), c.getKey());
            assertTrue(e.getMessage().contains("(") || e.getMessage().contains(" but "), c.getKey() + ": " + e.getMessage());
        }
    }
}
