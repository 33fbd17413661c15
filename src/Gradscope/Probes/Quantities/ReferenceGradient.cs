using System.Numerics;
using Gradscope.Model;
using Gradscope.Observation;

namespace Gradscope.Probes.Quantities;

/// <summary>
/// The one pass behind the reference-set quantities: ∂C/∂θ on the fixed reference set at the weights the step
/// starts from, asked of the model once per due step (<see cref="IModelAccess{T}.ComputeGradient"/>).
/// </summary>
internal sealed class ReferenceGradient<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private long _step = -1;

    public ReadOnlySpan<T> Of(ProbeContext<T> context, int layer, ParameterRole role)
    {
        if (_step != context.StepSerial)
        {
            _step = context.StepSerial;
            context.Model.ComputeGradient(context.ReferenceData!);
        }
        return context.Model.GradientOf(layer, role);
    }
}

/// <summary>‖∂C/∂b^l‖ on the reference set: Nielsen's speed of learning, free of mini-batch noise.</summary>
internal sealed class ReferenceBiasGradNorm<T>(ReferenceGradient<T> reference) : Probe<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public override string Quantity => Record.Quantity.ReferenceBiasGradNorm;
    public override ProbeTier Tier => ProbeTier.Minimal;
    public override ProbeGroup Group => ProbeGroup.Reference;

    public override void BeforeStep(ProbeContext<T> context, int layer) =>
        context.Emit(layer, Quantity, Numerics.Reductions.Norm(reference.Of(context, layer, ParameterRole.Bias)));
}

/// <summary>‖∂C/∂W^l‖ on the reference set.</summary>
internal sealed class ReferenceWeightGradNorm<T>(ReferenceGradient<T> reference) : Probe<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public override string Quantity => Record.Quantity.ReferenceWeightGradNorm;
    public override ProbeTier Tier => ProbeTier.Minimal;
    public override ProbeGroup Group => ProbeGroup.Reference;

    public override void BeforeStep(ProbeContext<T> context, int layer) =>
        context.Emit(layer, Quantity, Numerics.Reductions.Norm(reference.Of(context, layer, ParameterRole.Weight)));
}
