using System.Buffers;
using System.Text;
using System.Text.Json;
using Gradscope.Probes;

namespace Gradscope.Tests.Runs;

public sealed class MetricsJsonlTests
{
    public static TheoryData<MetricRecord> Records() =>
    [
        new MetricRecord(0, 0, 1, Quantity.DeltaNorm, 0.012345678901234567),
        new MetricRecord(123456789012, 7, 0, Quantity.Cost, double.NaN),
        new MetricRecord(5, 1, 3, Quantity.Gain, double.PositiveInfinity),
        new MetricRecord(5, 1, 3, Quantity.Gain, -1e-300),
        new MetricRecord(9, 2, 0, Quantity.JacobianSingularValues, 3.5, [3.5, 1.25, double.NegativeInfinity, 0], 2),
        new MetricRecord(1, 0, 2, "custom \"quoted\" name", 1),
    ];

    [Theory]
    [MemberData(nameof(Records))]
    public void Format_AnyRecord_SameTextAsUtf8JsonWriterAndParsesBack(MetricRecord record)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer)) MetricsJsonl.Write(writer, record);
        var fast = new byte[MetricsJsonl.MaxLength(record)];
        int n = MetricsJsonl.Format(record, fast);
        Assert.Equal(Encoding.UTF8.GetString(buffer.WrittenSpan) + "\n", Encoding.UTF8.GetString(fast, 0, n));

        var back = MetricsJsonl.Parse(fast.AsSpan(0, n - 1))!.Value;
        Assert.Equal((record.Step, record.Epoch, record.Layer, record.Quantity, record.Index), (back.Step, back.Epoch, back.Layer, back.Quantity, back.Index));
        Assert.Equal(record.Value, back.Value);
        Assert.Equal(record.Values, back.Values);
    }

    [Fact]
    public void Parse_TruncatedLine_Null()
    {
        Assert.Null(MetricsJsonl.Parse("{\"step\":3,\"epoch\":0,\"layer\":1,\"quantity\":\"gain\",\"val"));
        Assert.Null(MetricsJsonl.Parse(""));
    }
}

public sealed class ShortestDoubleTests
{
    [Fact]
    public void Format_ValuesOfEveryMagnitude_SameTextAsTheRuntimesShortestRoundTrip()
    {
        var rng = new Gradscope.Numerics.Rng(31);
        var buffer = new byte[40];
        var values = new List<double> { 0.1, 0.3, 1, 3, 10, 100, 1e14, 1e15, 1e16, 1e-4, 1e-5, 1.5e-5, 2.5e-13, 5e-324, double.MaxValue, 1.0 / 3, 2.0 / 3, 0.2, 123.456, -0.0,
            Math.Pow(2, -24), Math.Pow(2, -25), Math.Pow(2, -44), 0.25, 9.999999999999999e-5 };
        for (int e = -60; e <= 60; e++) values.Add(Math.Pow(2, e));
        for (int i = 0; i < 20_000; i++)
        {
            double magnitude = Math.Pow(10, rng.Uniform(-20, 20));
            double v = rng.Uniform(0.1, 1) * magnitude;
            values.Add(i % 3 == 0 ? (float)v : v); // probes' values often come from float32 sums
        }
        foreach (double x in values.Concat(values.Select(v => -v)))
        {
            int n = ShortestDouble.Format(x, buffer);
            string text = System.Text.Encoding.ASCII.GetString(buffer, 0, n);
            // Every text parses back exactly; apart from powers of two (17 digits, as the runtime's own shortest text
            // for 2^-25 does not parse back) it is the runtime's "R" text.
            Assert.Equal(x, double.Parse(text, System.Globalization.CultureInfo.InvariantCulture));
            bool powerOfTwo = x != 0 && double.IsFinite(x) && (BitConverter.DoubleToUInt64Bits(x) & ((1UL << 52) - 1)) == 0;
            if (!powerOfTwo) Assert.Equal(x.ToString("R", System.Globalization.CultureInfo.InvariantCulture), text);
        }
    }
}
