using System.Numerics;

namespace Gradscope.Data;

/// <summary>
/// Examples as read from a file, already split: the features of the training rows and of the held-out rows, each
/// row-major in one array of its final size, filled row by row as the file is read (the row count is known before
/// the first row: <see cref="CsvTable"/> counts the lines first), and the target column as read
/// (<see cref="TableTargets"/>). Values are stored in <typeparamref name="T"/>: float64 for a float64 run (which then
/// trains on these arrays as they are) or for standardisation (fitted in float64), float32 otherwise; either way a
/// file's numbers are held once.
/// </summary>
internal sealed class RawTable<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly bool[]? _held;
    private readonly int _capacity;
    private int _train, _test;

    /// <param name="rows">The rows the file holds.</param>
    /// <param name="held">Which rows go to the held-out set (null: none).</param>
    public RawTable(string path, int features, IReadOnlyList<string> featureNames, string targetName, int rows, bool[]? held)
    {
        Path = path;
        Features = features;
        FeatureNames = featureNames;
        _capacity = rows;
        _held = held;
        HeldRows = held is null ? 0 : held.Count(h => h);
        Targets = new TableTargets(path, targetName, rows);
        TrainFeatures = new T[Size(rows - HeldRows)];
        HeldFeatures = new T[Size(HeldRows)];
    }

    public string Path { get; }
    public int Features { get; }
    public IReadOnlyList<string> FeatureNames { get; }
    public TableTargets Targets { get; }

    /// <summary>Rows read so far.</summary>
    public int Rows { get; private set; }

    public int HeldRows { get; }
    public int TrainRows => _capacity - HeldRows;

    /// <summary>The training rows' features, [TrainRows × Features], in file order.</summary>
    public T[] TrainFeatures { get; }

    /// <summary>The held-out rows' features, [HeldRows × Features], in file order.</summary>
    public T[] HeldFeatures { get; }

    /// <summary>Whether row r (0-based, file order) is held out.</summary>
    public bool IsHeld(int r) => _held is not null && _held[r];

    /// <summary>Real-valued targets of several columns per row (a 2-D <c>y</c> in a .npz), row-major; null when <see cref="Targets"/> holds them.</summary>
    public double[]? TargetMatrix { get; set; }
    public int TargetWidth { get; set; } = 1;

    /// <summary>Space for the next row's features, where the row will stay; call <see cref="CommitRow"/> once it is filled.</summary>
    public Span<T> NextRow()
    {
        if (Rows >= _capacity) throw new DataFormatException(Path, $"more than the {_capacity} rows counted before reading; was the file changed while it was read?");
        return IsHeld(Rows) ? HeldFeatures.AsSpan(_test * Features, Features) : TrainFeatures.AsSpan(_train * Features, Features);
    }

    public void CommitRow()
    {
        if (IsHeld(Rows)) _test++;
        else _train++;
        Rows++;
    }

    /// <summary>Checks that every counted row was read.</summary>
    public void CheckComplete()
    {
        if (Rows != _capacity) throw new DataFormatException(Path, $"{Rows} rows read where {_capacity} were counted; was the file changed while it was read?");
    }

    private int Size(int rows) =>
        (long)rows * Features <= Array.MaxLength ? rows * Features : throw new DataFormatException(Path, "too many values for one array.");
}
