namespace Gradscope.Record;

/// <summary>
/// The speed of learning of the first hidden layer over that of the last hidden layer, ‖∂C/∂b¹‖ / ‖∂C/∂b^{L−1}‖:
/// below 1 the early layers lag (vanishing), above 1 they race ahead (exploding). The output layer is left out on
/// purpose: its δ comes straight from the cost, not through the backward product. NaN, with <see cref="Reason"/>,
/// when there is no pair of hidden layers or a speed is missing.
/// </summary>
public readonly record struct SpeedRatio(double Value, string? Reason = null)
{
    /// <summary>How the ratio is named wherever it is shown.</summary>
    public const string Name = "first hidden ÷ last hidden";

    public bool IsFinite => double.IsFinite(Value) && Value > 0;

    /// <summary>
    /// The ratio from the speed of each layer (index 0 = layer 1 … L−1 = the output layer); the one definition the
    /// record views and the live progress line share.
    /// </summary>
    public static SpeedRatio Of(IReadOnlyList<double> speedByLayer)
    {
        ArgumentNullException.ThrowIfNull(speedByLayer);
        int depth = speedByLayer.Count;
        if (depth < 3) return new(double.NaN, depth < 2 ? "the net has no hidden layer" : "the net has one hidden layer, so no first/last pair");
        double first = speedByLayer[0], last = speedByLayer[depth - 2];
        if (double.IsNaN(first) || double.IsNaN(last)) return new(double.NaN, "the speed of learning was not measured");
        if (!double.IsFinite(first) || !double.IsFinite(last)) return new(double.NaN, "the speed of learning is not finite");
        if (last <= 0) return new(double.NaN, "the last hidden layer's speed of learning is 0");
        return new(first / last);
    }

    /// <summary>As people read it: "1/26", "3.1×", or "–" (<see cref="Numbers.Ratio"/>).</summary>
    public override string ToString() => Numbers.Ratio(Value);
}
