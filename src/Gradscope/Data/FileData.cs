using System.Globalization;
using System.Numerics;
using Gradscope.IO;
using Gradscope.Numerics;

namespace Gradscope.Data;

/// <summary>
/// A data file of your own as a train/test split (docs/data.md): delimited text (<see cref="CsvTable"/>), a 2-D
/// <c>.npy</c> (target = last column, like a headerless CSV) or a <c>.npz</c> with arrays <c>x</c> and <c>y</c>.
/// The test set is a separate file, or a seeded fraction of the examples; standardisation is fitted on the
/// training split. Values stay float64 until a float32 run converts them.
/// </summary>
public static class FileData
{
    /// <summary>Seed of the test split: fixed, so every run and every trial of a sweep sees the same split.</summary>
    public const ulong SplitSeed = 0x53504C4954; // "SPLIT"

    /// <param name="scaling">Standardisation to apply instead of fitting one (a loaded model's own); null fits one when the options ask.</param>
    /// <param name="keepExact">A float64 run: keep the float64 sets (<see cref="DataSplit.FromExact"/>) and make no float32 copy.</param>
    public static DataSplit Load(string path, DataFileOptions options, int? trainCount = null, int? testCount = null,
        FeatureScaling? scaling = null, bool keepExact = false)
    {
        ArgumentNullException.ThrowIfNull(path);
        options ??= new DataFileOptions();
        options.Validate();
        // Values are read into the precision they end in; standardisation is fitted and applied in float64 (then rounded).
        return keepExact || options.Standardize || scaling is not null
            ? Load<double>(path, options, trainCount, testCount, scaling, keepExact)
            : Load<float>(path, options, trainCount, testCount, null, keepExact: false);
    }

    private static DataSplit Load<T>(string path, DataFileOptions options, int? trainCount, int? testCount, FeatureScaling? scaling, bool keepExact)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool separateTest = options.TestFile is not null;
        var table = Read<T>(path, options, rows => separateTest ? null : HoldOut(rows, options.TestFraction));
        RawTable<T>? testTable = options.TestFile is { } testPath ? Read<T>(testPath, options with { TestFile = null }, _ => null) : null;
        if (testTable is not null && testTable.Features != table.Features)
            throw new DataFormatException(testTable.Path, $"{testTable.Features} features where '{path}' has {table.Features}.");
        if (table.Rows == 0) throw new DataFormatException(path, "no rows.");

        bool? requested = DataFileOptions.ParseTask(options.Task);
        bool classify = table.TargetMatrix is null && table.Targets.IsClassification(requested);
        if (table.TargetMatrix is not null && requested == true)
            throw new DataFormatException(path, $"y has {table.TargetWidth} columns; class labels are one column.");
        string[]? classes = null;
        int[]? labels = null, testLabels = null;
        if (classify)
        {
            (classes, labels) = table.Targets.Classes();
            if (testTable is not null) testLabels = MapClasses(testTable, classes);
        }
        int outputs = classify ? classes!.Length : table.TargetWidth;
        if (classify)
        {
            var counts = new int[outputs];
            for (int r = 0; r < table.Rows; r++) if (!table.IsHeld(r)) counts[labels![r]]++;
            if (counts.Count(c => c > 0) < 2)
                throw new DataFormatException(path, $"column '{table.Targets.Name}' has one class only ('{classes![Array.FindIndex(counts, c => c > 0)]}') in the training split; classification needs two.");
        }
        // Statistics of the training rows only; then every row is standardised in place, in float64.
        FeatureScaling? applied = null;
        if (table is RawTable<double> wide && (scaling is not null || options.Standardize))
        {
            applied = scaling ?? FeatureScaling.Of(wide.TrainFeatures, wide.Features);
            if (applied.Features != table.Features)
                throw new DataFormatException(path, $"{table.Features} features but the model's standardisation has {applied.Features}.");
            applied.Apply(wide.TrainFeatures);
            applied.Apply(wide.HeldFeatures);
            if (testTable is RawTable<double> wideTest) applied.Apply(wideTest.TrainFeatures);
        }

