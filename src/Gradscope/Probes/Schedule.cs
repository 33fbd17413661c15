using System.Globalization;

namespace Gradscope.Probes;

/// <summary>
/// When a probe runs: every N steps (step 0, N, 2N, …), on a log schedule (steps 0, 1, 2, 4, 8, …), both
/// (<c>log+every:N</c>), or never.
/// </summary>
public readonly record struct Schedule(int Every, bool Log)
{
    public static Schedule Never => new(0, false);
    public static Schedule EveryStep => new(1, false);

    public bool IsDue(long step)
    {
        // Asked for every schedule at every step: every step and never answer without a 64-bit division.
        if (Every == 1) return true;
        if (Every > 0 && step % Every == 0) return true;
        return Log && (step == 0 || (step & (step - 1)) == 0);
    }

    /// <summary>Parses <c>never</c>, <c>N</c>, <c>every:N</c>, <c>log</c> or <c>log+every:N</c>.</summary>
    public static Schedule Parse(string text)
    {
        string t = (text ?? "").Trim().ToLowerInvariant();
        if (t is "never" or "off" or "0") return Never;
        bool log = false;
        if (t.StartsWith("log", StringComparison.Ordinal))
        {
            log = true;
            t = t[3..].TrimStart('+');
            if (t.Length == 0) return new Schedule(0, true);
        }
        if (t.StartsWith("every:", StringComparison.Ordinal)) t = t[6..];
        if (int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out int every) && every > 0)
            return new Schedule(every, log);
        throw new ArgumentException($"Invalid probe schedule '{text}': use never, N, every:N, log or log+every:N.");
    }

    public override string ToString() => (Every, Log) switch
    {
        (0, false) => "never",
        (0, true) => "log",
        (_, true) => $"log+every:{Every}",
        _ => $"every:{Every}",
    };
}
