using Gradscope.Diagnosis;
using Gradscope.Experiments;
using Gradscope.Model;
using Gradscope.Numerics;
using Gradscope.Probes;
using Gradscope.Tests.Cli;
using Gradscope.Tests.Support;
using Gradscope.Training;

namespace Gradscope.Tests.Probes;

/// <summary>A unit is dead when silent on every example of a long window, not of one batch.</summary>
public sealed class DeadUnitsTests
{
    [Fact]
    public void Observe_RandomSparseBatches_MatchesNaiveHistory()
    {
        const int width = 12, window = 40;
        var rng = new Rng(11);
        // Units fire with very different probabilities, some never after a point: the naive twin keeps every example.
        double[] fires = [0, 0.001, 0.01, 0.05, 0.1, 0.3, 0.5, 0.9, 0, 0.02, 0.2, 1];
        var history = Enumerable.Range(0, width).Select(_ => new List<bool>()).ToArray();
        var units = new DeadUnits(layers: 2);
        for (int step = 0; step < 60; step++)
        {
            int rows = 1 + rng.NextInt(9);
            var a = new double[rows * width];
            for (int r = 0; r < rows; r++)
                for (int j = 0; j < width; j++)
                {
                    // Unit 4 dies for good after step 30.
                    bool on = rng.NextDouble() < (j == 4 && step > 30 ? 0 : fires[j]);
                    a[r * width + j] = on ? rng.NextDouble() + 0.1 : 0;
                    history[j].Add(on);
                }
            double? share = units.Observe<double>(2, a, rows, width, window);
            int seen = history[0].Count;
            if (seen < window)
            {
                Assert.Null(share);
                continue;
            }
            int dead = history.Count(h => h.Skip(h.Count - window).All(on => !on));
            Assert.Equal(dead / (double)width, share);
        }
    }

    [Fact]
    public void Observe_OneBatchSilent_IsNotDead()
    {
        // Off for a whole batch of 10, on just before: not dead — the batch rule called such units dead.
        var units = new DeadUnits(1);
        var on = new float[10];
        Array.Fill(on, 1f);
        Assert.Null(units.Observe<float>(1, on, 10, 1, 20));
        Assert.Equal(0.0, units.Observe<float>(1, new float[10], 10, 1, 20));
        // Silent on the 20 examples of the window: dead now.
        Assert.Equal(1.0, units.Observe<float>(1, new float[10], 10, 1, 20));
    }

    [Fact]
    public void Train_ReluWithBiasMinus6_DeadUnitFinding()
    {
        var data = TestNets.Separable<float>(600, 20, seed: 4);
        var spec = new ExperimentSpec
        {
            Network = new NetworkSpec { Layers = [20, 30, 30, 2], Activation = "relu", Init = "he-normal", BiasInit = "constant:-6" },
            Training = new TrainingOptions { Eta = 0.05, BatchSize = 10, Epochs = 2 },
            Probes = ProbeOptions.FromPreset("standard") with { ReferenceSize = 200 },
        };
        var outcome = ExperimentRunner.Run(spec, data, null, null);
        var findings = Doctor.Diagnose(new DiagnosisInput(RunInfos.Describe(spec.Network), outcome.Memory!.Records, outcome.Epochs, outcome.Status, null));
        var dead = Assert.Single(findings, f => f.Kind == FindingKind.DeadUnits);
        Assert.Equal(Severity.Critical, dead.Severity);
        Assert.Contains(1, dead.Layers);
        Assert.True(dead.Numbers["layer_1"] > 0.9, dead.Evidence);
    }

    [Fact]
    public void Train_NoEpochsOnASmallSet_DeadUnitsMeasuredOnTheWholeSet()
    {
        // 120 examples, fewer than the 1,000-example window: at init the window is the reference set, i.e. all of them.
        var data = TestNets.Separable<float>(120, 20, seed: 4);
        var spec = new ExperimentSpec
        {
            Network = new NetworkSpec { Layers = [20, 30, 2], Activation = "relu", Init = "he-normal", BiasInit = "constant:-6" },
            Training = new TrainingOptions { Epochs = 0 },
            Probes = ProbeOptions.FromPreset("standard"),
        };
        var outcome = ExperimentRunner.Run(spec, data, null, null);
        var dead = Assert.Single(outcome.Memory!.Records, r => r.Quantity == Quantity.DeadFraction && r.Layer == 1);
        Assert.Equal(1.0, dead.Value);
    }

    /// <summary>
    /// Issue 12's healthy run (98% accuracy): with the batch rule the doctor warned that 21.5% of its units were dead.
    /// Silent on 1,000 examples in a row is what dead means; this run stays under the doctor's line.
    /// </summary>
    [Fact]
    public void Train_HealthyReluHe_NoDeadUnitFinding()
    {
        string dir = Directory.CreateTempSubdirectory("gradscope-dead-").FullName;
        try
        {
            var result = CliRunner.Run(dir, "train", "--layers", "784,100,10", "--activation", "relu", "--init", "he-normal", "--epochs", "2", "--seed", "2",
                "--out", "runs", "--name", "healthy");
            Assert.True(result.ExitCode == 0, result.Stderr + result.Stdout);
            string run = Directory.GetDirectories(Path.Combine(dir, "runs")).Single();
            var view = new RunView(RunRecord.Load(run));
            Assert.True(view.FinalEpoch!.TrainAccuracy > 0.95, $"not the healthy run: {view.FinalEpoch}");
            var findings = FindingsFile.Read(run);
            Assert.DoesNotContain(findings, f => f.Kind == FindingKind.DeadUnits);
            Assert.False(view.Rows()[0].DeadFlagged);
            Assert.DoesNotContain("dead units", result.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
