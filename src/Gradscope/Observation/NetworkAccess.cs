using System.Numerics;
using Gradscope.Data;
using Gradscope.Model;
using Gradscope.Training;

namespace Gradscope.Observation;

/// <summary>
/// The engine's answers to <see cref="IModelAccess{T}"/>, through the layers' own Forward and Backward, so they hold
/// for every layer the engine has (dense, normalised, residual) with no formula of their own. Workspaces are
/// allocated on first use and kept: a probe asking every few hundred steps allocates once.
/// </summary>
public sealed class NetworkAccess<T> : IModelAccess<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Network<T> _network;
    private Workspace<T>? _gradient, _jacobian;
    private T[] _inputGradient = [];

    public NetworkAccess(Network<T> network)
    {
        ArgumentNullException.ThrowIfNull(network);
        _network = network;
    }

    public int Depth => _network.Depth;
    public int InputSize => _network.InputSize;
    public int OutputSize => _network.OutputSize;
    public Cost Cost => _network.Cost;

    public Parameter<T>? Find(int layer, ParameterRole role) => _network.Find(layer, role);

    public void ComputeGradient(Dataset<T> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (_gradient is null || _gradient.Capacity < data.Count) _gradient = new Workspace<T>(_network, data.Count);
        _gradient.Load(data, 0, data.Count);
        // Batch statistics: the data is one large batch, and the running averages stay the trainer's.
        Backprop.Forward(_network, _gradient, data.Count, null, ForwardMode.Batch);
        Backprop.Backward(_network, _gradient, data.Count, null, [], default);
    }

    public ReadOnlySpan<T> GradientOf(int layer, ParameterRole role) =>
        _gradient is null ? throw new InvalidOperationException("No gradient computed yet: call ComputeGradient first.") : _gradient.GradientOf(layer, role);

    /// <summary>
    /// Row r of J is ∂z^L_r/∂x: x is copied into n_L rows, and the unit vectors e_r, given as δ^L, are propagated back
    /// through every layer's Backward in one pass over the n_L rows; ∂C/∂a^0 is then J. Costs one forward and one
    /// backward pass over n_L examples (the parameter gradients it also forms are discarded).
    /// </summary>
    public void InputJacobian(ReadOnlySpan<T> x, Span<double> jacobian)
    {
        int inputs = InputSize, outputs = OutputSize;
        if (x.Length != inputs) throw new ArgumentException($"Input of {x.Length} values for a model with {inputs} inputs.", nameof(x));
        if (jacobian.Length < outputs * inputs) throw new ArgumentException($"Jacobian of {jacobian.Length} values, need {outputs * inputs}.", nameof(jacobian));
        var ws = _jacobian ??= new Workspace<T>(_network, outputs);
        if (_inputGradient.Length == 0) _inputGradient = new T[outputs * inputs];
        for (int r = 0; r < outputs; r++) x.CopyTo(ws.Input.AsSpan(r * inputs, inputs));
        // Inference statistics make each row a function of its own input alone (batch statistics of n_L copies of x
        // would be degenerate).
        Backprop.Forward(_network, ws, outputs, null, ForwardMode.Inference);
        int last = Depth - 1;
        var delta = ws.Layers[last].Delta.AsSpan(0, outputs * outputs);
        delta.Clear();
        for (int r = 0; r < outputs; r++) delta[r * outputs + r] = T.One;
        var pass = new PassContext(outputs, null, Exact: true);
        for (int i = last; i >= 0; i--)
        {
            var layer = _network.Layers[i];
            // InputWidth, not FanIn: a layer over sequences reads τ steps of FanIn per example.
            ReadOnlySpan<T> input = i == 0 ? ws.Input.AsSpan(0, outputs * inputs) : ws.Layers[i - 1].A.AsSpan(0, outputs * layer.InputWidth);
            Span<T> inputGradient = i == 0 ? _inputGradient : ws.Layers[i - 1].ActivationGradient.AsSpan(0, outputs * layer.InputWidth);
            layer.Backward(input, ws.Layers[i], inputGradient, pass with { DeltaGiven = i == last });
        }
        for (int k = 0; k < outputs * inputs; k++) jacobian[k] = double.CreateTruncating(_inputGradient[k]);
    }
}
