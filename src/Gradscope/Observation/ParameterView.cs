using System.Numerics;
using Gradscope.Model;

namespace Gradscope.Observation;

/// <summary>A parameter and its gradient of the current pass, as a layer view hands them out; empty when the layer has no such parameter.</summary>
public readonly ref struct ParameterView<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    internal ParameterView(Parameter<T>? parameter, ReadOnlySpan<T> gradient)
    {
        Parameter = parameter;
        Gradient = gradient;
    }

    /// <summary>The parameter, or null in an empty view.</summary>
    public Parameter<T>? Parameter { get; }
    public bool Exists => Parameter is not null;

    /// <summary>θ, row-major [Rows × Columns].</summary>
    public ReadOnlySpan<T> Values => Parameter is null ? default : Parameter.Values;

    /// <summary>∂C/∂θ, mean over the batch.</summary>
    public ReadOnlySpan<T> Gradient { get; }
}
