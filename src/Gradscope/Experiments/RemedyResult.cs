namespace Gradscope.Experiments;

/// <summary>
/// One row of the remedies table: a remedy on one net after the budget. The speed ratios are Nielsen's speed of
/// learning ‖∂C/∂b^l‖ on the reference set, first hidden layer over last hidden layer (1 = equal speeds; Nielsen's
/// [784,30,30,30,30,10] sigmoid net starts near 0.01), at the first step and at the last.
/// </summary>
/// <param name="Flags">The remedy's flags as applied to the baseline (<see cref="Remedy.Flags"/>).</param>
/// <param name="Eta">The η the run trained with.</param>
public sealed record RemedyResult(
    string Remedy,
    string Flags,
    double Eta,
    int HiddenLayers,
    double SpeedRatioStart,
    double SpeedRatioEnd,
    double Cost,
    double Accuracy,
    double Seconds,
    string Status);
