using System.Text.Json;

namespace Gradscope.Record;

/// <summary>
/// One prescription as <c>diagnose --verify</c> ran it: the remedy's flags and reason, the spec it ran with (as one
/// line, with its η, and as the spec JSON), what it measured against the unchanged spec on the same budget, and the
/// verdict. The baseline is the unchanged spec itself.
/// </summary>
public sealed record VerifiedRun(string Name, string Flags, string Reason, string SpecLine, double Eta, double FirstToLastRatio,
    double Cost, double Accuracy, double CostChange, double RatioChange, bool Helped, string Verdict, double Seconds, string Status)
{
    /// <summary>The whole spec the prescription ran with, as its writer serialised it (null in files that lack it).</summary>
    public JsonElement? Spec { get; init; }

    /// <summary>R² on the same examples for a regression spec; NaN for classification (and in files that lack it).</summary>
    public double RSquared { get; init; } = double.NaN;

    /// <summary>A recurrent net's gradient through time at end, ‖∂C/∂h_1‖/‖∂C/∂h_τ‖ of its first recurrent layer; NaN without one.</summary>
    public double TimeRatio { get; init; } = double.NaN;

    /// <summary>The decades <see cref="TimeRatio"/> came closer to 1 than the baseline's.</summary>
    public double TimeRatioChange { get; init; } = double.NaN;
}

/// <summary>verification.json in a run directory: the one type that writes and reads <c>diagnose --verify</c>'s results.</summary>
public sealed record VerificationFile(VerifiedRun Baseline, IReadOnlyList<VerifiedRun> Results)
{
    public const string Name = "verification.json";

    /// <summary>The examples each verification run trained on (0 when the file does not say).</summary>
    public int Examples { get; init; }

    public void Write(string runDirectory) =>
        AtomicFile.WriteAllText(Path.Combine(runDirectory, Name), JsonSerializer.Serialize(this, JsonDefaults.Options));

    public static bool Exists(string runDirectory) => File.Exists(Path.Combine(runDirectory, Name));

    /// <summary>Reads a run directory's verification.json; null when there is none, an <see cref="InvalidDataException"/> naming it when malformed.</summary>
    public static VerificationFile? Read(string runDirectory)
    {
        string path = Path.Combine(runDirectory, Name);
        if (!File.Exists(path)) return null;
        try
        {
            var file = JsonSerializer.Deserialize<VerificationFile>(RegularFile.ReadAllText(path), JsonDefaults.Options);
            if (file?.Baseline is null || file.Results is null) throw new InvalidDataException("missing field baseline or results");
            if (file.Results.Any(r => r is null)) throw new InvalidDataException("an entry of results is null");
            // Text fields an older writer left out read as empty rather than as nulls for every reader to guard.
            static VerifiedRun Clean(VerifiedRun r) => r with
            {
                Name = r.Name ?? "", Flags = r.Flags ?? "", Reason = r.Reason ?? "", SpecLine = r.SpecLine ?? "", Verdict = r.Verdict ?? "", Status = r.Status ?? "",
            };
            return file with { Baseline = Clean(file.Baseline), Results = [.. file.Results.Select(Clean)] };
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or NotSupportedException or InvalidDataException)
        {
            throw new InvalidDataException($"'{path}' is not valid verification JSON: {e.Message}");
        }
    }
}
