
namespace Gradscope.Reports;

/// <summary>
/// A run's <see cref="RunView"/> (the one reader: at init, at end, typical values, the speed ratio) with the
/// reductions only plots need: a series thinned for drawing and the first and last vector of a distribution.
/// </summary>
internal sealed class RunIndex
{
    public RunIndex(RunRecord run)
    {
        Run = run;
        View = new RunView(run);
    }

    public RunRecord Run { get; }
    public RunView View { get; }

    /// <summary>Number of weight layers L; layers 1…L−1 are hidden, L is the output.</summary>
    public int Depth => View.Depth;

    public bool Has(string quantity) => View.Has(quantity);

    public IReadOnlyList<MetricRecord> Records(string quantity, int layer) => View.Records(quantity, layer);

    public string SpeedQuantity => View.SpeedQuantity;

    /// <summary>A scalar series reduced to at most <paramref name="points"/> bucket means of f(value), NaNs skipped.</summary>
    public (double[] Steps, double[] Values) Thinned(string quantity, int layer, Func<double, double> f, int points = 400)
    {
        var records = Records(quantity, layer);
        if (records.Count <= points)
        {
            // Non-finite points (a run that blew up, log of zero) are left out rather than handed to the plot.
            var kept = records.Select(r => (Step: (double)r.Step, Value: f(r.Value))).Where(p => double.IsFinite(p.Value)).ToList();
            return (kept.Select(p => p.Step).ToArray(), kept.Select(p => p.Value).ToArray());
        }
        var steps = new List<double>(points);
        var values = new List<double>(points);
        for (int b = 0; b < points; b++)
        {
            int from = (int)((long)records.Count * b / points), to = (int)((long)records.Count * (b + 1) / points);
            double sum = 0, stepSum = 0;
            int n = 0;
            for (int i = from; i < to; i++)
            {
                double v = f(records[i].Value);
                if (!double.IsFinite(v)) continue;
                sum += v;
                stepSum += records[i].Step;
                n++;
            }
            if (n == 0) continue;
            steps.Add(stepSum / n);
            values.Add(sum / n);
        }
        return (steps.ToArray(), values.ToArray());
    }

    /// <summary>Vector records (histograms, spectra) at the first and last step they were measured.</summary>
    public (MetricRecord First, MetricRecord Last)? FirstAndLastVector(string quantity, int layer, int index = 0)
    {
        var records = Records(quantity, layer).Where(r => r.Values is { Length: > 0 } && r.Index == index).ToList();
        if (records.Count == 0) return null;
        return (records[0], records[^1]);
    }

    public string LayerName(int l) => View.LayerName(l);

    /// <summary>The hidden layers (layer 1 alone for a net without one), as the figures draw them.</summary>
    public int[] HiddenLayers => Depth > 1 ? Enumerable.Range(1, Depth - 1).ToArray() : [1];

    /// <summary>The hidden layers' activations, distinct, in layer order (unknown ones left out).</summary>
    public IReadOnlyList<string> HiddenActivations =>
        [.. HiddenLayers.Select(l => View.Layers.Count >= l ? View.Layers[l - 1].Activation : null).OfType<string>().Distinct()];

    /// <summary>
    /// The title of the σ' ≈ 0 figure in the words that fit the hidden layers (<see cref="RunView.SaturationKind"/>):
    /// ReLU-family units are inactive where z &lt; 0, not saturated.
    /// </summary>
    public string SilentUnitsTitle
    {
        get
        {
            var kinds = HiddenLayers.Where(l => View.Layers.Count >= l).Select(View.SaturationKind).Distinct().ToList();
            return kinds switch
            {
                ["inactive"] => "Inactive (z < 0) and dead units",
                _ when kinds.Contains("inactive") => "Saturated or inactive, and dead units",
                _ => "Saturated and dead units",
            };
        }
    }
}
