using Gradscope.Experiments;

namespace Gradscope.Diagnosis;

/// <summary>
/// Turns the remedy names of findings into prescriptions for one run: the registry's exact flags, computed for the
/// run's η, batch and measured gradient norm, and the one-line reason. Written into findings.json, so the report
/// and any later reader show the same flags the terminal printed.
/// </summary>
public static class Prescriber
{
    public static IReadOnlyList<Finding> Prescribe(IReadOnlyList<Finding> findings, RemedyContext context)
    {
        ArgumentNullException.ThrowIfNull(findings);
        ArgumentNullException.ThrowIfNull(context);
        return [.. findings.Select(f =>
        {
            // Judged on the spec for every finding: what the run already does is no remedy, and --verify runs these same names.
            var remedies = f.Remedies.Where(name => !RemedyRegistry.Contains(name) || Changes(RemedyRegistry.For(name, context), context.Spec)).ToList();
            return f with
            {
                Remedies = remedies,
                Prescriptions = [.. remedies.Where(RemedyRegistry.Contains).Select(name =>
                {
                    var remedy = RemedyRegistry.For(name, context);
                    return new Prescription(remedy.Name, remedy.Flags, remedy.Parameter is null ? remedy.Reason : $"{remedy.Reason} ({remedy.Parameter})");
                })],
            };
        })];
    }

    /// <summary>
    /// Whether <paramref name="remedy"/>'s flags change <paramref name="spec"/> (compared as the spec's JSON, as run.json
    /// keeps it); true when the spec is unknown, or when the flags do not apply to it, which <c>--verify</c> then reports.
    /// </summary>
    public static bool Changes(Remedy remedy, ExperimentSpec? spec)
    {
        ArgumentNullException.ThrowIfNull(remedy);
        if (spec is null) return true;
        try
        {
            return remedy.Apply(spec).ToJson() != spec.ToJson();
        }
        catch (ArgumentException)
        {
            return true;
        }
    }

    /// <summary>
    /// The context of a recorded run: its η and batch from the spec it was made from — or, for a run made elsewhere
    /// (a TorchSharp model), from its recorded settings, the defaults where it has none — its norms from its metrics.
    /// </summary>
    public static RemedyContext ContextOf(RunRecord run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.Info.Spec is not null) return RemedyContext.Of(RunInfos.SpecOf(run.Info), run.Metrics);
        var training = new Training.TrainingOptions();
        if (double.TryParse(run.Info.Setting("eta"), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double eta) && eta > 0)
            training = training with { Eta = eta };
        if (int.TryParse(run.Info.Setting("batch"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int batch) && batch > 0)
            training = training with { BatchSize = batch };
        return RemedyContext.Of(training, run.Metrics);
    }
}
