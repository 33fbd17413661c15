using System.Xml.Linq;
using Gradscope.Reports;
using SkiaSharp;

namespace Gradscope.Tests.Reports;

[Collection(ReportsCollection.Name)]
public sealed class FiguresTests(SampleRuns runs)
{
    private static readonly string[] FullRunFigures =
    [
        "speed-by-layer", "speed-over-training", "gain-decomposition", "saturation", "sigma-prime",
        "weight-grad-histograms", "activation-histograms", "jacobian-spectrum", "cost", "accuracy",
    ];

    [Fact]
    public void SaveAll_FullRun_WritesEveryFigureAsNonBlankPngAndValidSvg()
    {
        string dir = Path.Combine(runs.Root, "figures-full");
        var saved = ReportFigures.SaveAll(RunRecord.Load(runs.Full), dir);
        Assert.Equal(FullRunFigures, saved.Select(s => s.Name));
        foreach (var figure in saved)
        {
            using var bitmap = SKBitmap.Decode(figure.PngPath);
            Assert.NotNull(bitmap);
            Assert.Equal(800, bitmap.Width);
            Assert.True(InkFraction(bitmap) > 0.01, $"{figure.Name}.png is (nearly) blank");
            var svg = XDocument.Load(figure.SvgPath);
            Assert.Equal("svg", svg.Root!.Name.LocalName);
            Assert.Contains(svg.Descendants(), e => e.Name.LocalName == "text" && e.Value.Length > 0);
        }
    }

    [Fact]
    public void SaveAll_ReluRunWithDeadUnits_DrawsEveryFigure()
    {
        var run = RunRecord.Load(runs.Relu);
        Assert.Contains(run.Metrics, m => m.Quantity == Quantity.DeadFraction && m.Value > 0);
        var saved = ReportFigures.SaveAll(run, Path.Combine(runs.Root, "figures-relu"));
        Assert.Equal(FullRunFigures, saved.Select(s => s.Name));
        foreach (var figure in saved)
        {
            using var bitmap = SKBitmap.Decode(figure.PngPath);
            Assert.True(InkFraction(bitmap) > 0.01, $"{figure.Name}.png is (nearly) blank");
        }
    }

    [Fact]
    public void SaveAll_MinimalRun_SkipsFiguresWithoutData()
    {
        var saved = ReportFigures.SaveAll(RunRecord.Load(runs.Minimal), Path.Combine(runs.Root, "figures-minimal"));
        var names = saved.Select(s => s.Name).ToList();
        Assert.Contains("speed-by-layer", names);
        Assert.Contains("gain-decomposition", names);
        Assert.DoesNotContain("weight-grad-histograms", names);
        Assert.DoesNotContain("jacobian-spectrum", names);
        Assert.DoesNotContain("sigma-prime", names);
        Assert.All(saved, s => Assert.True(File.Exists(s.PngPath) && File.Exists(s.SvgPath)));
    }

    [Fact]
    public void Figures_MinimalRun_ReturnsNullForAbsentData()
    {
        var fig = new Figures(RunRecord.Load(runs.Minimal));
        Assert.Null(fig.ActivationHistograms());
        Assert.Null(fig.JacobianSpectrum());
        Assert.NotNull(fig.SpeedOfLearningOverTraining());
    }

    [Fact]
    public void SweepHeatmaps_FourRuns_RenderNonBlank()
    {
        var sweep = SweepRecord.Load(runs.Sweep);
        Assert.Equal(4, sweep.Cells.Count);
        Assert.Equal("activation", sweep.RowAxis);
        Assert.Equal("eta", sweep.ColumnAxis);
        foreach (var plot in new[] { SweepFigures.SpeedRatioHeatmap(sweep.Cells, sweep.RowAxis, sweep.ColumnAxis), SweepFigures.FinalAccuracyHeatmap(sweep.Cells, sweep.RowAxis, sweep.ColumnAxis) })
        {
            using var bitmap = SKBitmap.Decode(plot.GetImageBytes(800, 500, ScottPlot.ImageFormat.Png));
            Assert.True(InkFraction(bitmap) > 0.05);
        }
    }

    /// <summary>Share of pixels that are not the background colour of the top-left corner.</summary>
    internal static double InkFraction(SKBitmap bitmap)
    {
        var background = bitmap.GetPixel(0, 0);
        long ink = 0;
        for (int y = 0; y < bitmap.Height; y += 2)
            for (int x = 0; x < bitmap.Width; x += 2)
                if (bitmap.GetPixel(x, y) != background) ink++;
        return ink / (double)((bitmap.Height + 1) / 2 * ((bitmap.Width + 1) / 2));
    }
}
