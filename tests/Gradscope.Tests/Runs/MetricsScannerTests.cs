using System.Text;
using Gradscope.Numerics;

namespace Gradscope.Tests.Runs;

/// <summary>
/// The metrics line scanner (<see cref="MetricsJsonl.Parse(ReadOnlySpan{byte}, out bool)"/>) against the general JSON
/// reader it replaced (<see cref="MetricsJsonl.ParseAny"/>): the same record, bit for bit, on generated records, and
/// the same answer (record, blank or malformed) on lines damaged byte by byte.
/// </summary>
public sealed class MetricsScannerTests
{
    private static readonly string[] Names =
        [Quantity.BiasGradNorm, Quantity.Gain, Quantity.DeltaNorm, Quantity.WeightGradHistogram, Quantity.JacobianSingularValues, Quantity.Cost, "", "a-name-of-our-own"];

    /// <summary>Doubles from every corner: random bit patterns (subnormals, huge, tiny), decimals, integers, ±0, NaN, ±∞.</summary>
    private static double NextDouble(Rng rng) => rng.NextInt(12) switch
    {
        0 => double.NaN,
        1 => double.PositiveInfinity,
        2 => double.NegativeInfinity,
        3 => rng.NextInt(2) == 0 ? 0.0 : -0.0,
        4 => rng.NextInt(1000) - 500,
        5 => (float)(rng.Uniform(-1, 1) * Math.Pow(10, rng.Uniform(-40, 40))),
        6 => BitConverter.UInt64BitsToDouble(rng.NextUInt64() & 0x800F_FFFF_FFFF_FFFFUL), // subnormal
        7 => Math.Round(rng.Uniform(-100, 100), rng.NextInt(6)),
        _ => BitConverter.UInt64BitsToDouble(rng.NextUInt64()) is var d && double.IsFinite(d) ? d : 1.5,
    };

    private static MetricRecord NextRecord(Rng rng)
    {
        string quantity = Names[rng.NextInt(Names.Length)];
        double[]? values = quantity == Quantity.WeightGradHistogram ? new double[Histogram.Count]
            : rng.NextInt(4) == 0 ? new double[rng.NextInt(6)] : null;
        if (values is not null) for (int i = 0; i < values.Length; i++) values[i] = NextDouble(rng);
        long step = rng.NextInt(3) switch { 0 => rng.NextInt(10), 1 => rng.NextInt(int.MaxValue), _ => (long)(rng.NextUInt64() >> 4) };
        return new MetricRecord(step, rng.NextInt(3) == 0 ? int.MaxValue : rng.NextInt(1000), rng.NextInt(12), quantity, NextDouble(rng), values,
            rng.NextInt(3) == 0 ? rng.NextInt(5) : 0, rng.NextInt(3) == 0 ? rng.NextInt(200) + 1 : null);
    }

    private static byte[] Line(in MetricRecord r)
    {
        var buffer = new byte[MetricsJsonl.MaxLength(r)];
        int n = MetricsJsonl.Format(r, buffer);
        return buffer[..(n - 1)];
    }

    private static void AssertSame(MetricRecord? expected, bool expectedMalformed, MetricRecord? actual, bool actualMalformed, string line)
    {
        Assert.True(expectedMalformed == actualMalformed, $"malformed {actualMalformed}, reader says {expectedMalformed}: {line}");
        Assert.True(expected.HasValue == actual.HasValue, $"record {actual.HasValue}, reader says {expected.HasValue}: {line}");
        if (expected is not { } e || actual is not { } a) return;
        Assert.True((e.Step, e.Epoch, e.Layer, e.Quantity, e.Index, e.T) == (a.Step, a.Epoch, a.Layer, a.Quantity, a.Index, a.T), line);
        Assert.True(ReferenceEquals(e.Quantity, a.Quantity), $"quantity not interned alike: {line}");
        Assert.True(Bits(e.Value) == Bits(a.Value), $"value {a.Value:R} vs {e.Value:R}: {line}");
        Assert.True(e.Values is null == a.Values is null, line);
        if (e.Values is not null) Assert.Equal(e.Values.Select(Bits), a.Values!.Select(Bits));
    }

    private static ulong Bits(double d) => BitConverter.DoubleToUInt64Bits(d);

    [Fact]
    public void Parse_GeneratedRecords_BitIdenticalToTheJsonReaderAndTheOriginal()
    {
        var rng = new Rng(1616);
        for (int i = 0; i < 20_000; i++)
        {
            var record = NextRecord(rng);
            var line = Line(record);
            var fast = MetricsJsonl.Parse(line, out bool malformed);
            var reference = MetricsJsonl.ParseAny(line, out bool referenceMalformed);
            AssertSame(reference, referenceMalformed, fast, malformed, Encoding.UTF8.GetString(line));
            // And both are the record written: the writer's text of every double parses back to the same bits.
            AssertSame(record with { Quantity = fast!.Value.Quantity }, false, fast, malformed, Encoding.UTF8.GetString(line));
        }
    }

