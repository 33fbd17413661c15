namespace Gradscope.Record;

/// <summary>
/// The names of everything a probe measures, as written in metrics.jsonl (docs/run-record.md). Layer-wise
/// quantities carry Nielsen's layer index l (1 = first hidden layer); network-wide ones carry layer 0.
/// </summary>
public static class Quantity
{
    // Speed of learning (Nielsen): on the mini-batch, and on the fixed reference set.
    public const string BiasGradNorm = "bias_grad_norm";
    public const string WeightGradNorm = "weight_grad_norm";
    public const string ReferenceBiasGradNorm = "ref_bias_grad_norm";
    public const string ReferenceWeightGradNorm = "ref_weight_grad_norm";

    // The backward product: ‖δ^l‖ (root-mean-square over the batch of per-example norms) and its per-layer gain.
    public const string DeltaNorm = "delta_norm";
    public const string Gain = "gain";
    public const string WeightFactor = "weight_factor";
    public const string ActivationFactor = "activation_factor";

    // σ'(z^l) and the units it silences.
    public const string SigmaPrimeMean = "sigma_prime_mean";
    public const string SigmaPrimeMin = "sigma_prime_min";
    public const string SigmaPrimeMax = "sigma_prime_max";
    public const string SaturatedFraction = "saturated_fraction";

    /// <summary>
    /// Share of a layer's units that output exactly 0 on every one of the last <see cref="DeadWindow"/> examples
    /// measured (or the whole reference set, when that is smaller): a dead unit, not one that was off for a batch.
    /// </summary>
    public const string DeadFraction = "dead_fraction";

    /// <summary>How many consecutive examples measured a unit must stay silent on to count as dead (Nielsen's reference-set size).</summary>
    public const int DeadWindow = 1000;

    // Forward statistics and the parameters themselves.
    public const string ActivationMean = "activation_mean";
    public const string ActivationStd = "activation_std";
    public const string WeightNorm = "weight_norm";
    public const string SpectralNorm = "spectral_norm";
    public const string UpdateRatio = "update_ratio";

    // Mini-batch gradient against the reference-set gradient.
    public const string NoiseNormRatio = "noise_norm_ratio";
    public const string NoiseCosine = "noise_cosine";

    // Distributions (values = counts in the fixed bins of Histogram).
    public const string WeightGradHistogram = "weight_grad_histogram";
    public const string ActivationHistogram = "activation_histogram";

    /// <summary>Singular values of the input–output Jacobian ∂z^L/∂x at one input (values, descending).</summary>
    public const string JacobianSingularValues = "jacobian_singular_values";

    /// <summary>
    /// Which norm stands for Nielsen's speed of learning: on the fixed reference set when the run measured it (his
    /// definition), else on the mini-batch.
    /// </summary>
    public static string SpeedOfLearning(bool referenceMeasured) => referenceMeasured ? ReferenceBiasGradNorm : BiasGradNorm;

    // Through time, per recurrent layer (docs/recurrent.md). Per step t (records carry t): ‖∂C/∂h_t‖, the LSTM's
    // ‖∂C/∂c_t‖, and the per-step gain ‖∂C/∂h_{t−1}‖/‖∂C/∂h_t‖ (recorded at t) with its recurrent-weight factor
    // ‖W_hhᵀ ∂C/∂g_t‖/‖∂C/∂g_t‖ and activation factor ‖∂C/∂g_t‖/‖∂C/∂h_t‖ (g_t: the gates' pre-activations).
    public const string TimeGradNorm = "time_grad_norm";
    public const string TimeCellGradNorm = "time_cell_grad_norm";
    public const string TimeGain = "time_gain";
    public const string TimeWeightFactor = "time_weight_factor";
    public const string TimeActivationFactor = "time_activation_factor";

    /// <summary>‖∂C/∂h_1‖ / ‖∂C/∂h_τ‖ of a recurrent layer: far below 1 is vanishing through time, far above exploding.</summary>
    public const string TimeGradRatio = "time_grad_ratio";

    /// <summary>W_hh's largest singular value λ₁ and spectral radius ρ (of the largest gate block for gated cells), and Pascanu et al.'s bound 1/γ.</summary>
    public const string RecurrentSpectralNorm = "recurrent_spectral_norm";
    public const string RecurrentSpectralRadius = "recurrent_spectral_radius";
    public const string RecurrentBound = "recurrent_bound";

    /// <summary>Mean and saturated fraction of one gate's activations over the batch and every step; the gate is in the name's suffix.</summary>
    public static string GateMean(char gate) => gate switch
    {
        'i' => "gate_i_mean", 'f' => "gate_f_mean", 'g' => "gate_g_mean", 'o' => "gate_o_mean",
        'r' => "gate_r_mean", 'z' => "gate_z_mean", 'n' => "gate_n_mean",
        _ => throw new ArgumentOutOfRangeException(nameof(gate), gate, "Gates are i, f, g, o (LSTM) and r, z, n (GRU)."),
    };

    public static string GateSaturation(char gate) => gate switch
    {
        'i' => "gate_i_saturation", 'f' => "gate_f_saturation", 'g' => "gate_g_saturation", 'o' => "gate_o_saturation",
        'r' => "gate_r_saturation", 'z' => "gate_z_saturation", 'n' => "gate_n_saturation",
        _ => throw new ArgumentOutOfRangeException(nameof(gate), gate, "Gates are i, f, g, o (LSTM) and r, z, n (GRU)."),
    };

    // Network-wide.
    public const string Cost = "cost";

    /// <summary>‖g‖ over every layer's parameters before clipping (recorded when clipping is on).</summary>
    public const string GradGlobalNorm = "grad_global_norm";

    /// <summary>Fraction of the steps since the last record whose gradient clipping changed (recorded when clipping is on).</summary>
    public const string ClipRate = "clip_rate";
    public const string NonFinite = "non_finite";
}
