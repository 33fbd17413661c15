namespace Gradscope.Data;

/// <summary>
/// Standardisation of the input features, x ← (x − mean)/scale per feature, with the statistics of the training
/// split only; saved with the model (docs/model-format.md) so a model is always fed its own scaling. A constant
/// feature has scale 1 (it becomes 0).
/// </summary>
public sealed record FeatureScaling(double[] Mean, double[] Scale)
{
    public int Features => Mean.Length;

    /// <summary>Mean and population standard deviation of each feature over training rows, [rows × features] row-major.</summary>
    internal static FeatureScaling Of(ReadOnlySpan<double> rows, int features)
    {
        int n = rows.Length / features;
        var mean = new double[features];
        var scale = new double[features];
        for (int r = 0; r < n; r++)
        {
            var x = rows.Slice(r * features, features);
            for (int j = 0; j < features; j++) mean[j] += x[j];
        }
        for (int j = 0; j < features; j++) mean[j] /= Math.Max(1, n);
        for (int r = 0; r < n; r++)
        {
            var x = rows.Slice(r * features, features);
            for (int j = 0; j < features; j++) scale[j] += (x[j] - mean[j]) * (x[j] - mean[j]);
        }
        for (int j = 0; j < features; j++)
        {
            double sd = Math.Sqrt(scale[j] / Math.Max(1, n));
            scale[j] = sd > 0 && double.IsFinite(sd) ? sd : 1;
        }
        return new FeatureScaling(mean, scale);
    }

    /// <summary>Standardises rows of <see cref="Features"/> values in place.</summary>
    public void Apply(Span<double> rows)
    {
        int features = Features;
        for (int r = 0; r < rows.Length / features; r++)
            for (int j = 0; j < features; j++) rows[r * features + j] = (rows[r * features + j] - Mean[j]) / Scale[j];
    }
}
