namespace Gradscope.Experiments.Reproductions;

/// <summary>What a reproduction measured: its tables, the published claim it checks, and run directories it wrote.</summary>
public sealed record ReproResult(string Name, string Source, IReadOnlyList<ReproTable> Tables, IReadOnlyList<string> Findings, IReadOnlyList<string> RunDirectories);
