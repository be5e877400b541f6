/**
 * Prompt-tuning universality, theory §5 and §8.4 [P statements, C constructions]: Theorem 2.4
 * ({@link org.promptlimits.universality.Theorem24}, τ = FF_2 ∘ SA ∘ FF_1 and one prompt per target), Theorem 2.3
 * ({@link org.promptlimits.universality.Theorem23}, deep constant-width FFN around the same attention layer), the
 * prompt code, the FF_2 read-outs ({@link org.promptlimits.universality.Interpolation}), the attention stage built
 * on the shared contextual mapping ({@link org.promptlimits.universality.ContextualStages}) and the size report of
 * the THEORY-constant constructions ({@link org.promptlimits.universality.UniversalitySizes}), which are never run.
 *
 * <p>Entry points: {@code Theorem24.forTargets(targets, epsilon)} for Lipschitz targets and
 * {@code Theorem24.forTables(grid, tables)} for any finite table of grid input → output (memorization).
 */
package org.promptlimits.universality;
