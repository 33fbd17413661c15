namespace Gradscope.Experiments;

/// <summary>
/// A named change to a spec, written as the exact flags a user would type (<c>relu-he</c> =
/// <c>--activation relu --init he-normal --eta 0.05</c>), with a one-line reason. <see cref="Apply"/> applies
/// those same flags through <see cref="SpecFields"/>, the mapping the CLI's parser uses, so what is printed is what
/// runs. Made by <see cref="RemedyRegistry.For(string, RemedyContext)"/> for the run it treats.
/// </summary>
/// <param name="Name">The registry name, e.g. <c>relu-he</c>.</param>
/// <param name="Reason">Why it helps, in one line.</param>
/// <param name="Changes">The flags, in the order printed and applied.</param>
/// <param name="Parameter">What a value computed from the treated run stands for (e.g. the clip threshold τ); null when every value is fixed.</param>
public sealed record Remedy(string Name, string Reason, IReadOnlyList<SpecChange> Changes, string? Parameter = null)
{
    /// <summary>The flags to type, e.g. <c>--activation relu --init he-normal --eta 0.05</c>.</summary>
    public string Flags => string.Join(' ', Changes);

    /// <summary><paramref name="spec"/> changed by every flag of this remedy, in order.</summary>
    public ExperimentSpec Apply(ExperimentSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        foreach (var change in Changes) spec = SpecFields.Set(spec, change.Flag, change.Value);
        return spec;
    }

    public override string ToString() => $"{Name}: {Flags}";
}
