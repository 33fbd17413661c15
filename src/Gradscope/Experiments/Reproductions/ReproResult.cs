namespace Gradscope.Experiments.Reproductions;

/// <summary>
/// What a reproduction measured: its tables, the published claim it checks, and run directories it wrote; and,
/// where the reproduction provides them, each measured value as a number and figures for its page.
/// </summary>
public sealed record ReproResult(string Name, string Source, IReadOnlyList<ReproTable> Tables, IReadOnlyList<string> Findings, IReadOnlyList<string> RunDirectories,
    IReadOnlyList<ReproValue>? Values = null, IReadOnlyList<ReproFigure>? Figures = null);
