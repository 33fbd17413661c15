using Gradscope.Experiments;
using Gradscope.Record.TensorBoard;
using Gradscope.Tests.Reports;
using Gradscope.Tests.Support;

namespace Gradscope.Tests.TensorBoard;

/// <summary>TensorBoard event files checked by an independent reader against the run's own metrics (through RunView).</summary>
[Collection(ReportsCollection.Name)]
public sealed class TensorBoardTests(SampleRuns runs)
{
    [Fact]
    public void MaskedCrc_OfTheStandardCheckString_MatchesCrc32CReference()
    {
        // CRC-32C("123456789") = 0xE3069283 (RFC 3720 / the CRC catalogue's check value).
        Assert.Equal(0xE3069283u, EventRecord.Crc32C("123456789"u8));
        uint c = 0xE3069283u;
        Assert.Equal(((c >> 15) | (c << 17)) + 0xa282ead8u, EventRecord.MaskedCrc("123456789"u8));
    }

    [IndependentReaderFact]
    public void Export_ReadByIndependentReader_EveryScalarAndEpochMatchesTheRun()
    {
        var run = RunRecord.Load(runs.Full);
        var view = new RunView(run);
        string folder = Path.Combine(runs.Root, "tb-export");
        string file = TensorBoardExport.Write(run, folder);
        Assert.Equal(Path.GetFileName(runs.Full), Path.GetFileName(Path.GetDirectoryName(file)));
        Assert.Contains("tfevents", Path.GetFileName(file), StringComparison.Ordinal);

        var (verdict, events) = IndependentReader.Read(file);
        Assert.Equal("brain.Event:2", events[0].FileVersion);
        Assert.Equal($"records {events.Count}", verdict);
        var byKey = events.Where(e => e.Tag is not null).GroupBy(e => (e.Tag!, e.Step)).ToDictionary(g => g.Key, g => g.ToList());
        AssertMatches(run, view, byKey);
    }

    [IndependentReaderFact]
    public void SinkWhileTraining_ThenTruncatedMidRecord_RecordsBeforeTheCutStillRead()
    {
        string folder = Path.Combine(runs.Root, "tb-live");
        var spec = SampleRuns.Spec("tb-live", "full", epochs: 1);
        string dir = Path.Combine(runs.Root, "tb-live-run");
        string file;
        using (var sink = new TensorBoardSink(new EventFileWriter(Path.Combine(folder, "tb-live-run"), DateTimeOffset.UtcNow), referenceMeasured: true))
        {
            ExperimentRunner.Run(spec, TestNets.Separable<float>(400, 20, 1), TestNets.Separable<float>(100, 20, 2), dir, alsoTo: sink);
            file = sink.Path;
        }
        var run = RunRecord.Load(dir);
        var (verdict, events) = IndependentReader.Read(file);
        Assert.Equal($"records {events.Count}", verdict);
        AssertMatches(run, new RunView(run), events.Where(e => e.Tag is not null).GroupBy(e => (e.Tag!, e.Step)).ToDictionary(g => g.Key, g => g.ToList()));

        // A run killed mid-write: the last record is cut short; every record before it still checks and decodes.
        string cut = Path.Combine(folder, "cut", Path.GetFileName(file));
        Directory.CreateDirectory(Path.GetDirectoryName(cut)!);
        var bytes = File.ReadAllBytes(file);
        File.WriteAllBytes(cut, bytes[..^7]);
        var (cutVerdict, cutEvents) = IndependentReader.Read(cut);
        Assert.Equal(events.Count - 1, cutEvents.Count);
        Assert.Matches(@"^records \d+ truncated \d+ bytes$", cutVerdict);
        Assert.Equal(events.Take(events.Count - 1), cutEvents);
    }

    private static void AssertMatches(RunRecord run, RunView view, Dictionary<(string Tag, long Step), List<IndependentReader.Event>> events)
    {
        int scalars = 0, histograms = 0;
        foreach (var m in run.Metrics)
        {
            if (m.Values is not null)
            {
                if (!TensorBoardTags.IsHistogram(m.Quantity)) continue;
                Assert.Contains(events[(TensorBoardTags.Of(m.Quantity, m.Layer, m.Index, m.T), m.Step)], e => e.HistogramCount == m.Values.Sum());
                histograms++;
                continue;
            }
            Assert.Contains(events[(TensorBoardTags.Of(m.Quantity, m.Layer, m.Index, m.T), m.Step)], e => Same(e.Value, m.Value));
            scalars++;
        }
        Assert.True(scalars > 100 && histograms > 0, $"{scalars} scalars, {histograms} histograms");
        // The speed of learning as RunView reads it, at every step it was measured, for every layer.
        for (int l = 1; l <= view.Depth; l++)
            foreach (var r in view.Records(view.SpeedQuantity, l))
                Assert.Contains(events[(TensorBoardTags.SpeedOf(l), r.Step)], e => Same(e.Value, r.Value));
        foreach (var e in view.Epochs)
        {
            Assert.Contains(events[("cost/train", e.Step)], x => Same(x.Value, e.TrainCost));
            Assert.Contains(events[("accuracy/test", e.Step)], x => Same(x.Value, e.TestAccuracy));
        }
    }

    private static bool Same(float? decoded, double value) =>
        decoded is { } d && (d.Equals((float)value) || (float.IsNaN(d) && double.IsNaN(value)));

    [Fact]
    public void Tags_NameLayersAndNetworkWideQuantities() =>
        Assert.Equal(["speed_of_learning/layer_2", "gain/layer_1", "network/cost", "time_grad_norm/layer_1/t_5"],
            new[] { TensorBoardTags.SpeedOf(2), TensorBoardTags.Of(Quantity.Gain, 1), TensorBoardTags.Of(Quantity.Cost, 0), TensorBoardTags.Of(Quantity.TimeGradNorm, 1, t: 5) });
}
