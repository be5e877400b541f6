/**
 * Quantized sequence-to-sequence functions, theory §4 [L, C]: the grid {@link org.promptlimits.quantize.Grid},
 * Lipschitz targets {@link org.promptlimits.quantize.Seq2Seq} with a
 * {@link org.promptlimits.quantize.LipschitzSpotCheck} and a catalogue ({@link org.promptlimits.quantize.Targets}),
 * the piecewise-constant approximation {@link org.promptlimits.quantize.QuantizedFunction} and its table
 * {@link org.promptlimits.quantize.GridTable}, the {@link org.promptlimits.quantize.StaircaseQuantizer} as a ReLU
 * feed-forward layer, and Monte-Carlo distances {@link org.promptlimits.quantize.DistanceEstimate}.
 */
package org.promptlimits.quantize;
