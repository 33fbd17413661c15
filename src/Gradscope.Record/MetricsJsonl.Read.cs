using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Gradscope.Record;

public static partial class MetricsJsonl
{
    /// <summary>Parses one line; null for a blank, truncated or malformed line (the tail of a run that was killed).</summary>
    public static MetricRecord? Parse(string line) =>
        string.IsNullOrWhiteSpace(line) ? null : Parse(Encoding.UTF8.GetBytes(line));

    /// <summary>Parses one UTF-8 line; null for a blank or malformed one.</summary>
    public static MetricRecord? Parse(ReadOnlySpan<byte> line) => Parse(line, out _);

    /// <summary>
    /// Parses one UTF-8 line. <paramref name="malformed"/> is true when the line holds something that is not a record
    /// (a blank line is not malformed): a field of the wrong type, a number out of range, a histogram without
    /// <see cref="Histogram.Count"/> bins, text that is not JSON.
    /// </summary>
    /// <remarks>
    /// A line exactly as <see cref="Format"/> writes it (fixed field order, no spaces, plain names) is read by a
    /// hand-written scanner that allocates nothing but the histogram's array: opening a run of a million records is
    /// mostly this. Anything else (other field orders, spaces, escapes, unknown fields, a bad token) goes to
    /// <see cref="ParseAny"/>, the general JSON reader, which decides; so the scanner only ever has to agree with it
    /// on what it accepts (tested on generated records, NaN, infinities and absent fields included).
    /// </remarks>
    public static MetricRecord? Parse(ReadOnlySpan<byte> line, out bool malformed)
    {
        if (TryParseWritten(line, out var record))
        {
            malformed = false;
            return record;
        }
        return ParseAny(line, out malformed);
    }

