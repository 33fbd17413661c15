namespace Gradscope.Experiments.Reproductions;

/// <summary>
/// SGD noise of one net at batch size <paramref name="Batch"/>, measured at the same weights for every batch size:
/// <paramref name="RelativeVariance"/> = E(g_B − g_ref)² / E(g_1 − g_ref)² (each layer normalised by its mean g_ref²,
/// so layers count alike), <paramref name="Predicted"/> = (N − B)/(B(N − 1)) for mini-batches drawn without replacement
/// from the N reference examples, and <paramref name="LogNoise"/> the variance over draws of log₁₀|g_B| (decades²).
/// </summary>
public sealed record NoiseScaling(string Net, int Batch, double RelativeVariance, double Predicted, double LogNoise);
