namespace Gradscope.Experiments;

/// <summary>
/// What a run reports after each epoch, for progress bars and plain progress lines: cost, accuracy, and the newest
/// speed of learning of each layer (index 0 = layer 1) with the step it was measured at, as
/// <see cref="RunView.LatestSpeeds"/> defines it — after the last epoch, the run's at-end values.
/// </summary>
public sealed record RunProgress(string Name, int Epoch, int Epochs, double TrainCost, double TestAccuracy,
    IReadOnlyList<double> Speeds, long SpeedStep, double Seconds)
{
    /// <summary>The <see cref="SpeedRatio.Name"/> ratio of <see cref="Speeds"/>.</summary>
    public SpeedRatio Ratio => SpeedRatio.Of(Speeds);

    /// <summary>R² (on the test set when there is one) of a regression run; NaN for classification.</summary>
    public double RSquared { get; init; } = double.NaN;

    /// <summary>Whether <see cref="TestAccuracy"/> and <see cref="RSquared"/> were measured on the test set (false: no test set, they are the training sample's).</summary>
    public bool ScoreOnTest { get; init; } = true;

    /// <summary>The score a progress line shows: "accuracy 93.1%", or "R² 0.512" for regression (<see cref="RunView.ScoreText"/>).</summary>
    public string Score => RunView.ScoreText(TestAccuracy, RSquared);
}
