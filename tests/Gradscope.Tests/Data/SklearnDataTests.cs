using Gradscope.Data;
using Gradscope.Model;
using Gradscope.Tests.Support;
using Gradscope.Training;
using Xunit.Abstractions;

namespace Gradscope.Tests.Data;

/// <summary>
/// Real data no one here wrote: scikit-learn's bundled data files as Debian's python3-sklearn ships them, read
/// through documented options only (--skip-rows, --no-header, --delimiter, --target-file, gzip by extension).
/// Skipped, with a message, where the package is not installed.
/// </summary>
public sealed class SklearnDataTests(ITestOutputHelper output)
{
    private const string Folder = Support.External.SklearnData;

    private static string F(string name) => Path.Combine(Folder, name);

    /// <summary>iris, wine and breast cancer start with a line "n_samples,n_features,class names…" that is not a header.</summary>
    [SklearnTheory]
    [InlineData("iris.csv", 150, 4, 3)]
    [InlineData("wine_data.csv", 178, 13, 3)]
    [InlineData("breast_cancer.csv", 569, 30, 2)]
    public void Load_SkipFirstLineNoHeader_SizesAsDocumented(string file, int rows, int features, int classes)
    {
        var split = FileData.Load(F(file), new DataFileOptions { SkipRows = 1, Header = false });
        Assert.Equal(rows, split.Train.Count + split.Test.Count);
        Assert.Equal(features, split.Train.InputSize);
        Assert.Equal(classes, split.Train.OutputSize);
        Assert.Equal((int)Math.Round(0.2 * rows), split.Test.Count);
    }

    [SklearnFact]
    public void Load_Digits_GzippedNoHeader_1797Of64Pixels()
    {
        var split = FileData.Load(F("digits.csv.gz"), new DataFileOptions { Header = false });
        Assert.Equal(1797, split.Train.Count + split.Test.Count);
        Assert.Equal(64, split.Train.InputSize);
        Assert.Equal(10, split.Train.OutputSize);
    }

    [SklearnFact]
    public void Load_Diabetes_SpaceSeparatedGzipWithTargetFile_Regression()
    {
        var split = FileData.Load(F("diabetes_data_raw.csv.gz"),
            new DataFileOptions { Delimiter = "space", Header = false, TargetFile = F("diabetes_target.csv.gz") }, keepExact: true);
        Assert.True(split.IsRegression);
        Assert.Equal(442, split.Train.Count + split.Test.Count);
        Assert.Equal(10, split.Train.InputSize);
    }

    /// <summary>A small net learns each classification set well past chance; the figures are those the README quotes.</summary>
    [SklearnTheory]
    [InlineData("iris.csv", 1, false, 0.9)]
    [InlineData("wine_data.csv", 1, false, 0.9)]
    [InlineData("breast_cancer.csv", 1, false, 0.9)]
    [InlineData("digits.csv.gz", 0, false, 0.9)]
    public void Train_SmallNet_ReachesAccuracy(string file, int skipRows, bool unused, double minimum)
    {
        _ = unused;
        var split = FileData.Load(F(file), new DataFileOptions { SkipRows = skipRows, Header = false, Standardize = true });
        var spec = new NetworkSpec { Layers = [split.Train.InputSize, 32, split.Train.OutputSize], Activation = "tanh", Cost = "log-likelihood" };
        var net = Network<float>.Create(spec, 1);
        using var trainer = new Trainer<float>(net, new TrainingOptions { Eta = 0.05, BatchSize = 10, Seed = 1 });
        for (int e = 0; e < 30; e++) trainer.TrainEpoch(split.Train);
        double accuracy = Evaluation.Of(net, split.Test).Accuracy;
        output.WriteLine($"{file}: test accuracy {accuracy:P1}");
        Assert.True(accuracy >= minimum, $"{file}: test accuracy {accuracy:P1} < {minimum:P0}");
    }

    [SklearnFact]
    public void Train_Diabetes_PositiveRSquared()
    {
        var split = FileData.Load(F("diabetes_data_raw.csv.gz"),
            new DataFileOptions { Delimiter = "space", Header = false, TargetFile = F("diabetes_target.csv.gz"), Standardize = true });
        var spec = new NetworkSpec { Layers = [10, 16, 1], Activation = "tanh", Cost = "quadratic", OutputActivation = "identity" };
        var net = Network<float>.Create(spec, 1);
        using var trainer = new Trainer<float>(net, new TrainingOptions { Eta = 0.001, BatchSize = 10, Seed = 1, Lambda = 1 });
        for (int e = 0; e < 30; e++) trainer.TrainEpoch(split.Train);
        var test = Evaluation.Of(net, split.Test);
        output.WriteLine($"diabetes: test R² {test.RSquared:0.000}, RMSE {test.Rmse:0.0}");
        Assert.True(test.RSquared > 0.3, $"diabetes: test R² {test.RSquared:0.000}");
        Assert.True(double.IsNaN(test.Accuracy));
    }
}
