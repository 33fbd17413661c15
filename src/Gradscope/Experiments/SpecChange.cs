namespace Gradscope.Experiments;

/// <summary>One flag of a remedy as a user types it: <c>--eta 0.05</c>, or a switch alone (<c>--residual</c>, Value null).</summary>
public sealed record SpecChange(string Flag, string? Value)
{
    /// <summary>
    /// The changes in a line of flags (<c>--activation relu --init he-normal</c>): a flag followed by another flag, or
    /// by nothing, is a switch.
    /// </summary>
    public static IReadOnlyList<SpecChange> Parse(string flags)
    {
        ArgumentNullException.ThrowIfNull(flags);
        var tokens = flags.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var changes = new List<SpecChange>();
        for (int i = 0; i < tokens.Length; i++)
        {
            if (!tokens[i].StartsWith("--", StringComparison.Ordinal))
                throw new ArgumentException($"'{tokens[i]}' in '{flags}' is not a flag: each change is --flag value.");
            bool hasValue = i + 1 < tokens.Length && !tokens[i + 1].StartsWith("--", StringComparison.Ordinal);
            changes.Add(new SpecChange(tokens[i], hasValue ? tokens[++i] : null));
        }
        return changes;
    }

    public override string ToString() => Value is null ? Flag : $"{Flag} {Value}";
}
