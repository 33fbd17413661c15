using System.Numerics;

namespace Gradscope.Data;

/// <summary>A training set and the held-out set it is judged on.</summary>
public sealed record DataSplit(Dataset<float> Train, Dataset<float> Test)
{
    /// <summary>
    /// The same sets in float64 when the source holds more than float32 keeps (a data file, byte pixels / 255, digits
    /// rendered in float64); null otherwise.
    /// </summary>
    public Dataset<double>? ExactTrain { get; init; }

    public Dataset<double>? ExactTest { get; init; }

    /// <summary>The standardisation applied to the inputs, or null.</summary>
    public FeatureScaling? Scaling { get; init; }

    /// <summary>Whether the targets are real values (regression) rather than classes.</summary>
    public bool IsRegression { get; init; }

    /// <summary>The class names, in label order (null for regression and for the built-in sets).</summary>
    public IReadOnlyList<string>? ClassNames { get; init; }

    /// <summary>
    /// A split of float64 sets for a float64 run. Its float32 sets (<see cref="Train"/>, <see cref="Test"/>) answer
    /// sizes, counts and labels at once and make their values only if something reads them, so the run never holds a
    /// float32 copy of its data.
    /// </summary>
    public static DataSplit FromExact(Dataset<double> train, Dataset<double> test)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        return new DataSplit(train.ConvertOnUse<float>(), test.ConvertOnUse<float>()) { ExactTrain = train, ExactTest = test };
    }

    /// <summary>
    /// The sets a run in precision <typeparamref name="T"/> reads: float32 as they are; float64 from the source's own
    /// float64 values when it has them (never rounded through float32), else the float32 values widened, exactly.
    /// </summary>
    public (Dataset<T> Train, Dataset<T> Test) Sets<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float)) return ((Dataset<T>)(object)Train, (Dataset<T>)(object)Test);
        if (typeof(T) == typeof(double) && ExactTrain is not null && ExactTest is not null) return ((Dataset<T>)(object)ExactTrain, (Dataset<T>)(object)ExactTest);
        return (Train.Convert<T>(), Test.Convert<T>());
    }

    /// <summary>The first examples of each set (all of a set when its count is null), float64 sets included.</summary>
    public DataSplit Take(int? trainCount, int? testCount)
    {
        if (ExactTrain is not null && ExactTest is not null)
        {
            var (train, test) = (trainCount is int a ? ExactTrain.Take(a) : ExactTrain, testCount is int b ? ExactTest.Take(b) : ExactTest);
            // The float32 sets follow from the cut float64 ones, still made only on use.
            return this with { Train = train.ConvertOnUse<float>(), Test = test.ConvertOnUse<float>(), ExactTrain = train, ExactTest = test };
        }
        return this with { Train = trainCount is int c ? Train.Take(c) : Train, Test = testCount is int d ? Test.Take(d) : Test };
    }
}
