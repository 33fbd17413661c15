using System.Text.Json;
using Gradscope.IO;
using Gradscope.Model;

namespace Gradscope.Experiments;

/// <summary>
/// Where the engine meets the record: the <see cref="RunInfo"/> of an experiment (layers as descriptors, the spec as
/// JSON, the settings a reader is shown), and the experiment read back from a run for <c>diagnose --verify</c>.
/// </summary>
public static class RunInfos
{
    public static RunInfo For(ExperimentSpec spec, DataInfo data, string kind)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var json = JsonSerializer.SerializeToElement(spec, SpecJson.Options);
        return new RunInfo
        {
            Name = spec.Name,
            Kind = kind,
            Inputs = spec.Network.Layers[0],
            Layers = Describe(spec.Network),
            Cost = Cost.Parse(spec.Network.Cost).Name,
            Settings = RunSettings.From(json),
            Spec = json,
            Data = data,
            Precision = spec.Precision,
            Seed = spec.Seed,
        };
    }

    /// <summary>One descriptor per weight layer l = 1 … L, from the spec's own rules (activation, normalisation, skips).</summary>
    public static IReadOnlyList<LayerDescriptor> Describe(NetworkSpec network)
    {
        ArgumentNullException.ThrowIfNull(network);
        var layers = new LayerDescriptor[network.Depth];
        for (int l = 1; l <= network.Depth; l++)
        {
            bool normalized = network.NormalizationOf(l) != Normalization.None;
            // A recurrent net's hidden layers are its cells, with PyTorch's four parameters; its read-out is dense.
            bool recurrent = network.Recurrent is not null && l < network.Depth;
            layers[l - 1] = new LayerDescriptor
            {
                Index = l,
                Name = l == network.Depth ? "output" : $"hidden {l}",
                Kind = recurrent ? network.Recurrent!.Kind.ToString().ToLowerInvariant() : "dense",
                Inputs = network.Layers[l - 1],
                Units = network.Layers[l],
                Activation = network.ActivationOf(l).Name,
                Normalization = normalized ? network.NormalizationOf(l).ToString().ToLowerInvariant() : null,
                Residual = network.ResidualAt(l),
                Parameters = recurrent ? ["weight_ih", "weight_hh", "bias_ih", "bias_hh"]
                    : normalized ? ["weight", "bias", "gain"] : ["weight", "bias"],
            };
        }
        return layers;
    }

    /// <summary>The experiment that made a run, read back from its spec (name, data, precision and seed from the run).</summary>
    public static ExperimentSpec SpecOf(RunInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        if (info.Spec is not { ValueKind: JsonValueKind.Object } json)
            throw new InvalidDataException($"Run '{info.Name}' has no spec to rerun (it was not made by Gradscope's engine).");
        // Read as a spec file is, so a damaged spec names its field instead of failing inside the serializer.
        var spec = ExperimentSpec.Parse(json.GetRawText(), $"The spec in run '{info.Name}'");
        return spec with
        {
            Name = info.Name,
            Data = spec.Data with { Source = info.Data.Source, Train = info.Data.Train, Test = info.Data.Test },
            Precision = info.Precision,
            Seed = info.Seed,
        };
    }
}
