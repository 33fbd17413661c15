using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Gradscope.Probes;

/// <summary>
/// Reads a <c>probes</c> section as its preset with the groups it names set over it, as docs/run-record.md
/// promises: <c>{"preset":"minimal","norms":"every:10"}</c> keeps minimal's reference-set schedule. A section
/// without a preset starts from <see cref="ProbeOptions"/>' defaults, as before. Written as every field.
/// </summary>
public sealed class ProbeOptionsJson : JsonConverter<ProbeOptions>
{
    public override ProbeOptions Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var given = JsonNode.Parse(ref reader) as JsonObject ?? throw new JsonException("The probes section must be an object.");
        var plain = Without(options);
        ProbeOptions start = given.TryGetPropertyValue("preset", out var preset) && preset is JsonValue name
            ? ProbeOptions.FromPreset(name.GetValue<string>())
            : new ProbeOptions();
        var merged = JsonSerializer.SerializeToNode(start, plain)!.AsObject();
        foreach (var (key, value) in given) merged[key] = value?.DeepClone();
        return merged.Deserialize<ProbeOptions>(plain)!;
    }

    public override void Write(Utf8JsonWriter writer, ProbeOptions value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value, Without(options));

    private static JsonSerializerOptions? _plain;
    private static JsonSerializerOptions? _plainFor;

    /// <summary>The same options without this converter (cached for the one options object in use).</summary>
    private static JsonSerializerOptions Without(JsonSerializerOptions options)
    {
        if (ReferenceEquals(_plainFor, options) && _plain is { } cached) return cached;
        var copy = new JsonSerializerOptions(options);
        for (int i = copy.Converters.Count - 1; i >= 0; i--)
            if (copy.Converters[i] is ProbeOptionsJson) copy.Converters.RemoveAt(i);
        (_plain, _plainFor) = (copy, options);
        return copy;
    }
}