    [Theory]
    [InlineData("{\"step\":1,\"epoch\":0,\"layer\":2,\"quantity\":\"gain\",\"value\":0.5}")]
    [InlineData("{\"step\":1,\"epoch\":0,\"layer\":2,\"quantity\":\"gain\"}")] // value absent: NaN
    [InlineData("{\"step\":1,\"quantity\":\"gain\",\"value\":2}")] // epoch and layer absent
    [InlineData("{\"epoch\":0,\"layer\":2,\"quantity\":\"gain\",\"value\":0.5}")] // step absent: not a record
    [InlineData("{\"step\":1,\"epoch\":0,\"layer\":2,\"value\":0.5}")] // quantity absent
    [InlineData("{ \"step\": 1, \"epoch\": 0, \"layer\": 2, \"quantity\": \"gain\", \"value\": 0.5 }")]
    [InlineData("{\"value\":0.5,\"quantity\":\"gain\",\"layer\":2,\"epoch\":0,\"step\":1}")]
    [InlineData("{\"step\":1,\"epoch\":0,\"layer\":2,\"quantity\":\"ga\\u0069n\",\"value\":0.5}")]
    [InlineData("{\"step\":1,\"epoch\":0,\"layer\":2,\"quantity\":\"gain\",\"value\":\"1.5\"}")]
    [InlineData("{\"step\":1,\"epoch\":0,\"layer\":2,\"quantity\":\"gain\",\"value\":1e400}")]
    [InlineData("{\"step\":01,\"epoch\":0,\"layer\":2,\"quantity\":\"gain\",\"value\":1}")]
    [InlineData("{\"step\":-1,\"epoch\":0,\"layer\":2,\"quantity\":\"gain\",\"value\":1}")]
    [InlineData("{\"step\":1,\"epoch\":-3,\"layer\":2,\"quantity\":\"gain\",\"value\":1}")]
    [InlineData("{\"step\":1,\"epoch\":0,\"layer\":2,\"quantity\":\"gain\",\"value\":1,\"extra\":[1,{\"a\":2}]}")]
    [InlineData("{\"step\":1,\"epoch\":0,\"layer\":2,\"quantity\":\"gain\",\"value\":1}  trailing")]
    [InlineData("{\"step\":1,\"epoch\":0,\"layer\":2,\"quantity\":\"gain\",\"value\":1}\r")]
    [InlineData("{\"step\":1,\"epoch\":0,\"layer\":2,\"quantity\":\"weight-grad-histogram\",\"value\":1,\"values\":[1,2]}")]
    [InlineData("{\"step\":1,\"epoch\":0,\"layer\":2,\"quantity\":\"gain\",\"value\":1,\"values\":[]}")]
    [InlineData("{\"step\":1,\"epoch\":0,\"layer\":2,\"quantity\":\"gain\",\"value\":1,\"values\":[1,]}")]
    [InlineData("{\"step\":1,\"epoch\":0,\"layer\":2,\"quantity\":\"gain\",\"value\":1,\"t\":0}")]
    [InlineData("{\"step\":1,\"epoch\":0,\"layer\":2,\"quantity\":\"gain\",\"value\":1,\"index\":0,\"t\":3}")]
    [InlineData("{\"step\":9999999999999999999,\"epoch\":0,\"layer\":2,\"quantity\":\"gain\",\"value\":1}")]
    [InlineData("{\"step\":1,\"epoch\":0,\"layer\":2,\"quantity\":\"gain\",\"value\":-0}")]
    [InlineData("{\"step\":1,\"epoch\":0,\"layer\":2,\"quantity\":\"gain\",\"value\":1E+2}")]
    [InlineData("{\"step\":1,\"epoch\":0,\"layer\":2,\"quantity\":\"gain\",\"value\":.5}")]
    [InlineData("{\"step\":1,\"epoch\":0,\"layer\":2,\"quantity\":\"gain\",\"value\":0x10}")]
    [InlineData("{\"step\":1,\"epoch\":0,\"layer\":2,\"quantity\":\"g\u00e4in\",\"value\":1}")]
    [InlineData("   ")]
    [InlineData("")]
    [InlineData("[]")]
    public void Parse_LinesOfOtherShapes_SameAnswerAsTheJsonReader(string text)
    {
        var line = Encoding.UTF8.GetBytes(text);
        var reference = MetricsJsonl.ParseAny(line, out bool referenceMalformed);
        var fast = MetricsJsonl.Parse(line, out bool malformed);
        AssertSame(reference, referenceMalformed, fast, malformed, text);
    }

    private static readonly byte[] Alphabet = "{}[],:\" -+.eE0123456789NaIfinty\\\t\u0001x"u8.ToArray();

    [Fact]
    public void Parse_LinesDamagedByteByByte_SameAnswerAsTheJsonReader()
    {
        var rng = new Rng(2016);
        int cases = 30_000 * Fuzz.Fuzz.Multiplier;
        for (int i = 0; i < cases; i++)
        {
            var bytes = new List<byte>(Line(NextRecord(rng)));
            for (int edits = 1 + rng.NextInt(3); edits > 0 && bytes.Count > 0; edits--)
            {
                int at = rng.NextInt(bytes.Count);
                byte b = Alphabet[rng.NextInt(Alphabet.Length)];
                switch (rng.NextInt(4))
                {
                    case 0: bytes.RemoveAt(at); break;
                    case 1: bytes.Insert(at, b); break;
                    case 2: bytes.RemoveRange(at, bytes.Count - at); break;
                    default: bytes[at] = b; break;
                }
            }
            var line = bytes.ToArray();
            var reference = MetricsJsonl.ParseAny(line, out bool referenceMalformed);
            var fast = MetricsJsonl.Parse(line, out bool malformed);
            AssertSame(reference, referenceMalformed, fast, malformed, $"case {i}: {Encoding.UTF8.GetString(line)}");
        }
    }
}
