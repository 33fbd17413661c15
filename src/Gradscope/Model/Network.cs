using System.Numerics;
using Gradscope.Model.Layers;
using Gradscope.Numerics;

namespace Gradscope.Model;

/// <summary>
/// A network: a sequence of layers (<see cref="ILayer{T}"/>, index l = 1 … L) and the list of their parameters.
/// Training state lives elsewhere.
/// </summary>
public sealed class Network<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ILayer<T>[] _layers;

    private Network(NetworkSpec spec)
    {
        spec.Validate();
        Spec = spec;
        Cost = Cost.Parse(spec.Cost);
        _layers = new ILayer<T>[spec.Depth];
        for (int l = 1; l <= spec.Depth; l++) _layers[l - 1] = LayerFor(spec, l);
        var parameters = new List<Parameter<T>>();
        foreach (var layer in _layers)
            for (int s = 0; s < layer.Parameters.Count; s++)
            {
                var p = layer.Parameters[s];
                if (p.Slot != s) throw new InvalidOperationException($"Parameter {p.Name} is in slot {s} but says {p.Slot}.");
                p.Index = parameters.Count;
                parameters.Add(p);
            }
        Parameters = parameters;
    }

    public NetworkSpec Spec { get; }
    public Cost Cost { get; }
    public IReadOnlyList<ILayer<T>> Layers => _layers;

    /// <summary>Every trained tensor, layer by layer in slot order; <see cref="Parameter{T}.Index"/> is the position here.</summary>
    public IReadOnlyList<Parameter<T>> Parameters { get; }

    /// <summary>Number of layers L.</summary>
    public int Depth => _layers.Length;
    /// <summary>Values per example the network reads (τ·inputs per step for a recurrent net).</summary>
    public int InputSize => _layers[0].InputWidth;

    /// <summary>The most time steps of any layer (1 without recurrent layers).</summary>
    public int TimeSteps
    {
        get
        {
            int steps = 1;
            foreach (var layer in _layers) steps = Math.Max(steps, layer.TimeSteps);
            return steps;
        }
    }
    /// <summary>Values per example the network writes (τ·outputs per step for a read-out at every step).</summary>
    public int OutputSize => _layers[^1].OutputWidth;

    /// <summary>Layer l, 1-based (Nielsen's index).</summary>
    public ILayer<T> Layer(int l) => _layers[l - 1];

    /// <summary>The parameter of layer l with the given role, or null.</summary>
    public Parameter<T>? Find(int l, ParameterRole role)
    {
        // Indexed, not foreach: the trainer asks every step, and an interface enumerator is an allocation.
        var parameters = _layers[l - 1].Parameters;
        for (int s = 0; s < parameters.Count; s++) if (parameters[s].Role == role) return parameters[s];
        return null;
    }

    public long ParameterCount
    {
        get
        {
            long n = 0;
            foreach (var p in Parameters) n += p.Length;
            return n;
        }
    }

    /// <summary>
    /// Weight layer l of the spec: dense, batch- or layer-normalised, in a residual block where the spec says; for a
    /// recurrent spec, its hidden layers recurrent and the output a read-out of the last step or of every step.
    /// </summary>
    private static ILayer<T> LayerFor(NetworkSpec spec, int l)
    {
        int fanIn = spec.Layers[l - 1], fanOut = spec.Layers[l];
        var activation = spec.ActivationOf(l);
        if (spec.Recurrent is { } recurrent && l < spec.Depth)
        {
            var output = l < spec.Depth - 1 ? RecurrentOutput.TimeMajor
                : recurrent.EveryStep ? RecurrentOutput.ExampleMajor : RecurrentOutput.LastStep;
            return new RecurrentLayer<T>(l, recurrent.Kind, fanIn, fanOut, recurrent.Steps, activation, sequenceInput: l > 1, output, recurrent.Bptt);
        }
        if (spec.Recurrent is { EveryStep: true } sequence) return new StepReadoutLayer<T>(l, fanIn, fanOut, sequence.Steps, activation);
        ILayer<T> layer = spec.NormalizationOf(l) switch
        {
            Normalization.Batch => new BatchNormLayer<T>(l, fanIn, fanOut, activation),
            Normalization.Layer => new LayerNormLayer<T>(l, fanIn, fanOut, activation),
            _ => new DenseLayer<T>(l, fanIn, fanOut, activation),
        };
        return spec.ResidualAt(l) ? new ResidualBlock<T>(layer) : layer;
    }

    /// <summary>
    /// A network with parameters drawn from the spec's initialisers. Weights are drawn in float64 from one
    /// stream per layer and rounded to T, so float32 and float64 nets from one seed start at the same point.
    /// </summary>
    public static Network<T> Create(NetworkSpec spec, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var network = new Network<T>(spec);
        var init = Initializer.Parse(spec.Init);
        var (normalBias, constant) = NetworkSpec.ParseBiasInit(spec.BiasInit);
        var root = new Rng(seed);
        foreach (var layer in network._layers)
        {
            var rng = root.Fork((ulong)layer.Index);
            if (layer is RecurrentLayer<T> recurrentLayer)
            {
                RecurrentInit.Fill(recurrentLayer, spec.Recurrent!, rng);
                continue;
            }
            var weights = network.Find(layer.Index, ParameterRole.Weight)!;
            var w = new double[weights.Length];
            init.Fill(w, weights.Rows, weights.Columns, rng);
            for (int i = 0; i < w.Length; i++) weights.Values[i] = T.CreateChecked(w[i]);
            var biases = network.Find(layer.Index, ParameterRole.Bias)!.Values;
            for (int j = 0; j < biases.Length; j++) biases[j] = T.CreateChecked(normalBias ? rng.NextNormal() : constant);
        }
        return network;
    }

    /// <summary>A network with weights and biases zero (gains 1); callers fill them (model loading, tests).</summary>
    public static Network<T> CreateEmpty(NetworkSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new Network<T>(spec);
    }

    /// <summary>A deep copy of the parameters and layer state.</summary>
    public Network<T> Clone()
    {
        var copy = new Network<T>(Spec);
        for (int i = 0; i < Parameters.Count; i++) Parameters[i].Values.CopyTo(copy.Parameters[i].Values, 0);
        for (int i = 0; i < _layers.Length; i++)
            for (int k = 0; k < _layers[i].State.Count; k++) _layers[i].State[k].CopyTo(copy._layers[i].State[k], 0);
        return copy;
    }
}
