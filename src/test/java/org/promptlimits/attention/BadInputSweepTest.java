package org.promptlimits.attention;

import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.promptlimits.attention.exact.BlockedAttention;
import org.promptlimits.attention.exact.ReferenceAttention;
import org.promptlimits.attention.fast.MonomialFeatures;
import org.promptlimits.attention.fast.PolynomialAttention;
import org.promptlimits.attention.fast.Taylor;
import org.promptlimits.precision.Budget;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input to every public factory of the package: an IllegalArgumentException whose message names the
 * parameter (NullPointerTester idea), never a NaN, a hang or an OutOfMemoryError.
 */
class BadInputSweepTest {

    static Stream<Arguments> badCalls() {
        double[] two = {0.1, 0.2};
        return Stream.of(
                bad("n (0)", () -> Apti.random(0, 2, 1, 0.1, 1, 1)),
                bad("B (NaN)", () -> Apti.random(2, 2, Double.NaN, 0.1, 1, 1)),
                bad("n*d (", () -> Apti.random(1 << 20, 1 << 12, 1, 0.1, 1, 1)),
                bad("deltaF (NaN)", () -> new Apti(1, 2, two, two, two, 1, Double.NaN, 1)),
                bad("Q_p (null)", () -> new Apti(1, 2, null, two, two, 1, 0.1, 1)),
                bad("beta (Infinity)", () -> PolynomialAttention.forError(1, 0.1, Double.POSITIVE_INFINITY, 2)),
                bad("d (0)", () -> PolynomialAttention.ofDegree(0, 2, 1)),
                bad("g (-1)", () -> PolynomialAttention.ofDegree(2, -1, 1)),
                bad("feature rank", () -> PolynomialAttention.ofDegree(64, 4, 1.0 / 64, Budget.DEFAULT.withMaxBytes(1L << 30))),
                bad("feature rank", () -> PolynomialAttention.ofDegree(8, 3, 1.0 / 8, Budget.DEFAULT.withMaxCells(100))),
                bad("budget (null)", () -> MonomialFeatures.of(2, 2, 1, null)),
                bad("epsilon (1.5)", () -> Taylor.degree(1, 1.5)),
                bad("R (1000.0)", () -> Taylor.degree(1000, 1e-3)),
                bad("R (-1.0)", () -> Taylor.relativeError(2, -1)),
                bad("backend (null)", () -> BlockedAttention.of(null, 1)),
                bad("threads (0)", () -> BlockedAttention.of(BlockedAttention.Backend.AUTO, 0)),
                bad("budget (null)", () -> ReferenceAttention.withBudget(null)),
                bad("beta (-1.0)", () -> ReferenceAttention.create().attend(1, 1, 1, 1, new double[1], new double[1],
                        new double[1], -1, new double[1])),
                bad("rows[0] (5)", () -> ReferenceAttention.create().rows(new int[] {5}, 1, 1, 1, 1, new double[1],
                        new double[1], new double[1], 1)),
                bad("d (0)", () -> SoftPromptAttention.random(0, 1)),
                bad("prompt has 3 entries", () -> SoftPromptAttention.random(2, 1).induced(new double[3], two, 0.1, 0.5)),
                bad("input has 0 entries", () -> SoftPromptAttention.random(2, 1).induced(two, new double[0], 0.1, 0.5)),
                bad("inputRows (3)", () -> SoftPromptAttention.readOut(ReferenceAttention.create(),
                        Apti.random(2, 2, 1, 0.1, 1, 1), 3)));
    }

    private static Arguments bad(String expected, Executable call) {
        return Arguments.of(expected, call);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badCalls")
    void badInputIsRefusedWithAMessageNamingIt(String expected, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expected), "message '" + e.getMessage() + "' should contain '" + expected + "'");
    }
}
