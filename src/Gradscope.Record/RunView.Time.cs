namespace Gradscope.Record;

/// <summary>
/// Quantities through time: a recurrent layer's per-step records (with t) read as profiles over t = 1…τ, one per
/// measured training step. At init and at end mean what they mean for every quantity: the first and the last
/// measured step.
/// </summary>
public sealed partial class RunView
{
    // (quantity, layer) → training step → values by t (index t − 1; NaN where a step was not recorded).
    private readonly Dictionary<(string Quantity, int Layer), SortedDictionary<long, double[]>> _profiles = [];

    private void AddTimed(in MetricRecord m)
    {
        int t = m.T!.Value;
        if (t < 1) return;
        if (!_profiles.TryGetValue((m.Quantity, m.Layer), out var bySteps)) _profiles[(m.Quantity, m.Layer)] = bySteps = [];
        if (!bySteps.TryGetValue(m.Step, out var values) || values.Length < t)
        {
            var grown = new double[Math.Max(t, values?.Length ?? 0)];
            Array.Fill(grown, double.NaN);
            values?.CopyTo(grown, 0);
            bySteps[m.Step] = values = grown;
        }
        values[t - 1] = m.Value;
    }

    /// <summary>Whether any layer has a profile of <paramref name="quantity"/>.</summary>
    public bool HasProfile(string quantity) => _profiles.Keys.Any(k => k.Quantity == quantity);

    /// <summary>The layers with a profile of <paramref name="quantity"/> (the recurrent layers), ascending.</summary>
    public IReadOnlyList<int> ProfileLayers(string quantity) => [.. _profiles.Keys.Where(k => k.Quantity == quantity).Select(k => k.Layer).Order()];

    /// <summary>The training steps at which the profile was measured, ascending.</summary>
    public IReadOnlyList<long> ProfileSteps(string quantity, int layer) =>
        _profiles.TryGetValue((quantity, layer), out var bySteps) ? [.. bySteps.Keys] : [];

    /// <summary>Values over t = 1…τ at one training step (index t − 1); empty when not measured there.</summary>
    public IReadOnlyList<double> Profile(string quantity, int layer, long step) =>
        _profiles.TryGetValue((quantity, layer), out var bySteps) && bySteps.TryGetValue(step, out var values) ? values : [];

    /// <summary>The profile at the first measured step (before any update); empty when never measured.</summary>
    public IReadOnlyList<double> ProfileAtInit(string quantity, int layer) =>
        _profiles.TryGetValue((quantity, layer), out var bySteps) && bySteps.Count > 0 ? bySteps.First().Value : [];

    /// <summary>The profile at the last measured step (the run's final step for a finished run); empty when never measured.</summary>
    public IReadOnlyList<double> ProfileAtEnd(string quantity, int layer) =>
        _profiles.TryGetValue((quantity, layer), out var bySteps) && bySteps.Count > 0 ? bySteps.Last().Value : [];

    /// <summary>τ of a layer's profile (0 when it has none).</summary>
    public int TimeSteps(string quantity, int layer) =>
        _profiles.TryGetValue((quantity, layer), out var bySteps) ? bySteps.Values.Max(v => v.Length) : 0;
}
