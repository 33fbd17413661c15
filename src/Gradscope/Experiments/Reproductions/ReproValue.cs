namespace Gradscope.Experiments.Reproductions;

/// <summary>
/// One measured value of a reproduction as a number, so scripts and tests need not parse table strings:
/// a path-like <paramref name="Name"/> (e.g. <c>sigmoid/B=10/noise</c>), its <paramref name="Units"/>, and the
/// published value where the source gives one.
/// </summary>
public sealed record ReproValue(string Name, double Value, string Units, double? Published = null);
