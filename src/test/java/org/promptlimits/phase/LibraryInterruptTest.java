package org.promptlimits.phase;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.promptlimits.attention.Apti;
import org.promptlimits.attention.exact.BlockedAttention;
import org.promptlimits.attention.fast.PolynomialAttention;
import org.promptlimits.check.Interrupts;
import org.promptlimits.precision.Budget;
import org.promptlimits.sweep.WallClock;

import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The long library loops that a notebook cell may run stop when the cell's thread is interrupted (the kernel's
 * Stop button): each checks the interrupt status once per tile, block or point and throws
 * {@link Interrupts.Interrupted}.
 */
class LibraryInterruptTest {

    private final Apti instance = Apti.random(2048, 8, 1.0, 1e-2, 0.125, 3);

    @AfterEach
    void clearFlag() {
        Thread.interrupted();
    }

    @Test
    void exactAttentionStopsOnOneAndTwoThreads() {
        for (BlockedAttention exact : new BlockedAttention[] {BlockedAttention.create(),
                BlockedAttention.of(BlockedAttention.Backend.AUTO, 2)}) {
            Thread.currentThread().interrupt();
            assertThrows(Interrupts.Interrupted.class, () -> exact.attend(instance));
            Thread.interrupted();
            exact.attend(instance);   // and runs again once the flag is clear
        }
    }

    @Test
    void polynomialAttentionStops() {
        PolynomialAttention poly = PolynomialAttention.ofDegree(8, 2, 0.125, Budget.DEFAULT);
        Thread.currentThread().interrupt();
        assertThrows(Interrupts.Interrupted.class, () -> poly.attend(instance));
    }

    @Test
    void phaseTransitionSweepAndCrossoverStop() {
        Thread.currentThread().interrupt();
        assertThrows(Interrupts.Interrupted.class, () -> PhaseTransition.sweep(4, new int[] {256, 512},
                new double[] {0.5, 1.0}, 1e-2, 0.25, WallClock.fastest(1), 1, Budget.DEFAULT));
        Thread.currentThread().interrupt();
        assertThrows(Interrupts.Interrupted.class, () -> PhaseTransition.crossover(4, 2, 0.25, 1024,
                WallClock.fastest(1), 1, Budget.DEFAULT));
    }
}
