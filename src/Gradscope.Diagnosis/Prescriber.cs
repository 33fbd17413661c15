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
        string? spec = context.Spec?.ToJson();
        return [.. findings.Select(f =>
        {
            // Judged on the spec for every finding: what the run already does is no remedy, and --verify runs these same names.
            var made = f.Remedies.Select(name => (Name: name, Remedy: RemedyRegistry.Contains(name) ? RemedyRegistry.For(name, context) : null))
                .Where(r => r.Remedy is null || Changes(r.Remedy, context.Spec, spec)).ToList();
            return f with
            {
                Remedies = [.. made.Select(r => r.Name)],
                Prescriptions = [.. made.Where(r => r.Remedy is not null).Select(r => new Prescription(r.Remedy!.Name, r.Remedy.Flags,
                    r.Remedy.Parameter is null ? r.Remedy.Reason : $"{r.Remedy.Reason} ({r.Remedy.Parameter})"))],
            };
        })];
    }

    /// <summary>
    /// Whether <paramref name="remedy"/>'s flags change <paramref name="spec"/> (compared as the spec's JSON, as run.json
    /// keeps it); true when the spec is unknown, or when the flags do not apply to it, which <c>--verify</c> then reports.
    /// </summary>
    public static bool Changes(Remedy remedy, ExperimentSpec? spec) => Changes(remedy, spec, spec?.ToJson());

    private static bool Changes(Remedy remedy, ExperimentSpec? spec, string? specJson)
    {
        ArgumentNullException.ThrowIfNull(remedy);
        if (spec is null) return true;
        try
        {
            return remedy.Apply(spec).ToJson() != specJson;
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
