using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Gradscope.TorchSharp;

/// <summary>
/// Finds the layers of a model: every module that holds parameters of its own, in registration order (which a
/// <c>Sequential</c>, and most custom modules, share with the forward order). A normalisation module right after a
/// layer joins it, as the engine's normalisation sits inside its layer; a known activation module right after joins
/// it too. Any other module without parameters (pooling, dropout, flatten) ends what can join the layer before it.
/// </summary>
internal static class ModuleTree
{
    public static List<ModuleLayer> Discover(nn.Module model)
    {
        var layers = new List<ModuleLayer>();
        ModuleLayer? open = null;
        foreach (var (name, module) in model.named_modules())
        {
            var own = module.named_parameters(recurse: false).ToList();
            bool leaf = !module.named_children().Any();
            if (own.Count > 0)
            {
                string path = name.Length == 0 ? module.GetType().Name : name;
                string? norm = NormalizationOf(module);
                if (norm is not null && open is { Norm: null, Activation: null } && NormalizationOf(open.Head) is null)
                {
                    open.Norm = module;
                    open.NormalizationName = norm;
                    // β takes the place of the head's bias (the engine's b^l after normalisation); γ is the scale.
                    for (int i = 0; i < open.Parameters.Count; i++)
                        if (open.Parameters[i].Role == ParameterRole.Bias) open.Parameters[i] = open.Parameters[i] with { Role = ParameterRole.Other };
                    foreach (var (p, tensor) in own)
                        open.Parameters.Add(new(Join(name, p), tensor, p.StartsWith("bias", StringComparison.Ordinal) ? ParameterRole.Bias : ParameterRole.Gain));
                }
                else
                {
                    open = new ModuleLayer(layers.Count + 1, path, module) { NormalizationName = norm };
                    foreach (var (p, tensor) in own)
                        open.Parameters.Add(new(Join(name, p), tensor, p.StartsWith("bias", StringComparison.Ordinal) ? ParameterRole.Bias : ParameterRole.Weight));
                    layers.Add(open);
                }
                if (!leaf) open = null;
            }
            else if (leaf)
            {
                if (open is { Activation: null } && ActivationKind.Of(module) is { } kind)
                {
                    open.Activation = module;
                    open.ActivationKind = kind;
                }
                else open = null;
            }
        }
        return layers;
    }

    /// <summary>The record's name for a normalisation module (<c>batch</c>, <c>layer</c>, …), or null.</summary>
    public static string? NormalizationOf(nn.Module module) => module switch
    {
        BatchNorm => "batch",
        LayerNorm => "layer",
        GroupNorm => "group",
        InstanceNorm => "instance",
        _ => null,
    };

    /// <summary>The layer as run.json describes it: path, module kind, sizes, activation, normalisation, parameters.</summary>
    public static LayerDescriptor Describe(ModuleLayer layer)
    {
        var (inputs, units) = Sizes(layer.Head);
        return new LayerDescriptor
        {
            Index = layer.Index,
            Name = layer.Path,
            Kind = layer.Head.GetType().Name,
            Inputs = inputs,
            Units = units,
            Activation = layer.ActivationKind?.Name,
            Normalization = layer.NormalizationName,
            Parameters = layer.Parameters.Select(p => p.Path).ToList(),
        };
    }

    private static (int Inputs, int Units) Sizes(nn.Module head)
    {
        switch (head)
        {
            case Linear linear: return ((int)linear.in_features, (int)linear.out_features);
            case LSTMCell or GRUCell or RNNCell or LSTM or GRU or RNN:
                // weight_ih is [gates·H × inputs], weight_hh [gates·H × H].
                var ih = head.named_parameters(recurse: false).First(p => p.name.StartsWith("weight_ih", StringComparison.Ordinal)).parameter;
                var hh = head.named_parameters(recurse: false).First(p => p.name.StartsWith("weight_hh", StringComparison.Ordinal)).parameter;
                return ((int)ih.shape[1], (int)hh.shape[1]);
        }
        var weight = head.named_parameters(recurse: false).Select(p => p.parameter).FirstOrDefault(p => p.dim() >= 1);
        if (weight is null) return (0, 0);
        // Convolutions: [out channels × in channels/groups × kernel…]; normalisations and other vectors: [features].
        return weight.dim() >= 2 ? ((int)weight.shape[1], (int)weight.shape[0]) : ((int)weight.shape[0], (int)weight.shape[0]);
    }

    private static string Join(string path, string name) => path.Length == 0 ? name : path + "." + name;
}
