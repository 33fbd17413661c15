using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gradscope.Record;

/// <summary>
/// Reads run.json of the first format (<c>gradscope-run/1</c>), which embedded the engine's network, training and
/// probe settings, into today's <see cref="RunInfo"/>: layer descriptors are derived from the network section with
/// the rules that format's writer used (hidden layers take <c>activation</c>; the output takes
/// <c>outputActivation</c>, else the cost's default: softmax for log-likelihood, the hidden activation for quadratic,
/// sigmoid otherwise), and the three sections become the spec.
/// </summary>
public static class RunInfoV1
{
    public static RunInfo Read(JsonObject root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var network = root["network"] as JsonObject ?? throw new InvalidDataException("missing field network");
        int[] sizes = network["layers"] is JsonArray array
            ? [.. array.Select(n => n?.GetValue<int>() ?? throw new InvalidDataException("field network.layers must hold numbers"))]
            : throw new InvalidDataException("missing field network.layers");
        if (sizes.Length < 2) throw new InvalidDataException("field network.layers must list at least two sizes");
        int depth = sizes.Length - 1;
        string hidden = Text(network, "activation") ?? "sigmoid";
        string cost = Text(network, "cost") ?? "cross-entropy";
        string output = Text(network, "outputActivation") ?? cost switch
        {
            "log-likelihood" => "softmax",
            "quadratic" => hidden,
            _ => "sigmoid",
        };
        string[]? perLayer = network["layerActivations"] is JsonArray acts ? [.. acts.Select(a => a?.GetValue<string>() ?? hidden)] : null;
        string normalization = Text(network, "normalization") ?? "none";
        bool residual = network["residual"]?.GetValue<bool>() ?? false;
        var layers = new List<LayerDescriptor>();
        for (int l = 1; l <= depth; l++)
        {
            bool isOutput = l == depth;
            bool normalized = !isOutput && normalization != "none";
            layers.Add(new LayerDescriptor
            {
                Index = l,
                Name = isOutput ? "output" : $"hidden {l}",
                Kind = "dense",
                Inputs = sizes[l - 1],
                Units = sizes[l],
                Activation = perLayer?[l - 1] ?? (isOutput ? output : hidden),
                Normalization = normalized ? normalization : null,
                Residual = residual && !isOutput && sizes[l - 1] == sizes[l],
                Parameters = normalized ? ["weight", "bias", "gain"] : ["weight", "bias"],
            });
        }
        var spec = new JsonObject
        {
            ["network"] = network.DeepClone(),
            ["training"] = root["training"]?.DeepClone(),
            ["probes"] = root["probes"]?.DeepClone(),
        };
        var specElement = JsonSerializer.SerializeToElement(spec);
        var data = root["data"] as JsonObject;
        return new RunInfo
        {
            Format = RunInfo.FirstFormat,
            Name = Text(root, "name") ?? "run",
            Kind = Text(root, "kind") ?? "train",
            Inputs = sizes[0],
            Layers = layers,
            Cost = cost,
            Settings = RunSettings.From(specElement),
            Spec = specElement,
            Data = new DataInfo(Text(data, "source") ?? "unknown", Int(data, "train"), Int(data, "test"), Int(data, "reference")),
            Precision = Text(root, "precision") ?? "float32",
            Seed = root["seed"]?.GetValue<ulong>() ?? 1,
            Versions = root["versions"] is JsonObject v ? v.ToDictionary(p => p.Key, p => p.Value?.ToString() ?? "") : [],
            Start = root["start"]?.GetValue<DateTimeOffset>() ?? default,
            End = root["end"]?.GetValue<DateTimeOffset?>(),
            Status = Text(root, "status") ?? RunStatus.Running,
            Failure = Text(root, "failure"),
        };
    }

    private static string? Text(JsonObject? o, string name) => o?[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static int Int(JsonObject? o, string name) => o?[name] is JsonValue v && v.TryGetValue<int>(out var i) ? i : 0;
}
