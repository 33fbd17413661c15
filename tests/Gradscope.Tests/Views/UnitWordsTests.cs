using Gradscope.Diagnosis;
using Gradscope.Model;

namespace Gradscope.Tests.Views;

/// <summary>
/// The words for silent units fit the network: ReLU-family layers are inactive where z &lt; 0 (not saturated, and
/// not highlighted unless units are dead), an output saturated under its matched cost is not flagged, and the
/// record's view of an activation agrees with the engine's.
/// </summary>
public sealed class UnitWordsTests
{
    public static TheoryData<string> ActivationNames => [.. Activation.Names, "leaky-relu:0.2", "elu:0.5"];

    [Theory]
    [MemberData(nameof(ActivationNames))]
    public void IsPiecewiseLinear_EveryActivation_AgreesWithTheEnginesDerivative(string name)
    {
        // Independent of the record's name list: σ' constant on each side of 0 is what piecewise linear means.
        var activation = Activation.Parse(name);
        bool constantEachSide = activation.Derivative(-3) == activation.Derivative(-0.4) && activation.Derivative(0.4) == activation.Derivative(3);
        Assert.Equal(constantEachSide, ActivationFamily.IsPiecewiseLinear(activation.Name));
        // The sigmoid's 0.25 bound is said of sigmoid layers only, and is the engine's bound.
        Assert.Equal(activation.MaxDerivative == 0.25, ActivationFamily.DerivativeBound(activation.Name).Contains("0.25", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("sigmoid", "cross-entropy", true)]
    [InlineData("softmax", "log-likelihood", true)]
    [InlineData("sigmoid", "quadratic", false)]
    [InlineData("softmax", "quadratic", false)]
    [InlineData("sigmoid", "log-likelihood", false)]
    public void IsMatchedOutput_CostAndActivation_OnlyTheCancellingPairs(string activation, string cost, bool matched) =>
        Assert.Equal(matched, ActivationFamily.IsMatchedOutput(activation, cost));

    private static LayerDescriptor Layer(int l, string activation) => new() { Index = l, Name = $"layer {l}", Units = 10, Activation = activation };

    /// <summary>Ten measurements of each share per layer, as a run of ten steps would record them.</summary>
    private static List<MetricRecord> Shares(params (int Layer, double Saturated, double Dead)[] layers) =>
        [.. Enumerable.Range(0, 10).SelectMany(step => layers.SelectMany(x => new[]
        {
            new MetricRecord(step, 0, x.Layer, Quantity.SaturatedFraction, x.Saturated),
            new MetricRecord(step, 0, x.Layer, Quantity.DeadFraction, x.Dead),
        }))];

    [Fact]
    public void Rows_ReluLayerHalfInactive_SaysInactiveAndIsNotFlagged()
    {
        var view = new RunView([Layer(1, "relu"), Layer(2, "relu"), Layer(3, "softmax")], Shares((1, 0.62, 0.01), (2, 0.97, 0.6), (3, 0.9, 0)))
        {
            Cost = "log-likelihood",
        };
        var rows = view.Rows();
        Assert.Equal("62% inactive", rows[0].SaturationText);
        Assert.False(rows[0].SaturationFlagged);
        Assert.False(rows[0].DeadFlagged);
        // Dead-unit territory: the inactive share is highlighted with the dead one.
        Assert.True(rows[1].SaturationFlagged);
        Assert.True(rows[1].DeadFlagged);
        // A softmax output saturated under log-likelihood is confident, not stalled.
        Assert.Equal("90% saturated", rows[2].SaturationText);
        Assert.False(rows[2].SaturationFlagged);
    }

    [Fact]
    public void Rows_SigmoidLayers_SaturatedAndFlaggedAboveTheDoctorsLine()
    {
        var view = new RunView([Layer(1, "sigmoid"), Layer(2, "sigmoid"), Layer(3, "sigmoid")], Shares((1, 0.5, 0), (2, 0.1, 0), (3, 0.8, 0)))
        {
            Cost = "cross-entropy",
        };
        var rows = view.Rows();
        Assert.Equal(["saturated", "saturated", "saturated"], rows.Select(r => r.SaturationKind));
        Assert.Equal([true, false, false], rows.Select(r => r.SaturationFlagged));
    }

    [Theory]
    [InlineData("cross-entropy", false)]
    [InlineData("quadratic", true)]
    public void Diagnose_SaturatedSigmoidOutput_FlaggedOnlyUnderAnUnmatchedCost(string cost, bool flagged)
    {
        var layers = new[] { Layer(1, "tanh"), Layer(2, "sigmoid") };
        var records = Shares((1, 0.05, 0), (2, 0.85, 0));
        var findings = Doctor.Diagnose(new DiagnosisInput(layers, records, [], RunStatus.Complete, null) { Cost = cost });
        var view = new RunView(layers, records) { Cost = cost };
        Assert.Equal(flagged, view.Rows()[1].SaturationFlagged);
        var saturation = findings.Where(f => f.Kind == FindingKind.Saturation).ToList();
        if (!flagged)
        {
            Assert.Empty(saturation);
            return;
        }
        var output = Assert.Single(saturation);
        Assert.Equal([2], output.Layers);
        Assert.Equal(0.85, output.Numbers["layer_2"], 12);
        Assert.Equal("softmax-log-likelihood", output.Remedies[0]);
        Assert.Contains("quadratic", output.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void Diagnose_ReluLayerMostlyInactiveButAlive_NoSaturationFinding()
    {
        var layers = new[] { Layer(1, "relu"), Layer(2, "relu"), Layer(3, "softmax") };
        var findings = Doctor.Diagnose(new DiagnosisInput(layers, Shares((1, 0.68, 0.02), (2, 0.57, 0.0), (3, 0.2, 0)), [], RunStatus.Complete, null)
        {
            Cost = "log-likelihood",
        });
        Assert.DoesNotContain(findings, f => f.Kind is FindingKind.Saturation or FindingKind.DeadUnits);
    }
}
