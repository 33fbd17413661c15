using System.Globalization;

namespace Gradscope.Record.TensorBoard;

/// <summary>
/// How run quantities are named in TensorBoard: <c>speed_of_learning/layer_l</c> for Nielsen's speed of learning
/// (<see cref="RunView.SpeedQuantity"/>), <c>&lt;quantity&gt;/layer_l</c> for every per-layer quantity (the speed's
/// own norm included), <c>&lt;quantity&gt;/layer_l/t_k</c> for a recurrent layer's quantity at time step k (e.g.
/// <c>time_grad_norm/layer_1/t_5</c>, ‖∂C/∂h_5‖), <c>network/&lt;quantity&gt;</c> for network-wide ones, and <c>cost/train</c>,
/// <c>cost/test</c>, <c>accuracy/train</c>, <c>accuracy/test</c> after each epoch. TensorBoard groups tags by the
/// part before the slash, so each quantity gets one section with a chart per layer.
/// </summary>
public static class TensorBoardTags
{
    public const string Speed = "speed_of_learning";

    /// <summary>The quantities written as histograms (the rest of the vector quantities, e.g. Jacobian spectra, are not exported).</summary>
    public static bool IsHistogram(string quantity) => quantity is Quantity.WeightGradHistogram or Quantity.ActivationHistogram;

    public static string Of(string quantity, int layer, int index = 0, int? t = null)
    {
        string tag = layer == 0 ? $"network/{quantity}" : string.Create(CultureInfo.InvariantCulture, $"{quantity}/layer_{layer}");
        if (t is int step) tag = string.Create(CultureInfo.InvariantCulture, $"{tag}/t_{step}");
        return index == 0 ? tag : string.Create(CultureInfo.InvariantCulture, $"{tag}/input_{index}");
    }

    public static string SpeedOf(int layer) => string.Create(CultureInfo.InvariantCulture, $"{Speed}/layer_{layer}");

    /// <summary>Writes one record's events: a histogram, or a scalar (twice for the speed of learning: by its own name and as the speed).</summary>
    public static void Write(EventFileWriter writer, in MetricRecord r, string speedQuantity, DateTimeOffset wallTime)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (r.Values is { } values)
        {
            if (IsHistogram(r.Quantity) && values.Length > 0) writer.Histogram(Of(r.Quantity, r.Layer, r.Index, r.T), r.Step, values, wallTime);
            return;
        }
        writer.Scalar(Of(r.Quantity, r.Layer, r.Index, r.T), r.Step, r.Value, wallTime);
        if (r.Quantity == speedQuantity && r.Layer > 0 && r.Index == 0 && r.T is null) writer.Scalar(SpeedOf(r.Layer), r.Step, r.Value, wallTime);
    }

    /// <summary>
    /// An epoch's cost and score on the training sample and (when the run had one) the test set: accuracy, or for a
    /// regression run R² and RMSE (tags <c>r_squared/…</c>, <c>rmse/…</c>) instead.
    /// </summary>
    public static void WriteEpoch(EventFileWriter writer, EpochSummary e, DateTimeOffset wallTime)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(e);
        writer.Scalar("cost/train", e.Step, e.TrainCost, wallTime);
        if (e.IsRegression)
        {
            writer.Scalar("r_squared/train", e.Step, e.TrainRSquared ?? double.NaN, wallTime);
            writer.Scalar("rmse/train", e.Step, e.TrainRmse ?? double.NaN, wallTime);
            if (e.TestRSquared is not { } r2) return;
            writer.Scalar("cost/test", e.Step, e.TestCost, wallTime);
            writer.Scalar("r_squared/test", e.Step, r2, wallTime);
            writer.Scalar("rmse/test", e.Step, e.TestRmse ?? double.NaN, wallTime);
            return;
        }
        writer.Scalar("accuracy/train", e.Step, e.TrainAccuracy, wallTime);
        if (double.IsFinite(e.TestAccuracy))
        {
            writer.Scalar("cost/test", e.Step, e.TestCost, wallTime);
            writer.Scalar("accuracy/test", e.Step, e.TestAccuracy, wallTime);
        }
    }
}
