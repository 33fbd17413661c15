using System.Numerics;
using Gradscope.Model;

namespace Gradscope.Training;

/// <summary>
/// Batch and layer normalisation of a layer's dense product u = W a^{l−1} (already in <c>Hat</c>), forward and
/// backward side by side: û = (u − μ)/√(σ² + ε), z = γ ⊙ û + b. Batch normalisation takes μ, σ² per unit over
/// the batch (or its running averages at inference); layer normalisation per example over the units.
/// Statistics are accumulated in float64, since a float32 variance of near-equal values loses its digits.
/// </summary>
internal static class Normalizer
{
    public static void Forward<T>(DenseLayer<T> layer, Workspace<T> ws, int i, int count, ForwardMode mode)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int width = layer.FanOut;
        Span<T> hat = ws.Hat[i].AsSpan(0, count * width);
        Span<double> inverse = ws.InverseStd[i];
        if (layer.Normalization == Normalization.Layer)
        {
            for (int r = 0; r < count; r++)
                inverse[r] = Standardize(hat.Slice(r * width, width), 1);
        }
        else if (mode == ForwardMode.Inference)
        {
            ws.BatchStatistics = false;
            for (int j = 0; j < width; j++)
            {
                double mean = double.CreateTruncating(layer.RunningMean[j]);
                double inv = 1 / Math.Sqrt(double.CreateTruncating(layer.RunningVariance[j]) + DenseLayer<T>.NormEpsilon);
                inverse[j] = inv;
                for (int r = 0; r < count; r++)
                    hat[r * width + j] = T.CreateTruncating((double.CreateTruncating(hat[r * width + j]) - mean) * inv);
            }
        }
        else
        {
            ws.BatchStatistics = true;
            for (int j = 0; j < width; j++)
            {
                var (mean, variance) = Moments(hat[j..], count, width);
                double inv = 1 / Math.Sqrt(variance + DenseLayer<T>.NormEpsilon);
                inverse[j] = inv;
                for (int r = 0; r < count; r++)
                    hat[r * width + j] = T.CreateTruncating((double.CreateTruncating(hat[r * width + j]) - mean) * inv);
                if (mode == ForwardMode.Training)
                {
                    // Running variance is unbiased (m/(m−1)), as in Ioffe & Szegedy's inference step.
                    double unbiased = count > 1 ? variance * count / (count - 1) : variance;
                    const double k = DenseLayer<T>.RunningMomentum;
                    layer.RunningMean[j] = T.CreateTruncating((1 - k) * double.CreateTruncating(layer.RunningMean[j]) + k * mean);
                    layer.RunningVariance[j] = T.CreateTruncating((1 - k) * double.CreateTruncating(layer.RunningVariance[j]) + k * unbiased);
                }
            }
        }
        Span<T> z = ws.Z[i].AsSpan(0, count * width);
        for (int r = 0; r < count; r++)
            for (int j = 0; j < width; j++)
                z[r * width + j] = layer.Scale[j] * hat[r * width + j] + layer.Biases[j];
    }

    /// <summary>
    /// From δ = ∂C/∂z (rows, per example): ∂C/∂γ = (1/m) Σ_x δ ⊙ û, and ∂C/∂u into <c>NormGradient</c>:
    /// with batch statistics ∂C/∂u = (1/σ)(d − mean(d) − û·mean(d ⊙ û)), d = γ ⊙ δ, the means taken where the
    /// statistics were (over the batch per unit, or over the units per example); with running statistics the
    /// normaliser is a fixed affine map and ∂C/∂u = d/σ.
    /// </summary>
    public static void Backward<T>(DenseLayer<T> layer, Workspace<T> ws, int i, int count)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int width = layer.FanOut;
        ReadOnlySpan<T> delta = ws.Delta[i].AsSpan(0, count * width);
        ReadOnlySpan<T> hat = ws.Hat[i].AsSpan(0, count * width);
        Span<T> d = ws.NormGradient[i].AsSpan(0, count * width);
        ReadOnlySpan<double> inverse = ws.InverseStd[i];
        Span<T> gradGamma = ws.ScaleGradient[i];
        for (int j = 0; j < width; j++)
        {
            double sum = 0;
            for (int r = 0; r < count; r++) sum += double.CreateTruncating(delta[r * width + j] * hat[r * width + j]);
            gradGamma[j] = T.CreateTruncating(sum / count);
        }
        for (int r = 0; r < count; r++)
            for (int j = 0; j < width; j++) d[r * width + j] = layer.Scale[j] * delta[r * width + j];

        if (layer.Normalization == Normalization.Layer)
        {
            for (int r = 0; r < count; r++)
                Project(d.Slice(r * width, width), hat.Slice(r * width, width), 1, width, inverse[r]);
        }
        else if (ws.BatchStatistics)
        {
            for (int j = 0; j < width; j++) Project(d[j..], hat[j..], width, count, inverse[j]);
        }
        else
        {
            for (int r = 0; r < count; r++)
                for (int j = 0; j < width; j++)
                    d[r * width + j] = T.CreateTruncating(double.CreateTruncating(d[r * width + j]) * inverse[j]);
        }
    }

    /// <summary>Standardises n values spaced by <paramref name="stride"/> in place; returns 1/√(σ² + ε).</summary>
    private static double Standardize<T>(Span<T> x, int stride) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = (x.Length + stride - 1) / stride;
        var (mean, variance) = Moments(x, n, stride);
        double inv = 1 / Math.Sqrt(variance + DenseLayer<T>.NormEpsilon);
        for (int k = 0; k < n; k++) x[k * stride] = T.CreateTruncating((double.CreateTruncating(x[k * stride]) - mean) * inv);
        return inv;
    }

    private static (double Mean, double Variance) Moments<T>(ReadOnlySpan<T> x, int n, int stride)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double mean = 0;
        for (int k = 0; k < n; k++) mean += double.CreateTruncating(x[k * stride]);
        mean /= n;
        double variance = 0;
        for (int k = 0; k < n; k++)
        {
            double c = double.CreateTruncating(x[k * stride]) - mean;
            variance += c * c;
        }
        return (mean, variance / n);
    }

    /// <summary>d ← inv·(d − mean(d) − û·mean(d ⊙ û)) over n values spaced by <paramref name="stride"/>.</summary>
    private static void Project<T>(Span<T> d, ReadOnlySpan<T> hat, int stride, int n, double inv)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double meanD = 0, meanDHat = 0;
        for (int k = 0; k < n; k++)
        {
            double dk = double.CreateTruncating(d[k * stride]);
            meanD += dk;
            meanDHat += dk * double.CreateTruncating(hat[k * stride]);
        }
        meanD /= n;
        meanDHat /= n;
        for (int k = 0; k < n; k++)
        {
            double dk = double.CreateTruncating(d[k * stride]);
            d[k * stride] = T.CreateTruncating(inv * (dk - meanD - double.CreateTruncating(hat[k * stride]) * meanDHat));
        }
    }
}
