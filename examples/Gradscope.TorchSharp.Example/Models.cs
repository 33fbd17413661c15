using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Gradscope.TorchSharp.Example;

/// <summary>The example's models, by name: the classic vanishing cases and their cures.</summary>
public static class Models
{
    public static IReadOnlyList<string> Names { get; } = ["sigmoid-mlp", "relu-he-mlp", "batchnorm-mlp", "sigmoid-conv", "relu-he-conv"];

    /// <summary>Whether the model takes images as [batch, 1, 28, 28] (else flat [batch, 784]).</summary>
    public static bool IsConvolutional(string name) => name.EndsWith("-conv", StringComparison.Ordinal);

    public static Module<Tensor, Tensor> Create(string name, int hidden = 30, int depth = 5) => name switch
    {
        // Nielsen's chapter 5 net, deeper: sigmoid layers with TorchSharp's default U(±1/√n_in) weights.
        "sigmoid-mlp" => Mlp(hidden, depth, () => Sigmoid(), he: false, batchNorm: false),
        "relu-he-mlp" => Mlp(hidden, depth, () => ReLU(), he: true, batchNorm: false),
        "batchnorm-mlp" => Mlp(hidden, depth, () => ReLU(), he: false, batchNorm: true),
        "sigmoid-conv" => new ConvNet("sigmoid-conv", relu: false),
        "relu-he-conv" => new ConvNet("relu-he-conv", relu: true),
        _ => throw new ArgumentException($"Unknown model '{name}'. Valid: {string.Join(", ", Names)}."),
    };

    private static Module<Tensor, Tensor> Mlp(int hidden, int depth, Func<Module<Tensor, Tensor>> activation, bool he, bool batchNorm)
    {
        var modules = new List<(string, Module<Tensor, Tensor>)>();
        int inputs = 784;
        for (int l = 1; l <= depth; l++)
        {
            var linear = Linear(inputs, hidden);
            if (he) init.kaiming_normal_(linear.weight!, nonlinearity: init.NonlinearityType.ReLU);
            modules.Add(($"fc{l}", linear));
            if (batchNorm) modules.Add(($"bn{l}", BatchNorm1d(hidden)));
            modules.Add(($"act{l}", activation()));
            inputs = hidden;
        }
        modules.Add(("out", Linear(inputs, 10)));
        return Sequential(modules);
    }
}
