using System.Numerics;
using Gradscope.Data;
using Gradscope.Model;

namespace Gradscope.Observation;

/// <summary>
/// What a probe may ask of a model beyond the batch it is trained on, without knowing how the model computes it:
/// its layers' parameters and cost, the gradient of the cost on other data at the current weights, and the
/// input–output Jacobian at an input. The engine implements it (<see cref="NetworkAccess{T}"/>); an adapter for a
/// model built elsewhere implements the same questions with its own autograd.
/// </summary>
public interface IModelAccess<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Number of layers L.</summary>
    int Depth { get; }
    int InputSize { get; }
    int OutputSize { get; }
    Cost Cost { get; }

    /// <summary>The parameter of layer l with <paramref name="role"/>, or null.</summary>
    Parameter<T>? Find(int layer, ParameterRole role);

    /// <summary>
    /// ∂C/∂θ of every parameter, the mean over all of <paramref name="data"/> at the current weights (normalisation
    /// with the data's own statistics; running averages untouched). Read it back with <see cref="GradientOf"/>.
    /// </summary>
    void ComputeGradient(Dataset<T> data);

    /// <summary>Layer l's gradient for <paramref name="role"/> from the last <see cref="ComputeGradient"/>; empty when none.</summary>
    ReadOnlySpan<T> GradientOf(int layer, ParameterRole role);

    /// <summary>
    /// J = ∂z^L/∂x at input <paramref name="x"/>, row-major [OutputSize × InputSize] into <paramref name="jacobian"/>:
    /// the map of the model as evaluated on one example (batch normalisation with its running averages).
    /// </summary>
    void InputJacobian(ReadOnlySpan<T> x, Span<double> jacobian);
}
