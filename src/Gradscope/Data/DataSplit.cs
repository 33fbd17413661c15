namespace Gradscope.Data;

/// <summary>A training set and the held-out set it is judged on.</summary>
public sealed record DataSplit(Dataset<float> Train, Dataset<float> Test)
{
    /// <summary>The same sets in float64 when the source holds more than float32 keeps (a data file); null otherwise.</summary>
    public Dataset<double>? ExactTrain { get; init; }

    public Dataset<double>? ExactTest { get; init; }

    /// <summary>The standardisation applied to the inputs, or null.</summary>
    public FeatureScaling? Scaling { get; init; }

    /// <summary>Whether the targets are real values (regression) rather than classes.</summary>
    public bool IsRegression { get; init; }

    /// <summary>The class names, in label order (null for regression and for the built-in sets).</summary>
    public IReadOnlyList<string>? ClassNames { get; init; }
}
