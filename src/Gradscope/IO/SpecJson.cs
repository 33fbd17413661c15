using System.Text.Json;
using Gradscope.Probes;

namespace Gradscope.IO;

/// <summary>
/// JSON of the engine's specs: the record's style (<see cref="JsonDefaults"/>) plus the probes section read as its
/// preset with the named groups set over it (<see cref="ProbeOptionsJson"/>).
/// </summary>
public static class SpecJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonDefaults.Options) { Converters = { new ProbeOptionsJson() } };
}
