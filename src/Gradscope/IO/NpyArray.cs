namespace Gradscope.IO;

/// <summary>
/// One NumPy array as Gradscope holds it: its shape and its values as float64, row-major (C order), with a note of
/// whether the file stored integers (class labels) or floats. Every numeric dtype NumPy writes for data converts to
/// float64 exactly except 64-bit integers beyond 2⁵³, which are refused.
/// </summary>
public sealed record NpyArray(int[] Shape, double[] Values, bool IsInteger)
{
    /// <summary>Elements in the array (the product of the shape).</summary>
    public long Count => Shape.Aggregate(1L, (n, d) => n * d);

    /// <summary>Rows: the first dimension, or 1 for a scalar.</summary>
    public int Rows => Shape.Length == 0 ? 1 : Shape[0];

    /// <summary>Elements per row: the product of every dimension after the first.</summary>
    public int Columns => Shape.Length <= 1 ? 1 : (int)(Count / Math.Max(1, Shape[0]));

    public string ShapeText => "(" + string.Join(", ", Shape) + (Shape.Length == 1 ? ",)" : ")");
}
