using System.Numerics;
using Gradscope.Model;
using Gradscope.Model.Layers;

namespace Gradscope.Tests.Support;

/// <summary>Tests read a layer's tensors by their book names; layers themselves only list parameters by role.</summary>
internal static class LayerExtensions
{
    extension<T>(ILayer<T> layer) where T : unmanaged, IFloatingPointIeee754<T>
    {
        /// <summary>W^l, row-major [FanOut × FanIn].</summary>
        public T[] Weights => Of(layer, ParameterRole.Weight) ?? throw new InvalidOperationException($"Layer {layer.Index} has no weights.");

        /// <summary>b^l.</summary>
        public T[] Biases => Of(layer, ParameterRole.Bias) ?? throw new InvalidOperationException($"Layer {layer.Index} has no biases.");

        /// <summary>γ^l, empty without normalisation.</summary>
        public T[] Scale => Of(layer, ParameterRole.Gain) ?? [];

        /// <summary>Batch normalisation's running mean, empty otherwise.</summary>
        public T[] RunningMean => layer.State.Count > 0 ? layer.State[0] : [];

        /// <summary>Batch normalisation's running variance, empty otherwise.</summary>
        public T[] RunningVariance => layer.State.Count > 1 ? layer.State[1] : [];

        public bool Residual => layer is ResidualBlock<T>;

        public T Weight(int j, int k) => layer.Weights[j * layer.FanIn + k];
    }

    private static T[]? Of<T>(ILayer<T> layer, ParameterRole role) where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (var p in layer.Parameters) if (p.Role == role) return p.Values;
        return null;
    }
}
