using System.Globalization;

namespace Gradscope.Experiments;

/// <summary>
/// When a run writes a checkpoint: every N steps, or at the end of every epoch (<c>--checkpoint-every 500</c>,
/// <c>--checkpoint-every epoch</c>).
/// </summary>
public sealed record CheckpointSchedule(int Steps, bool EveryEpoch)
{
    public static CheckpointSchedule Parse(string text)
    {
        string t = (text ?? "").Trim().ToLowerInvariant();
        if (t is "epoch" or "epochs") return new CheckpointSchedule(0, true);
        if (t.EndsWith(" steps", StringComparison.Ordinal)) t = t[..^6];
        if (int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0) return new CheckpointSchedule(n, false);
        throw new ArgumentException($"--checkpoint-every: '{text}' is not a positive number of steps or 'epoch'.");
    }

    /// <summary>Whether a checkpoint is due after <paramref name="stepsDone"/> steps, at an epoch's end or not.</summary>
    public bool IsDue(long stepsDone, bool epochEnd) => EveryEpoch ? epochEnd : stepsDone % Steps == 0;

    public override string ToString() => EveryEpoch ? "epoch" : Steps.ToString(CultureInfo.InvariantCulture);
}
