using System.Numerics;

namespace Gradscope.Model.Layers;

/// <summary>
/// Batch normalisation (Ioffe &amp; Szegedy 2015): μ and σ² per unit over the mini-batch, or the running averages
/// at inference. With batch statistics ∂C/∂u = (1/σ)(d − mean(d) − û·mean(d ⊙ û)), the means over the batch; with
/// running statistics the normaliser is a fixed affine map and ∂C/∂u = d/σ.
/// </summary>
public sealed class BatchNormLayer<T> : NormalizedLayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Weight of the newest batch in the running averages.</summary>
    public const double RunningMomentum = 0.1;

    public BatchNormLayer(int index, int fanIn, int fanOut, Activation activation) : base(index, fanIn, fanOut, activation)
    {
        RunningMean = new T[fanOut];
        RunningVariance = new T[fanOut];
        RunningVariance.AsSpan().Fill(T.One);
    }

    /// <summary>Running mean of u per unit (used at evaluation).</summary>
    public T[] RunningMean { get; }

    /// <summary>Running (unbiased) variance of u per unit.</summary>
    public T[] RunningVariance { get; }

    public override IReadOnlyList<T[]> State => [RunningMean, RunningVariance];

    private protected override void Normalize(Span<T> hat, NormalizationBuffers<T> buffers, in PassContext pass)
    {
        int count = pass.Count, width = FanOut;
        Span<double> inverse = buffers.InverseStd;
        buffers.BatchStatistics = pass.Mode != ForwardMode.Inference;
        for (int j = 0; j < width; j++)
        {
            double mean, inv;
            if (pass.Mode == ForwardMode.Inference)
            {
                mean = double.CreateTruncating(RunningMean[j]);
                inv = 1 / Math.Sqrt(double.CreateTruncating(RunningVariance[j]) + NormEpsilon);
            }
            else
            {
                (mean, double variance) = Standardization.Moments<T>(hat[j..], count, width);
                inv = 1 / Math.Sqrt(variance + NormEpsilon);
                if (pass.Mode == ForwardMode.Training)
                {
                    // Running variance is unbiased (m/(m−1)), as in Ioffe & Szegedy's inference step.
                    double unbiased = count > 1 ? variance * count / (count - 1) : variance;
                    const double k = RunningMomentum;
                    RunningMean[j] = T.CreateTruncating((1 - k) * double.CreateTruncating(RunningMean[j]) + k * mean);
                    RunningVariance[j] = T.CreateTruncating((1 - k) * double.CreateTruncating(RunningVariance[j]) + k * unbiased);
                }
            }
            inverse[j] = inv;
            Standardization.Shift(hat[j..], count, width, mean, inv);
        }
    }

    private protected override void NormalizeBackward(Span<T> d, ReadOnlySpan<T> hat, NormalizationBuffers<T> buffers, int count)
    {
        ReadOnlySpan<double> inverse = buffers.InverseStd;
        if (buffers.BatchStatistics)
        {
            for (int j = 0; j < FanOut; j++) Standardization.Project(d[j..], hat[j..], FanOut, count, inverse[j]);
            return;
        }
        for (int r = 0; r < count; r++)
            for (int j = 0; j < FanOut; j++)
                d[r * FanOut + j] = T.CreateTruncating(double.CreateTruncating(d[r * FanOut + j]) * inverse[j]);
    }
}
