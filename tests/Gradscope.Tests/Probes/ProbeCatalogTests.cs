using Gradscope.Model;
using Gradscope.Observation;
using Gradscope.Probes;
using Gradscope.Tests.Recurrent;
using Gradscope.Tests.Support;

namespace Gradscope.Tests.Probes;

/// <summary>The probes as a catalogue: one class per quantity, tiers that agree with the presets, a twin test for each.</summary>
public sealed class ProbeCatalogTests
{
    private static readonly Network<double> Net = Network<double>.Create(new NetworkSpec { Layers = [6, 5, 4, 3] }, seed: 1);

    // Each quantity and the test that checks it against an independent computation.
    private static readonly Dictionary<string, string> Twins = new()
    {
        [Quantity.BiasGradNorm] = nameof(ProbeTwinTests.Norms_EveryStepAndLayer_MatchNaiveTwin),
        [Quantity.WeightGradNorm] = nameof(ProbeTwinTests.Norms_EveryStepAndLayer_MatchNaiveTwin),
        [Quantity.DeltaNorm] = nameof(ProbeTwinTests.Norms_EveryStepAndLayer_MatchNaiveTwin),
        [Quantity.Gain] = nameof(ProbeTwinTests.Norms_EveryStepAndLayer_MatchNaiveTwin),
        [Quantity.WeightFactor] = nameof(ProbeTwinTests.Norms_EveryStepAndLayer_MatchNaiveTwin),
        [Quantity.ActivationFactor] = nameof(ProbeTwinTests.Norms_EveryStepAndLayer_MatchNaiveTwin),
        [Quantity.GradGlobalNorm] = nameof(ProbeQuantityTwinTests.Clipping_GlobalNormAndRate_MatchPreClipGradientsAndClippedSteps),
        [Quantity.ClipRate] = nameof(ProbeQuantityTwinTests.Clipping_GlobalNormAndRate_MatchPreClipGradientsAndClippedSteps),
        [Quantity.Cost] = nameof(ProbeQuantityTwinTests.BatchCost_EveryStep_MatchesMeanOfPerExampleCosts),
        [Quantity.SigmaPrimeMean] = nameof(ProbeTwinTests.Statistics_EveryStepAndLayer_MatchNaiveTwin),
        [Quantity.SigmaPrimeMin] = nameof(ProbeTwinTests.Statistics_EveryStepAndLayer_MatchNaiveTwin),
        [Quantity.SigmaPrimeMax] = nameof(ProbeTwinTests.Statistics_EveryStepAndLayer_MatchNaiveTwin),
        [Quantity.SaturatedFraction] = nameof(ProbeTwinTests.Statistics_EveryStepAndLayer_MatchNaiveTwin),
        [Quantity.DeadFraction] = nameof(ProbeTwinTests.Statistics_EveryStepAndLayer_MatchNaiveTwin),
        [Quantity.ActivationMean] = nameof(ProbeTwinTests.Statistics_EveryStepAndLayer_MatchNaiveTwin),
        [Quantity.ActivationStd] = nameof(ProbeTwinTests.Statistics_EveryStepAndLayer_MatchNaiveTwin),
        [Quantity.WeightNorm] = nameof(ProbeTwinTests.Statistics_EveryStepAndLayer_MatchNaiveTwin),
        [Quantity.UpdateRatio] = nameof(ProbeTwinTests.Statistics_EveryStepAndLayer_MatchNaiveTwin),
        [Quantity.ReferenceBiasGradNorm] = nameof(ProbeTwinTests.Noise_MiniBatchAgainstReference_MatchesNaiveTwin),
        [Quantity.ReferenceWeightGradNorm] = nameof(ProbeQuantityTwinTests.ReferenceWeightGradNorm_EachDueStep_MatchesGradientOfFreshCopyOnReferenceSet),
        [Quantity.NoiseNormRatio] = nameof(ProbeTwinTests.Noise_MiniBatchAgainstReference_MatchesNaiveTwin),
        [Quantity.NoiseCosine] = nameof(ProbeTwinTests.Noise_MiniBatchAgainstReference_MatchesNaiveTwin),
        [Quantity.WeightGradHistogram] = nameof(ProbeTwinTests.Statistics_EveryStepAndLayer_MatchNaiveTwin),
        [Quantity.ActivationHistogram] = nameof(ProbeQuantityTwinTests.ActivationHistogram_EveryStepAndLayer_CountsEachActivationInItsBin),
        [Quantity.JacobianSingularValues] = nameof(ProbeTwinTests.Jacobian_SingularValues_MatchFiniteDifferenceJacobian),
        [Quantity.SpectralNorm] = nameof(ProbeTwinTests.Statistics_EveryStepAndLayer_MatchNaiveTwin),
    };

