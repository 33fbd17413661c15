using Gradscope.Data;

namespace Gradscope.Tests.Data;

public sealed class SyntheticTasksTests
{
    [Fact]
    public void Teacher_Shapes_MatchRequestAndHaveNoLabels()
    {
        var split = SyntheticTasks.Teacher(trainCount: 64, testCount: 16, inputSize: 8, outputSize: 3, hiddenSizes: [5, 4], seed: 7);

        Assert.Equal(64, split.Train.Count);
        Assert.Equal(16, split.Test.Count);
        Assert.Equal(8, split.Train.InputSize);
        Assert.Equal(3, split.Train.OutputSize);
        Assert.False(split.Train.HasLabels);
        Assert.All(split.Train.Targets.ToArray(), t => Assert.True(float.IsFinite(t)));
    }

    [Fact]
    public void Teacher_SameSeed_IsIdenticalAndDifferentSeedIsNot()
    {
        var a = SyntheticTasks.Teacher(32, 8, seed: 3);
        var b = SyntheticTasks.Teacher(32, 8, seed: 3);
        var c = SyntheticTasks.Teacher(32, 8, seed: 4);

        Assert.True(a.Train.Inputs.SequenceEqual(b.Train.Inputs));
        Assert.True(a.Train.Targets.SequenceEqual(b.Train.Targets));
        Assert.False(a.Train.Targets.SequenceEqual(c.Train.Targets));
    }

    [Fact]
    public void Teacher_Targets_VaryWithInputsOnOrderOne()
    {
        var split = SyntheticTasks.Teacher(2000, 10, inputSize: 20, outputSize: 1, seed: 5);

        var y = split.Train.Targets.ToArray();
        double mean = y.Average(v => (double)v);
        double std = Math.Sqrt(y.Average(v => (v - mean) * (v - mean)));
        // A constant target would be a trivial task; a huge one would mean the teacher saturated or exploded.
        Assert.InRange(std, 0.1, 5);
    }

    [Fact]
    public void Teacher_SameSeed_TrainAndTestShareTheTeacherButNotTheInputs()
    {
        var split = SyntheticTasks.Teacher(16, 16, inputSize: 4, seed: 9);

        Assert.False(split.Train.Inputs.SequenceEqual(split.Test.Inputs));
    }

    [Theory]
    [InlineData(true, -1f)]
    [InlineData(false, 0f)]
    public void Parity_Labels_AreParityOfSetBits(bool signed, float off)
    {
        var split = SyntheticTasks.Parity(bits: 6, trainCount: 200, testCount: 50, seed: 1, signed: signed);

        Assert.Equal(6, split.Train.InputSize);
        Assert.Equal(2, split.Train.OutputSize);
        for (int n = 0; n < split.Train.Count; n++)
        {
            var x = split.Train.Input(n);
            int ones = 0;
            foreach (float v in x)
            {
                Assert.True(v == 1f || v == off, $"input {v} is not a bit");
                if (v == 1f) ones++;
            }
            Assert.Equal(ones % 2, split.Train.Label(n));
            Assert.Equal(1f, split.Train.Target(n)[ones % 2]);
        }
    }

    [Fact]
    public void Parity_ManyExamples_HasBothClassesInRoughlyEqualNumbers()
    {
        var split = SyntheticTasks.Parity(bits: 10, trainCount: 4000, testCount: 10, seed: 2);

        int odd = split.Train.Labels.ToArray().Sum();
        Assert.InRange(odd, 1800, 2200);
    }

    [Fact]
    public void Parity_ZeroBits_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticTasks.Parity(0, 10, 10));
    }
}
