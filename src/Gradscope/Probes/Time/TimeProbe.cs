using System.Numerics;
using Gradscope.Model;
using Gradscope.Observation;

namespace Gradscope.Probes.Time;

/// <summary>
/// A quantity through time of a recurrent layer. <see cref="Probe{T}.MeasureStep"/> sees each step's view t = τ … 1
/// of the step being measured, <see cref="Probe{T}.Measure(ProbeContext{T}, in LayerView{T})"/> the layer's whole view
/// after them, where it writes its records (<see cref="ProbeContext{T}.EmitThroughTime"/>). Due with
/// <see cref="ProbeGroup.Time"/>; what each records is in docs/recurrent.md.
/// </summary>
internal abstract class TimeProbe<T> : Probe<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public override ProbeTier Tier => ProbeTier.Minimal;
    public override ProbeGroup Group => ProbeGroup.Time;

    /// <summary>The probes through time, in the order they record, when the model has a recurrent layer; none otherwise.</summary>
    public static IReadOnlyList<Probe<T>> All(IModelAccess<T> model)
    {
        ArgumentNullException.ThrowIfNull(model);
        bool recurrent = false;
        for (int l = 1; l <= model.Depth; l++) recurrent |= model.Find(l, ParameterRole.Recurrent) is not null;
        if (!recurrent) return [];
        // Probes that share a pass share its cache: one per pass, measured by whichever of them asks first.
        var norms = new TimeNorms<T>();
        var blocks = new RecurrentBlocks<T>();
        var gates = new GateSums<T>();
        return
        [
            new TimeGradNorm<T>(norms), new TimeGradRatio<T>(norms), new TimeGain<T>(norms), new TimeWeightFactor<T>(norms),
            new TimeActivationFactor<T>(norms), new CellGradNorm<T>(), new RecurrentSpectralNorm<T>(blocks),
            new RecurrentSpectralRadius<T>(blocks), new RecurrentBound<T>(), new GateMean<T>(gates), new GateSaturation<T>(gates),
        ];
    }

    /// <summary>The root-mean-square over the batch of each example's norm, ‖matrix‖_F/√m, as for ‖δ^l‖.</summary>
    internal static double Rms(ReadOnlySpan<T> matrix, int batch) => Numerics.Reductions.Norm(matrix) / Math.Sqrt(batch);
}