    // The probes through time, in a net with a recurrent layer only. A gate statistic is one quantity indexed by the
    // gate (its records gate_i_mean … gate_n_mean), named here by the forget gate's record.
    private static readonly Dictionary<string, string> TimeTwins = new()
    {
        [Quantity.TimeGradNorm] = nameof(TimeProbeTwinTests.TimeGradNorm_EveryStep_MatchesFiniteDifferencesOfNaiveForward),
        [Quantity.TimeGradRatio] = nameof(TimeProbeTwinTests.TimeGradNorm_EveryStep_MatchesFiniteDifferencesOfNaiveForward),
        [Quantity.TimeGain] = nameof(TimeProbeTwinTests.TimeGradNorm_EveryStep_MatchesFiniteDifferencesOfNaiveForward),
        [Quantity.TimeWeightFactor] = nameof(TimeProbeTwinTests.TimeFactors_EveryStep_MatchFiniteDifferencesOfNaiveForward),
        [Quantity.TimeActivationFactor] = nameof(TimeProbeTwinTests.TimeFactors_EveryStep_MatchFiniteDifferencesOfNaiveForward),
        [Quantity.TimeCellGradNorm] = nameof(TimeProbeTwinTests.CellGradNorm_Lstm_MatchesFiniteDifferencesOfNaiveForward),
        [Quantity.RecurrentSpectralNorm] = nameof(TimeProbeTwinTests.RecurrentSpectrum_Rnn_MatchesSingularValuesAndNaivePowers),
        [Quantity.RecurrentSpectralRadius] = nameof(TimeProbeTwinTests.RecurrentSpectrum_Rnn_MatchesSingularValuesAndNaivePowers),
        [Quantity.RecurrentBound] = nameof(TimeProbeTwinTests.RecurrentBound_EachCell_IsOneOverLargestDerivativeOfTheActivation),
        [Quantity.GateMean('f')] = nameof(TimeProbeTwinTests.GateStatistics_MeansAndSaturation_MatchNaiveForward),
        [Quantity.GateSaturation('f')] = nameof(TimeProbeTwinTests.GateStatistics_MeansAndSaturation_MatchNaiveForward),
    };

    [Fact]
    public void All_RecurrentNet_AddsTheProbesThroughTimeOnTheirOwnSchedule()
    {
        var lstm = Network<double>.Create(RecurrentGradientTests.Spec("lstm", "tanh", "quadratic", 1, inputs: 2, hidden: 3, outputs: 1, steps: 4), seed: 1);
        var probes = ProbeSet<double>.All(new NetworkAccess<double>(lstm));
        Assert.Equal(Twins.Keys.Concat(TimeTwins.Keys).Order(), probes.Select(p => p.Quantity).Order());
        Assert.All(probes.Where(p => TimeTwins.ContainsKey(p.Quantity)), p => Assert.Equal(ProbeGroup.Time, p.Group));

        // Due on the reference schedule with no reference set (they measure the training batch), and only then.
        var sink = new MemorySink();
        var set = new ProbeSet<double>(lstm, new ProbeOptions { Norms = "never", Reference = "every:3" }, sink);
        Assert.Equal(TimeTwins.Keys.Order(), set.Probes.Select(p => p.Quantity).Order());
        using var trainer = new Training.Trainer<double>(lstm, new Training.TrainingOptions { BatchSize = 2 });
        using var attached = trainer.Attach(set);
        var data = TestNets.RandomData(2, 8, 1, oneHot: false, seed: 2);
        for (int i = 0; i < 4; i++) trainer.TrainBatch(data, [0, 1]);
        Assert.Equal([0L, 3L], sink.Records.Select(r => r.Step).Distinct());
        Assert.Equal(4, sink.Records.Count(r => r.Step == 3 && r.Quantity == Quantity.TimeGradNorm));
    }

    [Fact]
    public void All_EveryProbe_OneQuantityWithATwinTest()
    {
        var probes = ProbeSet<double>.All(new NetworkAccess<double>(Net));
        var names = probes.Select(p => p.Quantity).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.Equal(Twins.Keys.Order(), names.Order());
    }

    [Theory]
    [InlineData("none", -1)]
    [InlineData("minimal", (int)ProbeTier.Minimal)]
    [InlineData("standard", (int)ProbeTier.Standard)]
    [InlineData("full", (int)ProbeTier.Full)]
    public void Presets_EachTier_RunExactlyTheProbesAtOrBelowIt(string preset, int tier)
    {
        var data = TestNets.RandomData(10, 6, 3, oneHot: true, seed: 1);
        var set = new ProbeSet<double>(Net, ProbeOptions.FromPreset(preset), new MemorySink(), data);
        var expected = ProbeSet<double>.All(new NetworkAccess<double>(Net)).Where(p => (int)p.Tier <= tier).Select(p => p.Quantity).Order();
        Assert.Equal(expected, set.Probes.Select(p => p.Quantity).Order());
    }

