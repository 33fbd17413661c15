namespace Gradscope.Tests.Runs;

/// <summary>The optional time index of a record: written as "t" only when present, read back, and read as profiles by RunView.</summary>
public sealed class TimeRecordTests
{
    [Fact]
    public void Format_RecordWithTime_RoundTripsAndMatchesWriter()
    {
        var record = new MetricRecord(12, 1, 2, Quantity.TimeGradNorm, 0.25, T: 7);
        var buffer = new byte[MetricsJsonl.MaxLength(record)];
        string line = System.Text.Encoding.UTF8.GetString(buffer, 0, MetricsJsonl.Format(record, buffer));
        Assert.Equal("{\"step\":12,\"epoch\":1,\"layer\":2,\"quantity\":\"time_grad_norm\",\"value\":0.25,\"t\":7}\n", line);
        Assert.Equal(line.TrimEnd('\n'), System.Text.Encoding.UTF8.GetString(MetricsJsonl.Serialize(record)));
        Assert.Equal(record, MetricsJsonl.Parse(line));
    }

    [Fact]
    public void Format_LayerRecord_HasNoTimeField()
    {
        var record = new MetricRecord(3, 0, 1, Quantity.DeltaNorm, 1.5);
        var buffer = new byte[MetricsJsonl.MaxLength(record)];
        string line = System.Text.Encoding.UTF8.GetString(buffer, 0, MetricsJsonl.Format(record, buffer));
        Assert.Equal("{\"step\":3,\"epoch\":0,\"layer\":1,\"quantity\":\"delta_norm\",\"value\":1.5}\n", line);
        Assert.Null(MetricsJsonl.Parse(line)!.Value.T);
    }

    [Fact]
    public void RunView_TimedRecords_ReadAsProfilesAndStayOutOfLayerSeries()
    {
        MetricRecord[] records =
        [
            new(0, 0, 1, Quantity.TimeGradNorm, 0.1, T: 1), new(0, 0, 1, Quantity.TimeGradNorm, 0.4, T: 3),
            new(0, 0, 1, Quantity.TimeGradNorm, 0.2, T: 2), new(9, 1, 1, Quantity.TimeGradNorm, 0.3, T: 1),
            new(9, 1, 1, Quantity.TimeGradNorm, 0.5, T: 3), new(9, 1, 1, Quantity.TimeGradRatio, 0.6),
        ];
        var view = new RunView([], records);
        Assert.Equal([0.1, 0.2, 0.4], view.ProfileAtInit(Quantity.TimeGradNorm, 1));
        var end = view.ProfileAtEnd(Quantity.TimeGradNorm, 1);
        Assert.Equal(0.3, end[0]);
        Assert.True(double.IsNaN(end[1]));
        Assert.Equal([0L, 9L], view.ProfileSteps(Quantity.TimeGradNorm, 1));
        Assert.Equal([1], view.ProfileLayers(Quantity.TimeGradNorm));
        Assert.Equal(3, view.TimeSteps(Quantity.TimeGradNorm, 1));
        Assert.Empty(view.Records(Quantity.TimeGradNorm, 1));
        Assert.Equal(0.6, view.AtEnd(Quantity.TimeGradRatio, 1));
        Assert.Equal(9, view.LastStep);
    }
}
