using System.Numerics;
using Gradscope.Data;
using Gradscope.Model;
using Gradscope.Numerics;

namespace Gradscope.Training;

/// <summary>
/// Mean cost and classification accuracy of a network on a data set; for real-valued targets (no labels) the
/// accuracy is NaN and <see cref="RSquared"/> = 1 − Σ(a − y)²/Σ(y − ȳ)² (over every output, ȳ per output, on the
/// same examples) and <see cref="Rmse"/> = √(mean (a − y)²) are set instead. With a label at every step (sequence
/// labelling) each step is classified: <see cref="Correct"/> and <see cref="Count"/> count labelled steps.
/// </summary>
public sealed record Evaluation(double Cost, double Accuracy, int Correct, int Count, double RSquared = double.NaN, double Rmse = double.NaN)
{
    private const int Chunk = 500;

    /// <summary>
    /// Evaluates in chunks. Accuracy compares argmax outputs to labels (NaN for unlabelled data).
    /// <paramref name="lambda"/> &gt; 0 adds Nielsen's (λ/2n)Σw² to the cost, n = the data's size.
    /// </summary>
    public static Evaluation Of<T>(Network<T> network, Dataset<T> data, double lambda = 0, ComputePool? pool = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        if (data.InputSize != network.InputSize || data.OutputSize != network.OutputSize)
            throw new ArgumentException($"Data '{data.Name}' is {data.InputSize}→{data.OutputSize} but the network is {network.InputSize}→{network.OutputSize}.");
        // A recurrent net keeps every step of every example: fewer examples per chunk.
        int chunk = Math.Max(16, Chunk / network.TimeSteps);
        var ws = new Workspace<T>(network, Math.Max(1, Math.Min(chunk, data.Count)));
        double cost = 0, residual = 0;
        int correct = 0;
        int outputs = network.OutputSize, steps = data.TargetSteps, classes = data.StepOutputs;
        for (int start = 0; start < data.Count; start += ws.Capacity)
        {
            int count = Math.Min(ws.Capacity, data.Count - start);
            ws.Load(data, start, count);
            Backprop.Forward(network, ws, count, pool);
            cost += Backprop.BatchCost(network, ws, count) * count;
            var output = ws.Output(count);
            if (!data.HasLabels)
            {
                var y = data.Targets.Slice(start * outputs, count * outputs);
                for (int k = 0; k < y.Length; k++)
                {
                    double d = double.CreateChecked(output[k]) - double.CreateChecked(y[k]);
                    residual += d * d;
                }
                continue;
            }
            for (int r = 0; r < count; r++)
                for (int t = 0; t < steps; t++)
                {
                    var row = output.Slice(r * outputs + t * classes, classes);
                    int best = 0;
                    for (int j = 1; j < classes; j++) if (row[j] > row[best]) best = j;
                    if (best == data.Label(start + r, t)) correct++;
                }
        }
        cost /= Math.Max(1, data.Count);
        if (lambda > 0)
        {
            double squares = 0;
            foreach (var parameter in network.Parameters)
                if (parameter.IsDecayed)
                    foreach (var w in parameter.Values) squares += double.CreateChecked(w * w);
            cost += 0.5 * lambda / data.Count * squares;
        }
        int labelled = data.Count * steps;
        double accuracy = data.HasLabels ? correct / (double)Math.Max(1, labelled) : double.NaN;
        if (data.HasLabels || data.Count == 0) return new Evaluation(cost, accuracy, correct, labelled);
        double total = TotalSquares(data);
        return new Evaluation(cost, accuracy, correct, data.Count,
            total > 0 ? 1 - residual / total : double.NaN, Math.Sqrt(residual / ((double)data.Count * outputs)));
    }

    /// <summary>Σ_j Σ_x (y_xj − ȳ_j)², two passes in float64.</summary>
    private static double TotalSquares<T>(Dataset<T> data) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int m = data.OutputSize;
        var mean = new double[m];
        var y = data.Targets;
        for (int k = 0; k < y.Length; k++) mean[k % m] += double.CreateChecked(y[k]);
        for (int j = 0; j < m; j++) mean[j] /= data.Count;
        double total = 0;
        for (int k = 0; k < y.Length; k++)
        {
            double d = double.CreateChecked(y[k]) - mean[k % m];
            total += d * d;
        }
        return total;
    }
}
