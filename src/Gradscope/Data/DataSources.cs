namespace Gradscope.Data;

/// <summary>Resolves the CLI's <c>--data</c> value to a train/test split.</summary>
public static class DataSources
{
    /// <summary>The names <see cref="Load"/> accepts besides a folder path.</summary>
    public static IReadOnlyList<string> Names { get; } = ["digits", "mnist", .. SequenceTasks.Names];

    /// <summary>
    /// <c>digits</c>: the built-in procedural digits (default 50 000 / 10 000, generated from <paramref name="seed"/>);
    /// <c>mnist</c>: MNIST from <see cref="MnistCache"/> (downloaded once when online); any existing folder: the
    /// four MNIST-format IDX files in it (MNIST, Fashion-MNIST, EMNIST). The counts, when given, keep the first
    /// examples of each set; <paramref name="seed"/> only affects generated data.
    /// </summary>
    /// <remarks>
    /// Sequence data: the tasks of <see cref="SequenceTasks"/> (generated from <paramref name="seed"/>, <paramref name="length"/>
    /// steps, 0 = the task's default) and <c>.npz</c> files (<see cref="SequenceFile"/>).
    /// </remarks>
    public static DataSplit Load(string name, int? trainCount = null, int? testCount = null, ulong seed = 1, int length = 0)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (trainCount is < 1) throw new ArgumentOutOfRangeException(nameof(trainCount), trainCount, $"Training count must be positive, got {trainCount}.");
        if (testCount is < 1) throw new ArgumentOutOfRangeException(nameof(testCount), testCount, $"Test count must be positive, got {testCount}.");

        if (string.Equals(name, "digits", StringComparison.OrdinalIgnoreCase))
            return Digits.Load(trainCount ?? 50_000, testCount ?? 10_000, seed);
        if (SequenceTasks.IsTask(name))
            return SequenceTasks.Load(name, trainCount ?? 10_000, testCount ?? 1_000, length, seed);
        DataSplit split;
        if (string.Equals(name, "mnist", StringComparison.OrdinalIgnoreCase))
            split = new MnistCache().Load();
        else if (name.EndsWith(".npz", StringComparison.OrdinalIgnoreCase))
            split = SequenceFile.Load(name);
        else if (Directory.Exists(name))
            split = MnistFiles.LoadFolder(name, name: FolderName(name));
        else
            throw new ArgumentException($"Unknown data source '{name}': expected {string.Join(", ", Names)}, a .npz of sequences, or a folder holding MNIST-format IDX files.", nameof(name));
        // `with`, so what the reader said of the sets (regression) stays.
        return split with
        {
            Train = trainCount is int train ? split.Train.Take(train) : split.Train,
            Test = testCount is int test ? split.Test.Take(test) : split.Test,
        };
    }

    private static string FolderName(string path)
    {
        string name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(path)));
        return name.Length > 0 ? name : "idx";
    }
}
