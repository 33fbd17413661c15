using Gradscope.Numerics;

namespace Gradscope.Experiments.Reproductions;

/// <summary>
/// Spread of the update magnitudes log₁₀(|Δw|/η) of one net under one optimiser, across sampled weights and every
/// step; <paramref name="Range"/> is the 10th-to-90th percentile range in decades.
/// </summary>
public sealed record UpdateSpread(string Net, string Optimizer, VarianceComponents Components, double Range);
