using System.Globalization;
using Gradscope.Numerics;

namespace Gradscope.Cli.Sweeps;

/// <summary>
/// A range a random search draws from instead of a list: <c>log:1e-4..1</c> (log-uniform), <c>lin:0..0.9</c>
/// (uniform) or <c>int:1..8</c> (a whole number, both ends included). Real draws keep four significant digits, so
/// a trial's folder name and its spec carry the same value.
/// </summary>
public sealed record ValueRange(string Kind, double Low, double High)
{
    public static bool IsRange(string text) =>
        text.StartsWith("log:", StringComparison.Ordinal) || text.StartsWith("lin:", StringComparison.Ordinal) || text.StartsWith("int:", StringComparison.Ordinal);

    /// <summary>Parses a range given to <paramref name="flag"/>; bad ranges are a <see cref="UsageException"/> naming both.</summary>
    public static ValueRange Parse(string flag, string text)
    {
        string kind = text[..3];
        var ends = text[4..].Split("..");
        if (ends.Length != 2 || !double.TryParse(ends[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double low)
            || !double.TryParse(ends[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double high)
            || !double.IsFinite(low) || !double.IsFinite(high))
            throw new UsageException($"{flag} {text}: expected {kind}:low..high with two numbers, e.g. log:1e-4..1.");
        if (!(low < high)) throw new UsageException($"{flag} {text}: the low end must be below the high end.");
        if (kind == "log" && low <= 0) throw new UsageException($"{flag} {text}: a log range needs a positive low end.");
        if (kind == "int" && (low != Math.Floor(low) || high != Math.Floor(high) || Math.Abs(high - low) > int.MaxValue - 1))
            throw new UsageException($"{flag} {text}: an int range needs whole-number ends.");
        return new ValueRange(kind, low, high);
    }

    public string Draw(Rng rng)
    {
        if (Kind == "int") return ((long)Low + rng.NextInt((int)(High - Low) + 1)).ToString(CultureInfo.InvariantCulture);
        double value = Kind == "log" ? Math.Exp(rng.Uniform(Math.Log(Low), Math.Log(High))) : rng.Uniform(Low, High);
        return double.Parse(value.ToString("G4", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture);
    }

    public override string ToString() =>
        $"{Kind}:{Low.ToString("R", CultureInfo.InvariantCulture)}..{High.ToString("R", CultureInfo.InvariantCulture)}";
}
