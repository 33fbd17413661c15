using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Gradscope.Probes;

namespace Gradscope.Runs;

/// <summary>The JSON Lines form of a <see cref="MetricRecord"/>: one object per line.</summary>
public static class MetricsJsonl
{
    public static void Write(Utf8JsonWriter writer, in MetricRecord r)
    {
        writer.WriteStartObject();
        writer.WriteNumber("step", r.Step);
        writer.WriteNumber("epoch", r.Epoch);
        writer.WriteNumber("layer", r.Layer);
        writer.WriteString("quantity", r.Quantity);
        WriteDouble(writer, "value", r.Value);
        if (r.Values is not null)
        {
            writer.WriteStartArray("values");
            foreach (double v in r.Values)
            {
                if (double.IsFinite(v)) writer.WriteNumberValue(v);
                else writer.WriteStringValue(v.ToString(CultureInfo.InvariantCulture));
            }
            writer.WriteEndArray();
        }
        if (r.Index != 0) writer.WriteNumber("index", r.Index);
        writer.WriteEndObject();
    }

    private static void WriteDouble(Utf8JsonWriter writer, string name, double value)
    {
        if (double.IsFinite(value)) writer.WriteNumber(name, value);
        else writer.WriteString(name, value.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Parses one line; null for a blank or truncated line (the tail of a run that was killed).</summary>
    public static MetricRecord? Parse(string line)
    {
        if (string.IsNullOrWhiteSpace(line)) return null;
        try
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            double[]? values = null;
            if (root.TryGetProperty("values", out var array))
            {
                values = new double[array.GetArrayLength()];
                int i = 0;
                foreach (var v in array.EnumerateArray()) values[i++] = ReadDouble(v);
            }
            return new MetricRecord(
                root.GetProperty("step").GetInt64(),
                root.GetProperty("epoch").GetInt32(),
                root.GetProperty("layer").GetInt32(),
                string.Intern(root.GetProperty("quantity").GetString() ?? ""),
                ReadDouble(root.GetProperty("value")),
                values,
                root.TryGetProperty("index", out var index) ? index.GetInt32() : 0);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static double ReadDouble(JsonElement e) =>
        e.ValueKind == JsonValueKind.String ? double.Parse(e.GetString()!, CultureInfo.InvariantCulture) : e.GetDouble();

    internal static byte[] Serialize(in MetricRecord r)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer)) Write(writer, r);
        return buffer.WrittenSpan.ToArray();
    }
}