    [Fact]
    public void Needs_NormsAndUpdateDue_AggregateTheDueProbesNeeds()
    {
        var set = new ProbeSet<double>(Net, new ProbeOptions { Norms = "every:2", UpdateRatio = "every:3" }, new MemorySink());
        set.OnStepStarting(new Training.StepInfo(3, 0, 1, 0));
        Assert.False(set.Needs.WantsSumOfSquares(LayerTensor.Delta));
        Assert.Equal(Training.UpdateNormKinds.Weights | Training.UpdateNormKinds.Change, set.Needs.UpdateNormsOf(ParameterRole.Weight));
        set.OnStepStarting(new Training.StepInfo(4, 0, 1, 0));
        Assert.True(set.Needs.WantsSumOfSquares(LayerTensor.Delta) && set.Needs.WantsSumOfSquares(LayerTensor.ActivationGradient));
        Assert.Equal(Training.UpdateNormKinds.Gradient, set.Needs.UpdateNormsOf(ParameterRole.Weight));
        set.OnStepStarting(new Training.StepInfo(5, 0, 1, 0));
        Assert.True(set.Needs.IsNone);
    }

    [Fact]
    public void FinalStep_Set_EveryScheduleDueThere()
    {
        var set = new ProbeSet<double>(Net, new ProbeOptions { Norms = "every:1000", UpdateRatio = "every:1000" }, new MemorySink()) { FinalStep = 37 };
        set.OnStepStarting(new Training.StepInfo(36, 0, 1, 0));
        Assert.True(set.Needs.IsNone);
        set.OnStepStarting(new Training.StepInfo(37, 0, 1, 0));
        Assert.True(set.Needs.WantsSumOfSquares(LayerTensor.Delta));
        Assert.Equal(Training.UpdateNormKinds.Gradient | Training.UpdateNormKinds.Weights | Training.UpdateNormKinds.Change, set.Needs.UpdateNormsOf(ParameterRole.Weight));
    }
}

/// <summary>Families only change how per-layer probes are called, never which records come or in what order.</summary>
public sealed class ProbeFamilyTests
{
    [Fact]
    public void Fuse_AllProbes_FamiliesStandInOrderForRunsOfTheirMembers()
    {
        var net = Network<double>.Create(new NetworkSpec { Layers = [6, 5, 4, 3] }, seed: 1);
        var probes = ProbeSet<double>.All(new NetworkAccess<double>(net));
        var fused = ProbeFamily<double>.Fuse(probes);
        Assert.Equal(2, fused.OfType<ProbeFamily<double>>().Count());
        // Unfolding the families gives back the listed order, probe for probe.
        var unfolded = fused.SelectMany(p => p is ProbeFamily<double> f ? f.Members : [p]).ToList();
        Assert.Equal(probes, unfolded);
        Assert.All(fused.OfType<ProbeFamily<double>>(), f => Assert.All(f.Members, m => Assert.Equal(f.Group, m.Group)));
    }

    [Fact]
    public void Fuse_AMemberMissing_LeavesTheOthersAlone()
    {
        var net = Network<double>.Create(new NetworkSpec { Layers = [6, 5, 4, 3] }, seed: 1);
        var probes = ProbeSet<double>.All(new NetworkAccess<double>(net)).Where(p => p.Quantity != Quantity.Gain).ToList();
        var fused = ProbeFamily<double>.Fuse(probes);
        Assert.DoesNotContain(fused, p => p is NormsFamily<double>);
        Assert.Contains(fused, p => p is StatisticsFamily<double>);
        Assert.Equal(probes.Count - 8, fused.Count);
    }

    [Fact]
    public void Records_FamiliesOrNot_SameRecordsInSameOrder()
    {
        // The set as it runs (families) against each probe called one by one, on the same trained steps.
        var data = TestNets.RandomData(40, 6, 3, oneHot: true, seed: 3);
        var options = ProbeOptions.FromPreset("standard") with { Reference = "never", UpdateRatio = "every:1" };
        List<string> Run(bool fused)
        {
            var net = Network<double>.Create(new NetworkSpec { Layers = [6, 5, 4, 3] }, seed: 2);
            var sink = new MemorySink();
            var set = new ProbeSet<double>(net, options, sink) { FuseFamilies = fused };
            var trainer = new Gradscope.Training.Trainer<double>(net, new Gradscope.Training.TrainingOptions { Eta = 0.5, BatchSize = 10 });
            using (trainer.Attach(set))
                for (int s = 0; s + 10 <= data.Count; s += 10) trainer.TrainBatch(data, [.. Enumerable.Range(s, 10)]);
            return [.. sink.Records.Select(r => $"{r.Step} {r.Layer} {r.Quantity} {r.Value:R} {r.Index} {r.T} {string.Join(",", r.Values ?? [])}")];
        }
        var together = Run(fused: true);
        Assert.True(together.Count > 100);
        Assert.Equal(Run(fused: false), together);
    }
}
