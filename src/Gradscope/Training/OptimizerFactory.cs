using System.Numerics;
using Gradscope.Model;

namespace Gradscope.Training;

/// <summary>Optimisers by name, so a spec (and a prescription) chooses one with a string.</summary>
public static class OptimizerFactory
{
    /// <summary>Every name <see cref="Create{T}"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw", "rprop", "kfac"];

    /// <summary>The canonical name; throws an <see cref="ArgumentException"/> naming an unknown one.</summary>
    public static string CheckName(string? name)
    {
        string key = (name ?? "").Trim().ToLowerInvariant();
        if (key == "k-fac") key = "kfac";
        if (!Names.Contains(key))
            throw new ArgumentException($"Unknown optimiser '{name}'. Valid: {string.Join(", ", Names)}.");
        return key;
    }

    /// <summary>The optimiser <paramref name="options"/> names, with its hyper-parameters from the same options.</summary>
    public static IOptimizer<T> Create<T>(TrainingOptions options, Network<T> network) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(network);
        options.Validate();
        return CheckName(options.Optimizer) switch
        {
            "sgd" => new Sgd<T>(),
            "momentum" => new Momentum<T>(options.Momentum, nesterov: false),
            "nesterov" => new Momentum<T>(options.Momentum, nesterov: true),
            "adagrad" => new AdaGrad<T>(options.Epsilon),
            "rmsprop" => new RmsProp<T>(options.Decay, options.Epsilon),
            "adam" => new Adam<T>(options.Beta1, options.Beta2, options.Epsilon),
            "adamw" => new Adam<T>(options.Beta1, options.Beta2, options.Epsilon, options.WeightDecay),
            "rprop" => new Rprop<T>(),
            "kfac" => new Kfac<T>(network, options.Decay, options.Damping, options.KfacInverseEvery, options.KfacStatsEvery, options.KfacRank),
            var other => throw new InvalidOperationException(other),
        };
    }
}
