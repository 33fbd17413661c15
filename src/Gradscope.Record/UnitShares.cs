namespace Gradscope.Record;

/// <summary>
/// Where a share of silent units becomes worth a reader's attention. The doctor reports a layer above these lines
/// and every table highlights the same cells (<see cref="RunView.SaturationFlagged"/>, <see cref="RunView.DeadFlagged"/>),
/// so a highlighted number always has a finding beside it.
/// </summary>
public static class UnitShares
{
    /// <summary>Saturated share above which a layer is reported (σ' below 1% of its maximum; Glorot &amp; Bengio saw whole sigmoid layers pinned at 0).</summary>
    public const double Saturated = 0.3;

    /// <summary>Dead units: a fifth of a layer silent on every example of the window is capacity lost; half is severe.</summary>
    public const double Dead = 0.2;
    public const double SevereDead = 0.5;
}
