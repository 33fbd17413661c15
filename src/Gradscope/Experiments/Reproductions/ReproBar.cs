namespace Gradscope.Experiments.Reproductions;

/// <summary>One bar of a <see cref="ReproFigure"/>: a label and one non-negative value per series, stacked.</summary>
public sealed record ReproBar(string Label, double[] Values);
