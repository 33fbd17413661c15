namespace Gradscope.Experiments.Reproductions;

/// <summary>
/// A stacked bar chart of a reproduction: one bar per <see cref="ReproBar"/>, one stacked segment per series.
/// Data only; the CLI draws it (reports never see the engine's types).
/// </summary>
public sealed record ReproFigure(string Title, string Units, string[] Series, IReadOnlyList<ReproBar> Bars);
