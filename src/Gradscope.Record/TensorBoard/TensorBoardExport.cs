namespace Gradscope.Record.TensorBoard;

/// <summary>
/// <c>export --tensorboard</c>: a run's record as one event file in <c>&lt;folder&gt;/&lt;run directory name&gt;/</c>,
/// read through <see cref="RunView"/> (its speed of learning, its epochs). Records carry steps, not times, so each
/// event's wall time is the run's start plus the training time at that step, interpolated between epoch summaries.
/// </summary>
public static class TensorBoardExport
{
    public static string Write(RunRecord run, string folder)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(folder);
        var view = new RunView(run);
        string name = System.IO.Path.GetFileName(System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(run.Directory)));
        using var writer = new EventFileWriter(System.IO.Path.Combine(folder, name), run.Info.Start);
        var clock = new StepClock(run.Info.Start, view.Epochs);
        foreach (var r in run.Metrics) TensorBoardTags.Write(writer, r, view.SpeedQuantity, clock.At(r.Step));
        foreach (var e in view.Epochs) TensorBoardTags.WriteEpoch(writer, e, clock.At(e.Step));
        return writer.Path;
    }

    private sealed class StepClock(DateTimeOffset start, IReadOnlyList<EpochSummary> epochs)
    {
        public DateTimeOffset At(long step)
        {
            if (epochs.Count == 0) return start;
            int i = 0;
            while (i < epochs.Count - 1 && epochs[i + 1].Step < step) i++;
            var a = epochs[i];
            var b = i + 1 < epochs.Count ? epochs[i + 1] : a;
            double seconds = b.Step > a.Step ? a.Seconds + (b.Seconds - a.Seconds) * Math.Clamp((step - a.Step) / (double)(b.Step - a.Step), 0, 1) : a.Seconds;
            return start.AddSeconds(double.IsFinite(seconds) ? seconds : 0);
        }
    }
}
