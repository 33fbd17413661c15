using Gradscope.Probes;

namespace Gradscope.TorchSharp;

/// <summary>
/// Where a monitored TorchSharp run is written and what is measured. <see cref="Probes"/> names one of the engine's
/// presets (<c>minimal</c>, <c>standard</c>, <c>full</c>), so a schedule means the same here as in <c>gradscope train</c>;
/// <see cref="Schedules"/> overrides it.
/// </summary>
public sealed record MonitorOptions
{
    /// <summary>The run directory to create; it must not already hold a run.</summary>
    public required string RunDirectory { get; init; }

    /// <summary>Probe preset: <c>none</c>, <c>minimal</c>, <c>standard</c> or <c>full</c>.</summary>
    public string Probes { get; init; } = "standard";

    /// <summary>Schedules to use instead of the preset's (null: the preset's).</summary>
    public ProbeOptions? Schedules { get; init; }

    /// <summary>The run's name in run.json (default: the directory's name).</summary>
    public string? Name { get; init; }

    /// <summary>The loss's name as a reader should see it (<c>cross-entropy</c>, <c>mse</c>, …).</summary>
    public string Cost { get; init; } = "";

    /// <summary>
    /// How the loss combines the examples of a batch. ‖δ‖ is the root-mean-square over the batch of each example's
    /// ‖∂C_x/∂(module output)‖, as in the engine; with a mean loss that per-example gradient is the batch size times
    /// what autograd leaves on the output.
    /// </summary>
    public LossReduction LossReduction { get; init; } = LossReduction.Mean;

    /// <summary>The data the run trains on, for run.json (default: "user data", sizes unknown).</summary>
    public DataInfo? Data { get; init; }

    /// <summary>Settings a reader should see (optimiser, η, batch, …), in the order given.</summary>
    public IReadOnlyList<RunSetting> Settings { get; init; } = [];

    public ulong Seed { get; init; }

    /// <summary>
    /// When a NaN or infinity is found, mark the run failed and throw <see cref="MonitorException"/> from
    /// <see cref="MonitorScope.Step"/> (default). When false, it is recorded and training may go on.
    /// </summary>
    public bool StopOnNonFinite { get; init; } = true;

    internal ProbeOptions ResolveSchedules()
    {
        var schedules = Schedules ?? ProbeOptions.FromPreset(Probes);
        schedules.Validate();
        return schedules;
    }
}

/// <summary>How a loss combines the examples of a batch.</summary>
public enum LossReduction
{
    /// <summary>The mean over the batch (TorchSharp's default for cross_entropy, nll_loss; mse_loss over one output per example).</summary>
    Mean,

    /// <summary>The sum over the batch.</summary>
    Sum,
}
