package org.promptlimits;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.promptlimits.attention.Apti;
import org.promptlimits.attention.SoftPromptAttention;
import org.promptlimits.attention.exact.ReferenceAttention;
import org.promptlimits.attention.fast.PolynomialAttention;
import org.promptlimits.boltzmann.BoltzmannChecks;
import org.promptlimits.contextual.ContextualMapping;
import org.promptlimits.contextual.MappingOptions;
import org.promptlimits.contextual.Sequences;
import org.promptlimits.core.Matrices;
import org.promptlimits.core.PositionalEncoding;
import org.promptlimits.memorization.Dataset;
import org.promptlimits.memorization.FrozenTransformer;
import org.promptlimits.memorization.PromptTuner;
import org.promptlimits.precision.Budget;
import org.promptlimits.quantize.Grid;

import java.math.BigDecimal;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The advice that ends a refusal by a budget has one form: where the entry point takes the caller's Budget,
 * "&lt;what to change&gt;, or pass a Budget with a larger &lt;the limit refused&gt;"; where it takes none, only what
 * to change, and for maxBytes (which {@link Budget#DEFAULT} takes from the heap) ", or give the JVM more heap
 * (-Xmx)". Before, the same advice was worded "raise Budget.maxCells", "raise the budget", "or raise
 * Budget.maxBytes", or not given where the caller could pass a Budget.
 */
class RefusalAdviceTest {

    /** "… above Budget.field = limit; advice", with the field and the advice. */
    private static final Pattern REFUSAL = Pattern.compile(".* above Budget\\.(max\\w+) = [^;]+; (.+)");

    private static Matcher refusal(Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        Matcher m = REFUSAL.matcher(e.getMessage());
        assertTrue(m.matches(), e.getMessage());
        assertFalse(m.group(2).contains("raise Budget") || m.group(2).contains("raise the budget"), e.getMessage());
        return m;
    }

    /** An entry point that takes the caller's Budget: the advice names the limit that refused. */
    private static void offersALargerBudget(String change, Executable call) {
        Matcher m = refusal(call);
        assertEquals(change + ", or pass a Budget with a larger " + m.group(1), m.group(2), m.group());
    }

    /** An entry point that takes no Budget: only what to change, plus more heap for maxBytes. */
    private static void offersNoBudget(String field, String change, Executable call) {
        Matcher m = refusal(call);
        assertEquals(field, m.group(1), m.group());
        assertEquals(field.equals("maxBytes") ? change + ", or give the JVM more heap (-Xmx)" : change, m.group(2),
                m.group());
    }

    @Test
    void entryPointsThatTakeABudgetOfferALargerOneForTheLimitThatRefused() {
        offersALargerBudget("increase delta (or lower d, L)",
                () -> Grid.of(1, 2, 0.25).requireEnumerable(Budget.DEFAULT.withMaxCells(10)));
        offersALargerBudget("sample rows with rows(...) or use BlockedAttention",
                () -> ReferenceAttention.withBudget(Budget.DEFAULT.withMaxCells(3))
                        .attend(2, 2, 1, 1, new double[2], new double[2], new double[2], 1, new double[2]));
        offersALargerBudget("lower the degree g (raise deltaF or lower B) or the dimension d",
                () -> PolynomialAttention.ofDegree(64, 4, 1.0 / 64, Budget.DEFAULT.withMaxBytes(1L << 30)));
        BigDecimal[][] wide = {{new BigDecimal("1e-30000").add(BigDecimal.ONE)}};
        offersALargerBudget("round the entries to fewer digits",
                () -> Matrices.multiplyExact(wide, wide, Budget.DEFAULT));
        offersALargerBudget("use EMPIRICAL constants, or fewer tokens K (c grows like (K+1)^4), or tokens further"
                + " apart (ε divides c)", () -> ContextualMapping.construct(Sequences.allArrangements(
                        new double[][] {{1.0, 0.0}, {-1.8, 0.45}, {-0.65, -1.65}}, 2, 100),
                MappingOptions.theory().withBudget(Budget.DEFAULT.withMaxDigits(500))));
        FrozenTransformer model = FrozenTransformer.random(4, 4, 0, 1, 16, 3);
        Dataset data = Dataset.random(2, 4, 1, 4);
        offersALargerBudget("lower promptLength", () -> PromptTuner.tune(model, data, 1000,
                PromptTuner.Options.adam(0.05, 10, 0.02, 5), Budget.DEFAULT.withMaxBytes(1000)));
    }

    @Test
    void entryPointsThatTakeNoBudgetOfferMoreHeapForBytesAndNothingElseToRaise() {
        offersNoBudget("maxBytes", "lower d or n", () -> PositionalEncoding.matrix(1 << 30, 1 << 30));
        offersNoBudget("maxBytes", "lower n or d", () -> Apti.random((1 << 21) - 1, 1 << 10, 1, 0.1, 1, 1));
        offersNoBudget("maxBytes", "lower rows or d", () -> SoftPromptAttention.uniformRows(1 << 30, 1 << 10, 1, 1));
        offersNoBudget("maxCells", "lower permutations",
                () -> BoltzmannChecks.permutationInvariance(new double[1000], BoltzmannChecks.MAX_PERMUTATIONS, 1));
    }

    @Test
    void anArrayAboveJavasLimitIsNotAdvisedMoreBytes() {
        Budget unlimited = Budget.DEFAULT.withMaxBytes(Long.MAX_VALUE);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> unlimited.requireArray("table", 1, Budget.orLarger("lower n", "maxBytes"), 1L << 40));
        assertTrue(e.getMessage().contains("above Java's array limit") && e.getMessage().endsWith("; lower n"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Budget.DEFAULT.requireArray("table", 1, Budget.orMoreHeap("lower n"), -1));
        assertEquals("table: a dimension (-1) is negative; lower n", e.getMessage());
    }
}
