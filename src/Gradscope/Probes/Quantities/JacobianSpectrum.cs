using System.Numerics;
using Gradscope.Numerics;
using Gradscope.Observation;

namespace Gradscope.Probes.Quantities;

/// <summary>
/// Singular values of the input–output Jacobian ∂z^L/∂x at the first <see cref="ProbeOptions.JacobianInputs"/>
/// reference inputs (layer 0, index = input), asked of the model (<see cref="IModelAccess{T}.InputJacobian"/>), so
/// it holds for normalised and residual nets as well as plain chains. The value is the largest.
/// </summary>
internal sealed class JacobianSpectrum<T> : Probe<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private double[] _jacobian = [];

    public override string Quantity => Record.Quantity.JacobianSingularValues;
    public override ProbeTier Tier => ProbeTier.Full;
    public override ProbeGroup Group => ProbeGroup.Jacobian;

    public override void BeforeStep(ProbeContext<T> context)
    {
        var model = context.Model;
        var data = context.ReferenceData!;
        if (_jacobian.Length == 0) _jacobian = new double[model.OutputSize * model.InputSize];
        int inputs = Math.Min(context.Options.JacobianInputs, data.Count);
        for (int x = 0; x < inputs; x++)
        {
            model.InputJacobian(data.Input(x), _jacobian);
            var singular = LinearAlgebra.SingularValues(_jacobian, model.OutputSize, model.InputSize);
            context.Emit(0, Quantity, singular[0], singular, x);
        }
    }
}
