namespace Gradscope.Record;

/// <summary>Summaries of measured series.</summary>
public static class Means
{
    /// <summary>
    /// The typical size of a positive quantity over many steps: the geometric mean of the finite values (gains and
    /// norms multiply, and range over decades), or the arithmetic mean when any is zero or negative; NaN when none.
    /// </summary>
    public static double Typical(IEnumerable<double> values)
    {
        var finite = values.Where(double.IsFinite).ToList();
        if (finite.Count == 0) return double.NaN;
        return finite.All(v => v > 0) ? Math.Exp(finite.Average(Math.Log)) : finite.Average();
    }
}
