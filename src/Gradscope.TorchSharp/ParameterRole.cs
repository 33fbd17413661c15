namespace Gradscope.TorchSharp;

/// <summary>What a parameter is to its layer, which decides the norms it counts in.</summary>
internal enum ParameterRole
{
    /// <summary>W (weight_grad_norm, weight_norm, update_ratio).</summary>
    Weight,

    /// <summary>b, or β of a normalisation that follows the layer (bias_grad_norm: the engine's b^l).</summary>
    Bias,

    /// <summary>γ of a normalisation (the engine's scale).</summary>
    Gain,

    /// <summary>The bias of a layer whose output is normalised (the normalisation's β takes its place).</summary>
    Other,
}

/// <summary>One parameter of a layer: its path in the module tree, the tensor, and its role.</summary>
internal sealed record LayerParameter(string Path, global::TorchSharp.Modules.Parameter Tensor, ParameterRole Role);
