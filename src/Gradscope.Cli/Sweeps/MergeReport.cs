using Gradscope.Cli.Terminal;

namespace Gradscope.Cli.Sweeps;

/// <summary>Merges a planned sweep folder and says, in plain lines, how many trials are in and which are missing.</summary>
public static class MergeReport
{
    /// <summary>Missing trials listed one by one; beyond this, sweep.json lists them all.</summary>
    private const int Listed = 20;

    public static SweepMergeResult MergeAndPrint(string root)
    {
        var result = SweepMerge.Merge(root);
        string path = Path.Combine(root, SweepFile.FileName);
        if (result.Missing.Count == 0)
        {
            Output.Line(result.Planned == 1 ? $"merged the 1 trial into {path}" : $"merged all {result.Planned} trials into {path}");
            return result;
        }
        Output.Line($"merged {result.Planned - result.Missing.Count} of {result.Planned} trials into {path}; {result.Missing.Count} missing:");
        foreach (var trial in result.Missing.Take(Listed)) Output.Line($"  trial {trial.Index}: {trial.Dir}");
        if (result.Missing.Count > Listed) Output.Line($"  … and {result.Missing.Count - Listed} more (sweep.json lists them all under \"missing\")");
        return result;
    }
}
