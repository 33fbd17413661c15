using System.Numerics;
using Gradscope.Numerics;

namespace Gradscope.Model;

/// <summary>A feedforward network of dense layers and its parameters. Training state lives elsewhere.</summary>
public sealed class Network<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly DenseLayer<T>[] _layers;

    private Network(NetworkSpec spec)
    {
        spec.Validate();
        Spec = spec;
        Cost = Cost.Parse(spec.Cost);
        _layers = new DenseLayer<T>[spec.Depth];
        for (int l = 1; l <= spec.Depth; l++)
            _layers[l - 1] = new DenseLayer<T>(l, spec.Layers[l - 1], spec.Layers[l], spec.ActivationOf(l),
                spec.NormalizationOf(l), spec.ResidualAt(l));
        HasExtensions = _layers.Any(layer => layer.Normalization != Normalization.None || layer.Residual);
    }

    public NetworkSpec Spec { get; }
    public Cost Cost { get; }
    public IReadOnlyList<DenseLayer<T>> Layers => _layers;

    /// <summary>Number of weight layers L.</summary>
    public int Depth => _layers.Length;
    public int InputSize => Spec.Layers[0];
    public int OutputSize => Spec.Layers[^1];

    /// <summary>Weight layer l, 1-based (Nielsen's index).</summary>
    public DenseLayer<T> Layer(int l) => _layers[l - 1];

    /// <summary>Whether any layer normalises or skips (probes that assume plain dense layers check it).</summary>
    public bool HasExtensions { get; }

    public long ParameterCount
    {
        get
        {
            long n = 0;
            foreach (var layer in _layers) n += layer.Weights.Length + layer.Biases.Length + layer.Scale.Length;
            return n;
        }
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
            var w = new double[layer.Weights.Length];
            init.Fill(w, layer.FanOut, layer.FanIn, rng);
            for (int i = 0; i < w.Length; i++) layer.Weights[i] = T.CreateChecked(w[i]);
            for (int j = 0; j < layer.FanOut; j++)
                layer.Biases[j] = T.CreateChecked(normalBias ? rng.NextNormal() : constant);
        }
        return network;
    }

    /// <summary>A network with all parameters zero; callers fill them (model loading, tests).</summary>
    public static Network<T> CreateEmpty(NetworkSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new Network<T>(spec);
    }

    /// <summary>A deep copy of the parameters.</summary>
    public Network<T> Clone()
    {
        var copy = new Network<T>(Spec);
        for (int i = 0; i < _layers.Length; i++)
        {
            _layers[i].Weights.CopyTo(copy._layers[i].Weights, 0);
            _layers[i].Biases.CopyTo(copy._layers[i].Biases, 0);
            _layers[i].Scale.CopyTo(copy._layers[i].Scale, 0);
            _layers[i].RunningMean.CopyTo(copy._layers[i].RunningMean, 0);
            _layers[i].RunningVariance.CopyTo(copy._layers[i].RunningVariance, 0);
        }
        return copy;
    }
}
