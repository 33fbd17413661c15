namespace Gradscope.Probes;

/// <summary>
/// The schedule a probe runs on: one per <see cref="ProbeOptions"/> schedule string, so quantities that share a
/// pass over the same tensors are due on the same steps.
/// </summary>
public enum ProbeGroup
{
    /// <summary><see cref="ProbeOptions.Norms"/>: gradient norms, ‖δ^l‖, gains and factors, clipping.</summary>
    Norms,

    /// <summary><see cref="ProbeOptions.Statistics"/>: σ' and activation statistics, weight norms, the batch cost.</summary>
    Statistics,

    /// <summary><see cref="ProbeOptions.UpdateRatio"/>.</summary>
    Update,

    /// <summary><see cref="ProbeOptions.Reference"/>: the gradient on the reference set and the noise against it.</summary>
    Reference,

    /// <summary><see cref="ProbeOptions.Histograms"/>.</summary>
    Histograms,

    /// <summary><see cref="ProbeOptions.Jacobian"/>.</summary>
    Jacobian,

    /// <summary><see cref="ProbeOptions.Spectral"/>.</summary>
    Spectral,

    /// <summary>
    /// <see cref="ProbeOptions.Reference"/>'s schedule, on the training batch: the probes through time of recurrent
    /// layers (a profile is τ records per quantity, so they run as sparsely as the reference set; they need none).
    /// </summary>
    Time,
}
