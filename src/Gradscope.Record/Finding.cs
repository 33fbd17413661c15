namespace Gradscope.Record;

/// <summary>
/// One diagnosis: what (kind, title), how bad (severity), the numbers that show it (evidence, and the same as
/// named values), why in terms of the gradient product (explanation), and what to try, best first (remedies —
/// names in the remedy registry, which gives the flags a user types and what <c>diagnose --verify</c> runs).
/// </summary>
public sealed record Finding(
    string Kind,
    string Severity,
    string Title,
    string Evidence,
    string Explanation,
    IReadOnlyList<string> Remedies,
    IReadOnlyDictionary<string, double> Numbers,
    IReadOnlyList<int> Layers)
{
    /// <summary>Each remedy with the exact flags to type for the diagnosed run and why (empty until the doctor prescribes).</summary>
    public IReadOnlyList<Prescription> Prescriptions { get; init; } = [];
}

/// <summary>A remedy as prescribed to one run: its registry name, the flags to type, and the one-line reason.</summary>
public sealed record Prescription(string Remedy, string Flags, string Reason);

/// <summary>The kinds of finding, as written in findings.json.</summary>
public static class FindingKind
{
    public const string Vanishing = "vanishing";
    public const string Exploding = "exploding";
    public const string VanishingThroughTime = "vanishing-through-time";
    public const string ExplodingThroughTime = "exploding-through-time";
    public const string NonFinite = "non-finite";
    public const string Converged = "converged";
    public const string Saturation = "saturation";
    public const string DeadUnits = "dead-units";
    public const string UpdateRatio = "update-ratio";
    public const string SgdNoise = "sgd-noise";
}
