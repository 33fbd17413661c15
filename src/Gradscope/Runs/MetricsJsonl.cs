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
    public static MetricRecord? Parse(string line) =>
        string.IsNullOrWhiteSpace(line) ? null : Parse(System.Text.Encoding.UTF8.GetBytes(line));

    /// <summary>
    /// Parses one UTF-8 line with a forward-only reader (no DOM): run records hold hundreds of thousands of lines,
    /// and this is what makes reading them back fast.
    /// </summary>
    public static MetricRecord? Parse(ReadOnlySpan<byte> line)
    {
        if (line.IsEmpty) return null;
        var reader = new Utf8JsonReader(line);
        long step = -1;
        int epoch = 0, layer = 0, index = 0;
        string? quantity = null;
        double value = double.NaN;
        double[]? values = null;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("step"u8)) { reader.Read(); step = reader.GetInt64(); }
                else if (reader.ValueTextEquals("epoch"u8)) { reader.Read(); epoch = reader.GetInt32(); }
                else if (reader.ValueTextEquals("layer"u8)) { reader.Read(); layer = reader.GetInt32(); }
                else if (reader.ValueTextEquals("quantity"u8)) { reader.Read(); quantity = Intern(reader.GetString() ?? ""); }
                else if (reader.ValueTextEquals("value"u8)) { reader.Read(); value = ReadDouble(ref reader); }
                else if (reader.ValueTextEquals("index"u8)) { reader.Read(); index = reader.GetInt32(); }
                else if (reader.ValueTextEquals("values"u8))
                {
                    reader.Read();
                    var list = new List<double>(64);
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray) list.Add(ReadDouble(ref reader));
                    values = [.. list];
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
            if (reader.TokenType != JsonTokenType.EndObject || step < 0 || quantity is null) return null;
        }
        catch (JsonException)
        {
            return null;
        }
        return new MetricRecord(step, epoch, layer, quantity, value, values, index);
    }

    private static readonly Dictionary<string, string> Names = typeof(Quantity).GetFields()
        .Where(f => f.IsLiteral && f.FieldType == typeof(string)).Select(f => (string)f.GetRawConstantValue()!).ToDictionary(n => n);

    private static string Intern(string name)
    {
        lock (Names) return Names.TryGetValue(name, out var known) ? known : Names[name] = name;
    }

    private static double ReadDouble(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.String ? double.Parse(reader.GetString()!, CultureInfo.InvariantCulture) : reader.GetDouble();

    internal static byte[] Serialize(in MetricRecord r)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer)) Write(writer, r);
        return buffer.WrittenSpan.ToArray();
    }
}
