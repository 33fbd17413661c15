namespace Gradscope.Probes;

/// <summary>
/// Which probes run and when, one schedule per <see cref="ProbeGroup"/>. Presets go from cheap to full, as the
/// probes' <see cref="ProbeTier"/>s: <c>minimal</c> (norms and gains; the reference-set gradient and its noise on a
/// sparse log schedule), <c>standard</c> (+ σ' statistics, saturation, dead units, activation statistics, weight
/// norms, update ratio), <c>full</c> (+ histograms, spectral norms, Jacobian spectrum). Schedules are strings for
/// <see cref="Schedule.Parse"/>, so a spec file can override any of them.
/// </summary>
public sealed record ProbeOptions
{
    public string Preset { get; init; } = "standard";

    /// <summary>Norms, ‖δ^l‖, gains and factors of the mini-batch; non-finite detection always runs with them.</summary>
    public string Norms { get; init; } = "every:1";

    /// <summary>σ' statistics, saturation, dead units, activation mean/std, weight norm.</summary>
    public string Statistics { get; init; } = "never";

    /// <summary>‖ΔW^l‖/‖W^l‖ (copies the weights before the update on due steps).</summary>
    public string UpdateRatio { get; init; } = "never";

    /// <summary>Gradient on the reference set (Nielsen's speed of learning) and the noise of the mini-batch gradient against it.</summary>
    public string Reference { get; init; } = "never";

    public string Histograms { get; init; } = "never";
    public string Spectral { get; init; } = "never";
    public string Jacobian { get; init; } = "never";

    /// <summary>Size of the fixed reference set: the first N training examples (Nielsen used 1,000).</summary>
    public int ReferenceSize { get; init; } = 1000;

    /// <summary>Inputs at which the Jacobian spectrum is taken.</summary>
    public int JacobianInputs { get; init; } = 3;

    public static IReadOnlyList<string> Presets { get; } = ["none", "minimal", "standard", "full"];

    public static ProbeOptions FromPreset(string name) => (name ?? "").Trim().ToLowerInvariant() switch
    {
        "none" => new ProbeOptions { Preset = "none", Norms = "never" },
        "minimal" => new ProbeOptions { Preset = "minimal", Reference = "log+every:5000" },
        "standard" => new ProbeOptions
        {
            Preset = "standard",
            Statistics = "every:1",
            UpdateRatio = "every:10",
            Reference = "log+every:1000",
        },
        "full" => new ProbeOptions
        {
            Preset = "full",
            Statistics = "every:1",
            UpdateRatio = "every:1",
            Reference = "log+every:500",
            Histograms = "log+every:1000",
            Spectral = "every:100",
            Jacobian = "log+every:2000",
        },
        _ => throw new ArgumentException($"Unknown probe preset '{name}'. Valid: {string.Join(", ", Presets)}."),
    };

    /// <summary>
    /// The same options with every-step schedules thinned for a run of <paramref name="totalSteps"/> steps: a log
    /// schedule plus every N steps, N chosen so each quantity is measured about <paramref name="measurements"/>
    /// times. A 30-epoch run of Nielsen's net has 150,000 steps; measuring all of them would write millions of records
    /// for curves that 2,000 points draw as well.
    /// </summary>
    public ProbeOptions ThinnedFor(long totalSteps, int measurements = 2000)
    {
        long every = Math.Max(1, totalSteps / Math.Max(1, measurements));
        if (every == 1) return this;
        string Thin(string schedule, long factor = 1)
        {
            var s = Schedule.Parse(schedule);
            if (s.Every == 0 || s.Every >= every * factor) return schedule;
            return new Schedule((int)Math.Min(int.MaxValue, every * factor), true).ToString();
        }
        return this with { Norms = Thin(Norms), Statistics = Thin(Statistics), UpdateRatio = Thin(UpdateRatio, 10) };
    }

    /// <summary>
    /// The same options with the reference-set schedule spaced so that its passes cost at most
    /// <paramref name="fraction"/> of training: each takes <see cref="ReferenceSize"/> examples forward and back, so
    /// "every N steps" at batch size B costs ReferenceSize/(N·B). Nielsen's 1,000 images every 1,000 steps of 10 cost
    /// 10%; the log part of the schedule, which draws the first steps, is kept.
    /// </summary>
    public ProbeOptions WithReferenceBudget(int batchSize, double fraction = 0.02)
    {
        var s = Schedule.Parse(Reference);
        if (s.Every == 0 || batchSize < 1) return this;
        long every = (long)Math.Ceiling(ReferenceSize / (batchSize * fraction));
        if (s.Every >= every) return this;
        return this with { Reference = new Schedule((int)Math.Min(int.MaxValue, every), s.Log).ToString() };
    }

    public void Validate()
    {
        foreach (var s in new[] { Norms, Statistics, UpdateRatio, Reference, Histograms, Spectral, Jacobian }) Schedule.Parse(s);
        if (ReferenceSize < 1) throw new ArgumentException($"Invalid reference set size: {ReferenceSize} (must be at least 1).");
        if (JacobianInputs < 1) throw new ArgumentException($"Invalid Jacobian input count: {JacobianInputs} (must be at least 1).");
    }
}
