using System.Globalization;

namespace Gradscope.Training;

/// <summary>Hyper-parameters of mini-batch training. <see cref="Validate"/> names the first bad value.</summary>
public sealed record TrainingOptions
{
    /// <summary>Learning rate η.</summary>
    public double Eta { get; init; } = 0.1;

    /// <summary>Mini-batch size m.</summary>
    public int BatchSize { get; init; } = 10;

    /// <summary>L2 regularisation λ in Nielsen's form: each step scales W by (1 − ηλ/n), n the training-set size.</summary>
    public double Lambda { get; init; }

    public int Epochs { get; init; } = 1;

    /// <summary>Seed of the shuffles (weights take the network's seed).</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Threads for the matrix kernels; results are bit-identical for any count.</summary>
    public int Threads { get; init; } = 1;

    /// <summary>Optimiser by name (see <see cref="OptimizerFactory.Names"/>): sgd, momentum, nesterov, adagrad, rmsprop, adam, adamw, rprop, kfac.</summary>
    public string Optimizer { get; init; } = "sgd";

    /// <summary>μ of the momentum and Nesterov optimisers, in [0, 1).</summary>
    public double Momentum { get; init; } = 0.9;

    /// <summary>Adam's decay of the first moment, in [0, 1).</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>Adam's decay of the second moment, in [0, 1).</summary>
    public double Beta2 { get; init; } = 0.999;

    /// <summary>ε added to the root of the second moment (AdaGrad, RMSProp, Adam).</summary>
    public double Epsilon { get; init; } = 1e-8;

    /// <summary>Decay of RMSProp's MeanSquare (Hinton: 0.9) and of K-FAC's factor averages, in [0, 1).</summary>
    public double Decay { get; init; } = 0.9;

    /// <summary>AdamW's decoupled weight decay: each step also subtracts η·WeightDecay·W.</summary>
    public double WeightDecay { get; init; } = 0.01;

    /// <summary>K-FAC's Tikhonov damping λ, split between the factors by Martens &amp; Grosse's π.</summary>
    public double Damping { get; init; } = 0.01;

    /// <summary>K-FAC inverts its factors every this many steps.</summary>
    public int KfacInverseEvery { get; init; } = 100;

    /// <summary>K-FAC records its factor statistics every this many steps (the decay per record is Decay^this, so the window is unchanged).</summary>
    public int KfacStatsEvery { get; init; } = 10;

    /// <summary>
    /// Eigenpairs k kept of a K-FAC factor larger than <see cref="Kfac{T}.LowRankThreshold"/>, whose inverse is then
    /// low-rank plus damping; k ≥ the factor's dimension inverts it exactly.
    /// </summary>
    public int KfacRank { get; init; } = 16;

    /// <summary>Per-layer learning-rate multipliers, one per weight layer (l = 1 … L), or null for all 1.</summary>
    public double[]? LayerRates { get; init; }

    /// <summary>Learning-rate multiplier of the weights.</summary>
    public double WeightRate { get; init; } = 1;

    /// <summary>Learning-rate multiplier of the biases (and normalisation gains).</summary>
    public double BiasRate { get; init; } = 1;

    /// <summary>
    /// Layer-wise trust ratio (LARS) coefficient; 0 turns it off. On, layer l steps with
    /// η_l = η · TrustRatio · ‖W^l‖/‖∂C/∂W^l‖, so every layer's weights move by the same fraction per step.
    /// </summary>
    public double TrustRatio { get; init; }

    /// <summary>Clip the gradient by its global norm τ over every layer (Pascanu et al. 2013); 0 turns it off.</summary>
    public double ClipNorm { get; init; }

    /// <summary>Clip every gradient component to [−v, v]; 0 turns it off.</summary>
    public double ClipValue { get; init; }

    public void Validate()
    {
        if (!double.IsFinite(Eta) || Eta <= 0) throw new ArgumentException($"Invalid learning rate: {Eta} (must be a positive finite number).");
        if (BatchSize < 1) throw new ArgumentException($"Invalid mini-batch size: {BatchSize} (must be at least 1).");
        if (!double.IsFinite(Lambda) || Lambda < 0) throw new ArgumentException($"Invalid L2 regularisation λ: {Lambda} (must be finite and ≥ 0).");
        if (Epochs < 0) throw new ArgumentException($"Invalid epoch count: {Epochs} (must be ≥ 0).");
        if (Threads < 1) throw new ArgumentException($"Invalid thread count: {Threads} (must be at least 1).");
        OptimizerFactory.CheckName(Optimizer);
        UnitInterval(Momentum, "momentum");
        UnitInterval(Beta1, "β1");
        UnitInterval(Beta2, "β2");
        UnitInterval(Decay, "decay");
        Positive(Epsilon, "epsilon");
        Positive(Damping, "damping");
        Positive(WeightRate, "weight rate");
        Positive(BiasRate, "bias rate");
        NonNegative(WeightDecay, "weight decay");
        NonNegative(TrustRatio, "trust ratio");
        NonNegative(ClipNorm, "clip norm");
        NonNegative(ClipValue, "clip value");
        if (KfacInverseEvery < 1) throw new ArgumentException($"Invalid K-FAC inverse interval: {KfacInverseEvery} (must be at least 1).");
        if (KfacStatsEvery < 1) throw new ArgumentException($"Invalid K-FAC statistics interval: {KfacStatsEvery} (must be at least 1).");
        if (KfacRank < 1) throw new ArgumentException($"Invalid K-FAC rank: {KfacRank} (must be at least 1).");
        if (LayerRates is not null)
            for (int i = 0; i < LayerRates.Length; i++)
                if (!double.IsFinite(LayerRates[i]) || LayerRates[i] <= 0)
                    throw new ArgumentException($"Invalid layer rate: {Text(LayerRates[i])} for layer {i + 1} (must be a positive finite number).");
    }

    /// <summary>The learning-rate multiplier of weight layer l (1-based).</summary>
    public double LayerRate(int l) => LayerRates is null ? 1 : LayerRates[l - 1];

    private static void UnitInterval(double value, string what)
    {
        if (!(value >= 0 && value < 1)) throw new ArgumentException($"Invalid {what}: {Text(value)} (must be in [0, 1)).");
    }

    private static void Positive(double value, string what)
    {
        if (!double.IsFinite(value) || value <= 0) throw new ArgumentException($"Invalid {what}: {Text(value)} (must be a positive finite number).");
    }

    private static void NonNegative(double value, string what)
    {
        if (!double.IsFinite(value) || value < 0) throw new ArgumentException($"Invalid {what}: {Text(value)} (must be finite and ≥ 0).");
    }

    private static string Text(double value) => value.ToString(CultureInfo.InvariantCulture);
}
