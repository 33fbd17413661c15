using System.Globalization;
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
    /// <param name="keepExact">Keep the float64 sets (for a float64 run) besides the float32 ones.</param>
    public static DataSplit Load(string path, DataFileOptions options, int? trainCount = null, int? testCount = null,
        FeatureScaling? scaling = null, bool keepExact = false)
    {
        ArgumentNullException.ThrowIfNull(path);
        options ??= new DataFileOptions();
        options.Validate();
        var table = Read(path, options);
        RawTable? testTable = options.TestFile is { } testPath ? Read(testPath, options with { TestFile = null }) : null;
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

        // Which rows are held out: a seeded shuffle picks round(f·n) of them; both sets keep file order.
        bool[]? isTest = null;
        int testRows = 0;
        if (testTable is null && options.TestFraction > 0)
        {
            testRows = (int)Math.Round(options.TestFraction * table.Rows);
            if (testRows >= table.Rows) testRows = table.Rows - 1;
            var order = new int[table.Rows];
            for (int i = 0; i < order.Length; i++) order[i] = i;
            new Rng(SplitSeed).Shuffle(order);
            isTest = new bool[table.Rows];
            for (int i = 0; i < testRows; i++) isTest[order[i]] = true;
        }
        int outputs = classify ? classes!.Length : table.TargetWidth;
        if (classify)
        {
            var counts = new int[outputs];
            for (int r = 0; r < table.Rows; r++) if (isTest is null || !isTest[r]) counts[labels![r]]++;
            if (counts.Count(c => c > 0) < 2)
                throw new DataFormatException(path, $"column '{table.Targets.Name}' has one class only ('{classes![Array.FindIndex(counts, c => c > 0)]}') in the training split; classification needs two.");
        }
        // Statistics of the training rows only, taken before the copy so the copy can standardise as it goes.
        FeatureScaling? applied = scaling ?? (options.Standardize ? FeatureScaling.Of(table, isTest) : null);
        if (applied is not null && applied.Features != table.Features)
            throw new DataFormatException(path, $"{table.Features} features but the model's standardisation has {applied.Features}.");
        // A float32 run never holds the float64 values whole: the rows go from the chunks straight into float32.
        return keepExact
            ? Finish(Copy<double>(table, testTable, isTest, testRows, classify, outputs, labels, testLabels, applied), trainCount, testCount, applied, !classify, classes, exact: true)
            : Finish(Copy<float>(table, testTable, isTest, testRows, classify, outputs, labels, testLabels, applied), trainCount, testCount, applied, !classify, classes, exact: false);
    }

    private static DataSplit Finish<T>((Dataset<T> Train, Dataset<T> Test) sets, int? trainCount, int? testCount, FeatureScaling? scaling,
        bool regression, string[]? classes, bool exact) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var (train, test) = sets;
        if (trainCount is int tc) train = train.Take(tc);
        if (testCount is int sc) test = test.Take(sc);
        var split = exact
            ? new DataSplit(train.Convert<float>(), test.Convert<float>()) { ExactTrain = train as Dataset<double>, ExactTest = test as Dataset<double> }
            : new DataSplit((train as Dataset<float>)!, (test as Dataset<float>)!);
        return split with { Scaling = scaling, IsRegression = regression, ClassNames = classes };
    }

    private static (Dataset<T> Train, Dataset<T> Test) Copy<T>(RawTable table, RawTable? testTable, bool[]? isTest, int testRows,
        bool classify, int outputs, int[]? labels, int[]? testLabels, FeatureScaling? scaling) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var (train, held) = Copy<T>(table, isTest, table.Rows - testRows, testRows, classify, outputs, labels, scaling);
        return (train, testTable is null ? held : Copy<T>(testTable, null, testTable.Rows, 0, classify, outputs, testLabels, scaling).Train);
    }

    private static RawTable Read(string path, DataFileOptions options)
    {
        string lower = path.ToLowerInvariant();
        if (lower.EndsWith(".npz", StringComparison.Ordinal)) return FromNpz(path, options);
        if (lower.EndsWith(".npy", StringComparison.Ordinal)) return FromNpy(path, options);
        return CsvTable.Read(path, options);
    }

    private static int[] MapClasses(RawTable test, string[] classes)
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
    /// Copies rows into the training and held-out sets (standardised on the way when asked), releasing the table's
    /// chunks as it goes, so the peak is about the table plus the sets.
    /// </summary>
    private static (Dataset<T> Train, Dataset<T> Test) Copy<T>(RawTable table, bool[]? isTest, int trainRows, int testRows,
        bool classify, int outputs, int[]? labels, FeatureScaling? scaling) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        int n = table.Features;
        var trainX = new T[(long)trainRows * n <= Array.MaxLength ? trainRows * n : throw new DataFormatException(table.Path, "too many values for one array.")];
        var testX = new T[testRows * n];
        var trainY = new T[trainRows * outputs];
        var testY = new T[testRows * outputs];
        var buffer = new double[n];
        int[]? trainLabels = classify ? new int[trainRows] : null, testLabels = classify ? new int[testRows] : null;
        int a = 0, b = 0;
        for (int r = 0; r < table.Rows; r++)
        {
            bool held = isTest is not null && isTest[r];
            int i = held ? b++ : a++;
            table.Row(r).CopyTo(buffer);
            scaling?.Apply(buffer);
            var x = (held ? testX : trainX).AsSpan(i * n, n);
            for (int k = 0; k < n; k++) x[k] = T.CreateTruncating(buffer[k]);
            var y = (held ? testY : trainY).AsSpan(i * outputs, outputs);
            if (classify)
            {
                y[labels![r]] = T.One;
                (held ? testLabels! : trainLabels!)[i] = labels[r];
            }
            else if (table.TargetMatrix is { } matrix)
                for (int k = 0; k < outputs; k++) y[k] = T.CreateTruncating(matrix[r * outputs + k]);
            else y[0] = T.CreateTruncating(table.Targets.Value(r));
            table.ReleaseThrough(r);
        }
        string name = Path.GetFileName(table.Path);
        return (new Dataset<T>(name, n, outputs, trainX, trainY, trainLabels),
            new Dataset<T>(name + "-test", n, outputs, testX, testY, testLabels));
    }

    private static RawTable FromNpy(string path, DataFileOptions options)
    {
        var array = Npy.Read(path);
        if (array.Shape.Length != 2 || array.Shape[1] < 2)
            throw new DataFormatException(path, $"a .npy data file is one 2-D array of rows (features then the target); this one is {array.ShapeText}.");
        int columns = array.Shape[1];
        int target = columns - 1;
        if (options.Target is { } t && (!int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out target) || --target < 0 || target >= columns))
            throw new DataFormatException(path, $"--target '{t}': a .npy file's columns are numbered 1…{columns}.");
        string[] names = [.. Enumerable.Range(1, columns).Where(c => c != target + 1).Select(c => c.ToString(CultureInfo.InvariantCulture))];
        var table = new RawTable(path, columns - 1, names, (target + 1).ToString(CultureInfo.InvariantCulture));
        for (int r = 0; r < array.Rows; r++)
        {
            var row = array.Values.AsSpan(r * columns, columns);
            var x = table.NextRow();
            for (int c = 0, k = 0; c < columns; c++)
            {
                if (c == target) table.Targets.Add(Text(row[c]), r + 1, c + 1);
                else x[k++] = Finite(row[c], path, r, c);
            }
            table.CommitRow();
        }
        return table;
    }

    private static RawTable FromNpz(string path, DataFileOptions options)
    {
        var arrays = Npz.Read(path).ToDictionary(p => p.Name, p => p.Array, StringComparer.Ordinal);
        if (!arrays.TryGetValue("x", out var x) || !arrays.TryGetValue("y", out var y))
            throw new DataFormatException(path, $"a .npz data file needs arrays 'x' (features) and 'y' (targets); it has {string.Join(", ", arrays.Keys.Select(k => $"'{k}'"))}.");
        if (x.Shape.Length is not (1 or 2) || x.Rows == 0)
            throw new DataFormatException(path, $"'x' must be 2-D [examples × features]; it is {x.ShapeText}.");
        if (y.Shape.Length is not (1 or 2) || y.Rows != x.Rows)
            throw new DataFormatException(path, $"'y' {y.ShapeText} does not have one row per row of 'x' {x.ShapeText}.");
        int n = x.Columns;
        var table = new RawTable(path, n, [.. Enumerable.Range(1, n).Select(c => c.ToString(CultureInfo.InvariantCulture))], "y");
        for (int r = 0; r < x.Rows; r++)
        {
            var row = table.NextRow();
            for (int c = 0; c < n; c++) row[c] = Finite(x.Values[r * n + c], path, r, c, "x");
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
        _ = options;
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
