namespace Gradscope.Experiments;

/// <summary>What a run reports after each epoch, for progress bars and plain progress lines.</summary>
public sealed record RunProgress(string Name, int Epoch, int Epochs, double TrainCost, double TestAccuracy,
    double FirstLayerSpeed, double LastLayerSpeed, double Seconds);
