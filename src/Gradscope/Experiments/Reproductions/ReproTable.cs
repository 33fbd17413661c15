namespace Gradscope.Experiments.Reproductions;

/// <summary>One table of a reproduction: measured values, with the published ones beside them where they exist.</summary>
public sealed record ReproTable(string Title, string[] Columns, IReadOnlyList<string[]> Rows, string? Note = null);
