using Gradscope.Numerics;

namespace Gradscope.Experiments.Reproductions;

/// <summary>
/// The decomposition of log₁₀|∂C/∂w| for one net trained at one batch size (<see cref="GradientMagnitudes"/>).
/// <paramref name="ReferenceBias"/> is the mean over (layer, step, weight) of (mean_k y_k − y_ref)², the squared
/// offset of the mini-batch log magnitudes from the reference set's; <paramref name="ZeroFraction"/> the share of
/// mini-batch gradients that were exactly zero (left out of the logs).
/// </summary>
public sealed record MagnitudeCell(string Net, int Batch, bool FullBatch, VarianceComponents Components, double ReferenceBias, double ZeroFraction);
