using Gradscope.Tests.Data;

namespace Gradscope.Tests.Server;

/// <summary>The incremental reading a live dashboard needs: MetricsTail and a growing RunView.</summary>
public sealed class LiveRecordTests
{
    private static MetricRecord M(long step, int layer, double value, string q = Quantity.BiasGradNorm) => new(step, 0, layer, q, value);

    private static byte[] Line(MetricRecord r)
    {
        var buffer = new byte[MetricsJsonl.MaxLength(r)];
        return buffer[..MetricsJsonl.Format(r, buffer)];
    }

    [Fact]
    public void ReadNew_PartialLastLine_WaitsForItsNewlineThenReadsOnlyWhatIsNew()
    {
        using var temp = new TempDirectory();
        string path = temp.File("metrics.jsonl");
        var first = Line(M(0, 1, 0.5));
        var second = Line(M(1, 1, 0.25));
        File.WriteAllBytes(path, [.. first, .. second[..10]]); // the writer mid-line
        var tail = new MetricsTail(path);
        var got = new List<MetricRecord>();
        Assert.Equal((1, false), tail.ReadNew(got));
        Assert.Equal(first.Length, tail.Offset);
        using (var s = new FileStream(path, FileMode.Append)) s.Write(second[10..]);
        Assert.Equal((1, false), tail.ReadNew(got));
        Assert.Equal([M(0, 1, 0.5), M(1, 1, 0.25)], got);
        Assert.Equal((0, false), tail.ReadNew(got));

        File.WriteAllBytes(path, Line(M(7, 2, 3))); // rewritten shorter: read again from the start
        got.Clear();
        Assert.Equal((1, true), tail.ReadNew(got));
        Assert.Equal(7, got[0].Step);
    }

    [Fact]
    public void Append_InPiecesAndOutOfOrder_ReadsLikeTheViewBuiltAtOnce()
    {
        var layers = new[] { new LayerDescriptor { Index = 1, Units = 4 }, new LayerDescriptor { Index = 2, Units = 4 }, new LayerDescriptor { Index = 3, Units = 2 } };
        var records = new List<MetricRecord>();
        for (int step = 0; step < 50; step++)
            for (int l = 1; l <= 3; l++) records.Add(M(step, l, 1.0 / (1 + step * l)));
        records.Add(M(3, 2, 42)); // a second record of step 3, after later steps
        records.Add(M(0, 1, 9, Quantity.ReferenceBiasGradNorm));
        var whole = new RunView(layers, records);
        var live = new RunView(layers, []);
        Assert.Equal(Quantity.BiasGradNorm, live.SpeedQuantity);
        live.Append(records.Take(40));
        live.Append(records.Skip(40));
        Assert.Equal(whole.SpeedQuantity, live.SpeedQuantity);
        Assert.Equal(whole.LastStep, live.LastStep);
        for (int l = 1; l <= 3; l++) Assert.Equal(whole.Records(Quantity.BiasGradNorm, l), live.Records(Quantity.BiasGradNorm, l));
        Assert.Equal(whole.Rows(), live.Rows());
        Assert.Equal(whole.Ratio(atEnd: true), live.Ratio(atEnd: true));
    }

    [Fact]
    public void Append_RecordsWithATimeStep_JoinTheProfileNotTheLayersSeries()
    {
        var layers = new[] { new LayerDescriptor { Index = 1, Units = 4 }, new LayerDescriptor { Index = 2, Units = 2 } };
        var records = new List<MetricRecord>();
        for (int step = 0; step < 3; step++)
        {
            for (int t = 1; t <= 5; t++) records.Add(new MetricRecord(step, 0, 1, Quantity.TimeGradNorm, step + t / 10.0, T: t));
            records.Add(M(step, 1, 0.5 + step));
        }
        var whole = new RunView(layers, records);
        var live = new RunView(layers, []);
        using var temp = new TempDirectory();
        string path = temp.File("metrics.jsonl");
        File.WriteAllBytes(path, [.. records.SelectMany(Line)]);
        var read = new List<MetricRecord>();
        new MetricsTail(path).ReadNew(read);
        Assert.Equal(records, read); // "t" survives the incremental reader
        live.Append(read.Take(7));
        live.Append(read.Skip(7));

        Assert.Equal(3, live.Records(Quantity.BiasGradNorm, 1).Count);
        Assert.Empty(live.Records(Quantity.TimeGradNorm, 1));
        Assert.Equal(whole.ProfileSteps(Quantity.TimeGradNorm, 1), live.ProfileSteps(Quantity.TimeGradNorm, 1));
        Assert.Equal([2.1, 2.2, 2.3, 2.4, 2.5], live.ProfileAtEnd(Quantity.TimeGradNorm, 1));
        Assert.Equal(whole.LastStep, live.LastStep);
    }
}
