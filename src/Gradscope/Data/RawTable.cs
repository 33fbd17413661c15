namespace Gradscope.Data;

/// <summary>
/// Examples as read from a file, before the split: features row-major in float64 chunks of whole rows (so a large
/// file never needs one array of its size plus a copy), and the target column as read (<see cref="TableTargets"/>).
/// </summary>
internal sealed class RawTable
{
    private const int ChunkValues = 1 << 20;
    private readonly List<double[]?> _chunks = [];
    private double[] _current = [];
    private int _filled;

    public RawTable(string path, int features, IReadOnlyList<string> featureNames, string targetName)
    {
        Path = path;
        Features = features;
        FeatureNames = featureNames;
        Targets = new TableTargets(path, targetName);
        ChunkRows = Math.Max(1, ChunkValues / Math.Max(1, features));
    }

    public string Path { get; }
    public int Features { get; }
    public IReadOnlyList<string> FeatureNames { get; }
    public TableTargets Targets { get; }
    public int Rows { get; private set; }
    public int ChunkRows { get; }

    /// <summary>Real-valued targets of several columns per row (a 2-D <c>y</c> in a .npz), row-major; null when <see cref="Targets"/> holds them.</summary>
    public double[]? TargetMatrix { get; set; }
    public int TargetWidth { get; set; } = 1;

    /// <summary>Space for the next row's features; call <see cref="CommitRow"/> once it is filled.</summary>
    public Span<double> NextRow()
    {
        if (_filled == _current.Length)
        {
            _current = new double[ChunkRows * Features];
            _chunks.Add(_current);
            _filled = 0;
        }
        return _current.AsSpan(_filled, Features);
    }

    public void CommitRow()
    {
        _filled += Features;
        Rows++;
    }

    /// <summary>The features of row r (0-based).</summary>
    public ReadOnlySpan<double> Row(int r) =>
        (_chunks[r / ChunkRows] ?? throw new InvalidOperationException("Row already released.")).AsSpan(r % ChunkRows * Features, Features);

    /// <summary>Drops the chunk holding row r once every row before the next chunk is copied out.</summary>
    public void ReleaseThrough(int r)
    {
        if ((r + 1) % ChunkRows == 0 || r == Rows - 1) _chunks[r / ChunkRows] = null;
    }
}
