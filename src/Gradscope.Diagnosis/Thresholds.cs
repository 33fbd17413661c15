namespace Gradscope.Diagnosis;

/// <summary>Where the doctor draws its lines, and why.</summary>
public static class Thresholds
{
    /// <summary>
    /// Vanishing when the first hidden layer learns under 1/10 as fast as the last hidden layer: Nielsen's
    /// ch. 5 nets show 1/4 (two hidden layers, still trainable), 1/24 and 1/95 (three and four, "learns much
    /// more slowly"), so one order of magnitude is where the early layers visibly lag.
    /// </summary>
    public const double VanishingRatio = 0.1;

    /// <summary>Two orders of magnitude: the early layers effectively do not train (Nielsen's 4-hidden-layer net).</summary>
    public const double SevereVanishingRatio = 0.01;

    /// <summary>Exploding when the first hidden layer's gradient is over 10× the last hidden layer's: the mirror of <see cref="VanishingRatio"/>.</summary>
    public const double ExplodingRatio = 10;

    /// <summary>Gradient norms growing 100-fold from the start of training to its end signal instability, not learning.</summary>
    public const double GradientGrowth = 100;

    /// <summary>
    /// Converged: the last fifth of the epochs removed under 10% of the whole fall in cost (a plateau, however
    /// noisy SGD makes it) and training accuracy is at least 97% (or, without labels, the cost fell to under 5%
    /// of its start). A low plateau is not a problem.
    /// </summary>
    public const double PlateauChange = 0.1;
    public const double ConvergedAccuracy = 0.97;
    public const double ConvergedCostFraction = 0.05;

    /// <summary>Saturated share above which a layer is reported: <see cref="UnitShares.Saturated"/>, the line the tables highlight at too.</summary>
    public const double SaturatedFraction = UnitShares.Saturated;

    /// <summary>Dead units (<see cref="UnitShares.Dead"/>): a fifth of a layer silent on every example of the window is capacity lost; half is severe.</summary>
    public const double DeadFraction = UnitShares.Dead;
    public const double SevereDeadFraction = UnitShares.SevereDead;

    /// <summary>
    /// Update/weight ratio: about 1e-3 per step is the usual healthy figure (Karpathy's CS231n notes); below 1e-5
    /// a layer is frozen, above 1e-1 every step rewrites it.
    /// </summary>
    public const double UpdateRatioLow = 1e-5;
    public const double UpdateRatioHigh = 1e-1;

    /// <summary>
    /// SGD noise dominates when the mini-batch gradient's cosine with the reference-set gradient is below 0.3 in
    /// most layers: then most of each step is noise, and magnitudes vary from batch to batch, not by depth.
    /// </summary>
    public const double NoiseCosine = 0.3;
}
