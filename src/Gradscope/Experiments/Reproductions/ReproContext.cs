using Gradscope.Data;

namespace Gradscope.Experiments.Reproductions;

/// <summary>
/// What a reproduction gets from its caller: data (loaded on demand, so experiments on synthetic data never
/// load digits) and the name of its source, a budget scale (1 = the published setting; smaller for quick runs and
/// tests), a seed, and an optional folder for run directories.
/// </summary>
public sealed class ReproContext(Func<int, DataSplit> loadData, ulong seed = 1, double budget = 1.0, string? outputDirectory = null, IProgress<string>? progress = null,
    string dataSource = "digits")
{
    /// <summary>Where <see cref="Data"/> comes from (<c>digits</c>, <c>mnist</c>, a folder): what the runs record as their data source.</summary>
    public string DataSource { get; } = dataSource;

    public ulong Seed { get; } = seed;

    /// <summary>Multiplies epochs, training-set sizes and trial counts (at least 1 of each).</summary>
    public double Budget { get; } = budget;
    public string? OutputDirectory { get; } = outputDirectory;
    public IProgress<string>? Progress { get; } = progress;

    /// <summary>The data with at least <paramref name="train"/> training examples.</summary>
    public DataSplit Data(int train) => loadData(train);

    public int Scaled(int full, int minimum = 1) => Math.Max(minimum, (int)Math.Round(full * Budget));

    /// <summary>
    /// The first <paramref name="train"/> training and <paramref name="test"/> test examples, both scaled by the
    /// budget (to no fewer than 500 and 200: enough for a curve to mean something).
    /// </summary>
    public DataSplit Sample(int train, int test)
    {
        int trainCount = Scaled(train, 500);
        var split = Data(trainCount);
        return new DataSplit(split.Train.Take(trainCount), split.Test.Take(Scaled(test, 200)));
    }

    public string? RunDirectory(string experiment, string name) =>
        OutputDirectory is null ? null : Path.Combine(OutputDirectory, experiment, name);

    public void Say(string message) => Progress?.Report(message);
}
