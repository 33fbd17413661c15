using System.Globalization;
using System.Text.Json;

namespace Gradscope.Record;

/// <summary>
/// The settings a reader is shown, derived from the spec JSON of a run (the same for runs of every format): the
/// optimiser and its own constants, η, batch, epochs, λ, clipping, per-layer rates, trust ratio, normalisation,
/// residual blocks, initialisers and the probe preset. Defaults are left out where they change nothing (no clipping,
/// no rates), so what is listed is what shaped the run. Names are the CLI's flag names.
/// </summary>
public static class RunSettings
{
    public static IReadOnlyList<RunSetting> From(JsonElement spec)
    {
        var list = new List<RunSetting>();
        var network = Child(spec, "network");
        var training = Child(spec, "training");
        string optimizer = Text(training, "optimizer") ?? "sgd";
        list.Add(new("optimizer", optimizer));
        switch (optimizer)
        {
            case "momentum" or "nesterov": Add(list, training, "momentum"); break;
            case "rmsprop": Add(list, training, "decay"); break;
            case "adam": Add(list, training, "beta1"); Add(list, training, "beta2"); break;
            case "adamw": Add(list, training, "beta1"); Add(list, training, "beta2"); Add(list, training, "weightDecay", "weight-decay"); break;
            case "kfac": Add(list, training, "damping"); Add(list, training, "kfacInverseEvery", "kfac-inverse-every"); break;
        }
        Add(list, training, "eta");
        Add(list, training, "batchSize", "batch");
        Add(list, training, "epochs");
        Add(list, training, "lambda");
        AddUnlessZero(list, training, "clipNorm", "clip-norm");
        AddUnlessZero(list, training, "clipValue", "clip-value");
        AddUnlessZero(list, training, "trustRatio", "trust-ratio");
        if (Child(training, "layerRates") is { ValueKind: JsonValueKind.Array } rates)
            list.Add(new("layer-rates", string.Join(",", rates.EnumerateArray().Select(Number))));
        AddUnlessOne(list, training, "weightRate", "weight-rate");
        AddUnlessOne(list, training, "biasRate", "bias-rate");
        if (Text(network, "normalization") is { } norm && norm != "none") list.Add(new("normalization", norm));
        if (Child(network, "residual") is { ValueKind: JsonValueKind.True }) list.Add(new("residual", "on"));
        if (Text(network, "init") is { } init) list.Add(new("init", init));
        if (Text(network, "biasInit") is { } biasInit) list.Add(new("bias-init", biasInit));
        if (Text(network, "cost") is { } cost) list.Add(new("cost", cost));
        var probes = Child(spec, "probes");
        string? preset = probes is { ValueKind: JsonValueKind.String } p ? p.GetString() : Text(probes, "preset");
        if (preset is not null) list.Add(new("probes", preset));
        return list;
    }

    private static JsonElement? Child(JsonElement? parent, string name) =>
        parent is { ValueKind: JsonValueKind.Object } p && p.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;

    private static string? Text(JsonElement? parent, string name) =>
        Child(parent, name) is { ValueKind: JsonValueKind.String } v ? v.GetString() : null;

    private static string Number(JsonElement value) =>
        value.ValueKind == JsonValueKind.Number ? value.GetDouble().ToString("R", CultureInfo.InvariantCulture) : value.ToString();

    private static void Add(List<RunSetting> list, JsonElement? parent, string name, string? shown = null)
    {
        if (Child(parent, name) is { } v) list.Add(new(shown ?? name, Number(v)));
    }

    private static void AddUnlessZero(List<RunSetting> list, JsonElement? parent, string name, string shown)
    {
        if (Child(parent, name) is { ValueKind: JsonValueKind.Number } v && v.GetDouble() != 0) list.Add(new(shown, Number(v)));
    }

    private static void AddUnlessOne(List<RunSetting> list, JsonElement? parent, string name, string shown)
    {
        if (Child(parent, name) is { ValueKind: JsonValueKind.Number } v && v.GetDouble() != 1) list.Add(new(shown, Number(v)));
    }
}