    /// <summary>
    /// Parses one UTF-8 line with a forward-only JSON reader (no DOM), in any field order and spacing; what
    /// <see cref="Parse(ReadOnlySpan{byte}, out bool)"/> falls back to, and the reference its scanner is tested against.
    /// </summary>
    internal static MetricRecord? ParseAny(ReadOnlySpan<byte> line, out bool malformed)
    {
        malformed = false;
        if (line.Trim(" \t\r"u8).IsEmpty) return null;
        malformed = true;
        var reader = new Utf8JsonReader(line);
        long step = -1;
        int epoch = 0, layer = 0, index = 0;
        int? time = null;
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
                else if (reader.ValueTextEquals("t"u8)) { reader.Read(); time = reader.GetInt32(); }
                else if (reader.ValueTextEquals("values"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.StartArray) return null;
                    var list = new List<double>(64);
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray) list.Add(ReadDouble(ref reader));
                    if (reader.TokenType != JsonTokenType.EndArray) return null;
                    values = [.. list];
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
            if (reader.TokenType != JsonTokenType.EndObject || step < 0 || quantity is null) return null;
            if (!WholeHistogram(quantity, values)) return null;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or OverflowException)
        {
            // Wrong token types (a string where a number belongs) are InvalidOperationException; numbers out of
            // range and unparsable named values are FormatException.
            return null;
        }
        malformed = false;
        return new MetricRecord(step, epoch, layer, quantity, value, values, index, time);
    }

    /// <summary>Readers index histogram bins directly; a vector of another length is not a histogram.</summary>
    private static bool WholeHistogram(string quantity, double[]? values) =>
        quantity is not (Quantity.WeightGradHistogram or Quantity.ActivationHistogram) || values?.Length == Histogram.Count;

    private static readonly Dictionary<string, string> Names = typeof(Quantity).GetFields()
        .Where(f => f.IsLiteral && f.FieldType == typeof(string)).Select(f => (string)f.GetRawConstantValue()!).ToDictionary(n => n);

    private static string Intern(string name)
    {
        lock (Names) return Names.TryGetValue(name, out var known) ? known : Names[name] = name;
    }

    private static double ReadDouble(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.String ? NamedDouble(reader.GetString()!) : reader.GetDouble();

    /// <summary>The writer puts non-finite values in quotes; only those names are numbers in quotes.</summary>
    private static double NamedDouble(string text) => text switch
    {
        "NaN" => double.NaN,
        "Infinity" => double.PositiveInfinity,
        "-Infinity" => double.NegativeInfinity,
        _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// The writer's own shape, <c>{"step":…,"epoch":…,"layer":…,"quantity":"…","value":…[,"values":[…]][,"index":…][,"t":…]}</c>,
    /// read in one pass; false (nothing decided) at the first byte that differs from it.
    /// </summary>
    private static bool TryParseWritten(ReadOnlySpan<byte> s, out MetricRecord record)
    {
        record = default;
        int i = 0;
        if (!Literal(s, ref i, "{\"step\":"u8) || !Natural(s, ref i, 18, out long step)) return false;
        if (!Literal(s, ref i, ",\"epoch\":"u8) || !Natural(s, ref i, 9, out long epoch)) return false;
        if (!Literal(s, ref i, ",\"layer\":"u8) || !Natural(s, ref i, 9, out long layer)) return false;
        if (!Literal(s, ref i, ",\"quantity\":\""u8)) return false;
        int start = i;
        // Printable ASCII without quote or backslash: the bytes are the name, no unescaping or UTF-8 checks needed.
        while (i < s.Length && s[i] is >= 0x20 and < 0x7F and not (byte)'"' and not (byte)'\\') i++;
        if (i >= s.Length || s[i] != '"') return false;
        var name = s[start..i++];
        if (!Literal(s, ref i, ",\"value\":"u8) || !Number(s, ref i, out double value)) return false;
        double[]? values = null;
        if (Literal(s, ref i, ",\"values\":["u8) && !Vector(s, ref i, out values)) return false;
        long index = 0, t = -1;
        if (Literal(s, ref i, ",\"index\":"u8) && !Natural(s, ref i, 9, out index)) return false;
        if (Literal(s, ref i, ",\"t\":"u8) && !Natural(s, ref i, 9, out t)) return false;
        if (!Literal(s, ref i, "}"u8) || !s[i..].Trim(" \t\r"u8).IsEmpty) return false;
        string quantity = NameOf(name);
        if (!WholeHistogram(quantity, values)) return false;
        record = new MetricRecord(step, (int)epoch, (int)layer, quantity, value, values, (int)index, t < 0 ? null : (int)t);
        return true;
    }

    private static bool Literal(ReadOnlySpan<byte> s, ref int i, ReadOnlySpan<byte> literal)
    {
        if (!s[i..].StartsWith(literal)) return false;
        i += literal.Length;
        return true;
    }

    /// <summary>A JSON integer ≥ 0 of at most <paramref name="maxDigits"/> digits (no sign, no leading zero), so it fits without a range check.</summary>
    private static bool Natural(ReadOnlySpan<byte> s, ref int i, int maxDigits, out long value)
    {
        value = 0;
        int start = i;
        while (i < s.Length && (uint)(s[i] - '0') <= 9) value = value * 10 + (s[i++] - '0');
        int digits = i - start;
        return digits >= 1 && digits <= maxDigits && (digits == 1 || s[start] != '0');
    }

    /// <summary>
    /// A finite number in JSON's grammar, or one of the writer's quoted names (NaN, ±Infinity). The text goes to the
    /// same correctly rounded conversion the JSON reader ends in, so the double is the same bit for bit.
    /// </summary>
    private static bool Number(ReadOnlySpan<byte> s, ref int i, out double value)
    {
        value = 0;
        if (i < s.Length && s[i] == '"')
        {
            if (Literal(s, ref i, "\"NaN\""u8)) value = double.NaN;
            else if (Literal(s, ref i, "\"Infinity\""u8)) value = double.PositiveInfinity;
            else if (Literal(s, ref i, "\"-Infinity\""u8)) value = double.NegativeInfinity;
            else return false;
            return true;
        }
        int start = i;
        if (i < s.Length && s[i] == '-') i++;
        if (i < s.Length && s[i] == '0') i++;
        else if (!Digits(s, ref i)) return false;
        if (i < s.Length && s[i] == '.')
        {
            i++;
            if (!Digits(s, ref i)) return false;
        }
        if (i < s.Length && (s[i] | 0x20) == 'e')
        {
            i++;
            if (i < s.Length && s[i] is (byte)'+' or (byte)'-') i++;
            if (!Digits(s, ref i)) return false;
        }
        // The JSON reader refuses what overflows to infinity; leave those to it.
        return double.TryParse(s[start..i], NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
    }

    private static bool Digits(ReadOnlySpan<byte> s, ref int i)
    {
        int start = i;
        while (i < s.Length && (uint)(s[i] - '0') <= 9) i++;
        return i > start;
    }

    /// <summary>The elements after "values":[ up to and including the closing bracket.</summary>
    private static bool Vector(ReadOnlySpan<byte> s, ref int i, out double[]? values)
    {
        values = null;
        int close = s[i..].IndexOf((byte)']');
        if (close < 0) return false;
        var inside = s.Slice(i, close);
        values = inside.IsEmpty ? [] : new double[inside.Count((byte)',') + 1];
        for (int k = 0; k < values.Length; k++)
            if ((k > 0 && !Literal(s, ref i, ","u8)) || !Number(s, ref i, out values[k])) return false;
        return Literal(s, ref i, "]"u8);
    }

    /// <summary>Recently read names by a hash of their bytes; a slot is replaced whole, so threads share it without a lock.</summary>
    private static readonly EncodedName?[] ReadNames = new EncodedName?[256];

    private static string NameOf(ReadOnlySpan<byte> utf8)
    {
        uint hash = (uint)utf8.Length * 0x9E3779B1u;
        if (!utf8.IsEmpty) hash ^= utf8[0] * 31u ^ utf8[^1] * 131u ^ utf8[utf8.Length / 2] * 2053u ^ utf8[utf8.Length / 3] * 524287u;
        int slot = (int)(hash % (uint)ReadNames.Length);
        if (ReadNames[slot] is { } known && utf8.SequenceEqual(known.Bytes)) return known.Name;
        string name = Intern(Encoding.UTF8.GetString(utf8));
        ReadNames[slot] = new EncodedName(name, utf8.ToArray());
        return name;
    }
}
