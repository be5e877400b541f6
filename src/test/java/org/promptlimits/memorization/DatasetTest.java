package org.promptlimits.memorization;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;
import static org.promptlimits.memorization.PromptLengthBoundTest.assertMessage;

class DatasetTest {

    @Test
    void duplicateInputsWithDifferentLabelsCannotBeMemorizedAndSaySo() {
        double[][] x = {{0.1, 0.2}};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Dataset.of(
                List.of(x, new double[][] {{0.3, 0.2}}, x.clone()),
                List.of(new double[][] {{0, 0}}, new double[][] {{1, 1}}, new double[][] {{0.5, 0}})));
        assertTrue(e.getMessage().contains("inputs[0] and inputs[2] are equal"), e.getMessage());
        assertTrue(e.getMessage().contains("no prompt can memorize both"), e.getMessage());
        assertTrue(e.getMessage().contains("ε < 0.25"), e.getMessage());
    }

    @Test
    void duplicateInputsWithEqualLabelsAreConsistent() {
        Dataset data = Dataset.of(List.of(new double[][] {{0.0}}, new double[][] {{-0.0 + 0.0}}),
                List.of(new double[][] {{0.5}}, new double[][] {{0.5}}));
        assertEquals(2, data.size());
    }

    @Test
    void negativeZeroIsTheSameInput() {
        assertMessage(() -> Dataset.of(List.of(new double[][] {{0.0}}, new double[][] {{-0.0}}),
                List.of(new double[][] {{0.5}}, new double[][] {{0.6}})), "are equal");
    }

    @Test
    void inconsistentShapesAndNonFiniteValuesAreRefused() {
        double[][] ok = {{0.1, 0.2}, {0.3, 0.4}};
        assertMessage(() -> Dataset.of(List.of(ok, new double[][] {{0.1, 0.2}}), List.of(ok, ok)),
                "inputs[1] has 1 rows but d = 2");
        assertMessage(() -> Dataset.of(List.of(ok, ok), List.of(ok, new double[][] {{0.1}, {0.2}})),
                "labels[1] has 1 columns but L = 2");
        assertMessage(() -> Dataset.of(List.<double[][]>of(ok), List.of(ok, ok)), "labels (2 sequences) must match inputs (1");
        assertMessage(() -> Dataset.of(List.<double[][]>of(new double[][] {{0.1, Double.NaN}, {0, 0}}), List.<double[][]>of(ok)),
                "inputs[0][0][1] (NaN) must be finite");
        assertMessage(() -> Dataset.of(List.<double[][]>of(ok), List.<double[][]>of(new double[][] {{0.1, 1.5}, {0, 0}})),
                "labels[0][0][1] (1.5) must be in [0, 1]");
        assertMessage(() -> Dataset.of(List.of(), List.of()), "inputs (empty)");
        assertMessage(() -> Dataset.of(List.<double[][]>of(new double[][] {{0.1, 0.2}, {0.3}}), List.<double[][]>of(ok)),
                "inputs[0][1] has 1 entries");
    }

    @Test
    void randomDatasetIsSeededAndCopiesOut() {
        Dataset a = Dataset.random(3, 2, 4, 9);
        Dataset b = Dataset.random(3, 2, 4, 9);
        assertArrayEquals(a.input(2)[1], b.input(2)[1]);
        assertArrayEquals(a.label(0)[0], b.label(0)[0]);
        double[][] x = a.input(0);
        x[0][0] = 7;
        assertNotEquals(7, a.input(0)[0][0]);
    }
}
