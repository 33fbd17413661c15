using System.CommandLine;

namespace Gradscope.Cli.Sweeps;

/// <summary>One swept flag: a list of values for a grid, or a <see cref="ValueRange"/> a random search draws from.</summary>
public sealed record SweepAxis(Option<string?> Option, string[] Values, ValueRange? Range = null)
{
    /// <summary>The flag's name without dashes, as sweep.json and folder names spell it.</summary>
    public string Key => Option.Name.TrimStart('-');

    /// <summary>What sweep-plan.json and sweep.json record for the axis: its values, or the range as typed.</summary>
    public string[] Recorded => Range is null ? Values : [Range.ToString()];

    public string Describe() => Range is null ? $"{Key} ({Values.Length})" : $"{Key} ({Range})";
}