        var (train, held) = Sets(table, classify, outputs, labels);
        var test = testTable is null ? held : Sets(testTable, classify, outputs, testLabels).Train;
        var split = (train, test) switch
        {
            (Dataset<double> a, Dataset<double> b) when keepExact => DataSplit.FromExact(a, b),
            (Dataset<float> a, Dataset<float> b) => new DataSplit(a, b),
            // Standardised for a float32 run: rounded once, and the float64 arrays go.
            _ => new DataSplit(train.Convert<float>(), test.Convert<float>()),
        };
        return split.Take(trainCount, testCount) with { Scaling = applied, IsRegression = !classify, ClassNames = classes };
    }

    /// <summary>Which rows are held out: a seeded shuffle picks round(f·n) of them (at most n − 1); both sets keep file order.</summary>
    private static bool[]? HoldOut(int rows, double fraction)
    {
        if (fraction <= 0 || rows == 0) return null;
        int testRows = (int)Math.Round(fraction * rows);
        if (testRows >= rows) testRows = rows - 1;
        var order = new int[rows];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        new Rng(SplitSeed).Shuffle(order);
        var held = new bool[rows];
        for (int i = 0; i < testRows; i++) held[order[i]] = true;
        return held;
    }

    private static RawTable<T> Read<T>(string path, DataFileOptions options, Func<int, bool[]?> holdOut) where T : unmanaged, IFloatingPointIeee754<T>
    {
        string lower = path.ToLowerInvariant();
        if (lower.EndsWith(".npz", StringComparison.Ordinal)) return FromNpz<T>(path, holdOut);
        if (lower.EndsWith(".npy", StringComparison.Ordinal)) return FromNpy<T>(path, options, holdOut);
        return CsvTable.Read<T>(path, options, holdOut);
    }

    private static int[] MapClasses<T>(RawTable<T> test, string[] classes) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (testClasses, testLabels) = test.Targets.Classes();
        var index = classes.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i, StringComparer.Ordinal);
        var map = new int[testClasses.Length];
        for (int i = 0; i < map.Length; i++)
            map[i] = index.TryGetValue(testClasses[i], out int k) ? k
                : throw new DataFormatException(test.Path, $"class '{testClasses[i]}' of column '{test.Targets.Name}' does not occur in the training data.");
        return [.. testLabels.Select(l => map[l])];
    }

    /// <summary>
    /// The training and held-out sets of a table: its feature arrays as they are (no copy) and the targets, one-hot
    /// for classes.
    /// </summary>
    private static (Dataset<T> Train, Dataset<T> Test) Sets<T>(RawTable<T> table, bool classify, int outputs, int[]? labels)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var trainY = new T[(long)table.TrainRows * outputs <= Array.MaxLength ? table.TrainRows * outputs : throw new DataFormatException(table.Path, "too many targets for one array.")];
        var testY = new T[table.HeldRows * outputs];
        int[]? trainLabels = classify ? new int[table.TrainRows] : null, testLabels = classify ? new int[table.HeldRows] : null;
        for (int r = 0, a = 0, b = 0; r < table.Rows; r++)
        {
            bool held = table.IsHeld(r);
            int i = held ? b++ : a++;
            var y = (held ? testY : trainY).AsSpan(i * outputs, outputs);
            if (classify)
            {
                y[labels![r]] = T.One;
                (held ? testLabels! : trainLabels!)[i] = labels[r];
            }
            else if (table.TargetMatrix is { } matrix)
                for (int k = 0; k < outputs; k++) y[k] = T.CreateTruncating(matrix[r * outputs + k]);
            else y[0] = T.CreateTruncating(table.Targets.Value(r));
        }
        string name = Path.GetFileName(table.Path);
        return (new Dataset<T>(name, table.Features, outputs, table.TrainFeatures, trainY, trainLabels),
            new Dataset<T>(name + "-test", table.Features, outputs, table.HeldFeatures, testY, testLabels));
    }

    private static RawTable<T> FromNpy<T>(string path, DataFileOptions options, Func<int, bool[]?> holdOut) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var array = Npy.Read(path);
        if (array.Shape.Length != 2 || array.Shape[1] < 2)
            throw new DataFormatException(path, $"a .npy data file is one 2-D array of rows (features then the target); this one is {array.ShapeText}.");
        int columns = array.Shape[1];
        int target = columns - 1;
        if (options.Target is { } t && (!int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out target) || --target < 0 || target >= columns))
            throw new DataFormatException(path, $"--target '{t}': a .npy file's columns are numbered 1…{columns}.");
        string[] names = [.. Enumerable.Range(1, columns).Where(c => c != target + 1).Select(c => c.ToString(CultureInfo.InvariantCulture))];
        var table = new RawTable<T>(path, columns - 1, names, (target + 1).ToString(CultureInfo.InvariantCulture), array.Rows, holdOut(array.Rows));
        for (int r = 0; r < array.Rows; r++)
        {
            var row = array.Values.AsSpan(r * columns, columns);
            var x = table.NextRow();
            for (int c = 0, k = 0; c < columns; c++)
            {
                if (c == target) table.Targets.Add(Text(row[c]), r + 1, c + 1);
                else x[k++] = T.CreateTruncating(Finite(row[c], path, r, c));
            }
            table.CommitRow();
        }
        return table;
    }

    private static RawTable<T> FromNpz<T>(string path, Func<int, bool[]?> holdOut) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var arrays = Npz.Read(path).ToDictionary(p => p.Name, p => p.Array, StringComparer.Ordinal);
        if (!arrays.TryGetValue("x", out var x) || !arrays.TryGetValue("y", out var y))
            throw new DataFormatException(path, $"a .npz data file needs arrays 'x' (features) and 'y' (targets); it has {string.Join(", ", arrays.Keys.Select(k => $"'{k}'"))}.");
        if (x.Shape.Length is not (1 or 2) || x.Rows == 0)
            throw new DataFormatException(path, $"'x' must be 2-D [examples × features]; it is {x.ShapeText}.");
        if (y.Shape.Length is not (1 or 2) || y.Rows != x.Rows)
            throw new DataFormatException(path, $"'y' {y.ShapeText} does not have one row per row of 'x' {x.ShapeText}.");
        int n = x.Columns;
        var table = new RawTable<T>(path, n, [.. Enumerable.Range(1, n).Select(c => c.ToString(CultureInfo.InvariantCulture))], "y", x.Rows, holdOut(x.Rows));
        for (int r = 0; r < x.Rows; r++)
        {
            var row = table.NextRow();
            for (int c = 0; c < n; c++) row[c] = T.CreateTruncating(Finite(x.Values[r * n + c], path, r, c, "x"));
            table.CommitRow();
        }
        if (y.Columns > 1)
        {
            for (int i = 0; i < y.Values.Length; i++) Finite(y.Values[i], path, i / y.Columns, i % y.Columns, "y");
            table.TargetMatrix = y.Values;
            table.TargetWidth = y.Columns;
        }
        else
            for (int r = 0; r < y.Rows; r++) table.Targets.Add(Text(y.Values[r]), r + 1, 1);
        return table;
    }

    private static string Text(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static double Finite(double v, string path, int row, int column, string array = "")
    {
        if (double.IsFinite(v)) return v;
        string where = array.Length > 0 ? $"'{array}'[{row}, {column}]" : $"row {row + 1}, column {column + 1}";
        throw new DataFormatException(path, $"{where} is {Text(v)}; NaN and infinite values are not allowed.");
    }
}
