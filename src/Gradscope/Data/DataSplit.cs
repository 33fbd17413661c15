namespace Gradscope.Data;

/// <summary>A training set and the held-out set it is judged on.</summary>
public sealed record DataSplit(Dataset<float> Train, Dataset<float> Test);
