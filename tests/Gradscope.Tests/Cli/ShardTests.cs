using Gradscope.Cli;
using Gradscope.Cli.Sweeps;

namespace Gradscope.Tests.Cli;

/// <summary>Which shard a worker is: from --shard, a Kubernetes Indexed Job's or a Slurm array's variables.</summary>
public sealed class ShardTests
{
    private static Func<string, string?> Env(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void Resolve_NoFlagNoVariables_Null() => Assert.Null(Shard.Resolve(null, null, Env()));

    [Fact]
    public void Resolve_Flag_IndexAndCount()
    {
        var shard = Shard.Resolve("2/4", null, Env(("JOB_COMPLETION_INDEX", "0")))!;
        Assert.Equal((2, 4), (shard.Index, shard.Count));
        Assert.Contains("--shard", shard.Source);
        Assert.True(shard.Includes(6));
        Assert.False(shard.Includes(7));
    }

    [Fact]
    public void Resolve_Kubernetes_CountFromVariableOrFlag()
    {
        var fromVariable = Shard.Resolve(null, null, Env(("JOB_COMPLETION_INDEX", "3"), ("GRADSCOPE_SHARDS", "5")))!;
        Assert.Equal((3, 5), (fromVariable.Index, fromVariable.Count));
        Assert.Contains("JOB_COMPLETION_INDEX=3", fromVariable.Source);
        var fromFlag = Shard.Resolve(null, 8, Env(("JOB_COMPLETION_INDEX", "3"), ("GRADSCOPE_SHARDS", "5")))!;
        Assert.Equal(8, fromFlag.Count);
    }

    [Fact]
    public void Resolve_SlurmOneBasedArray_ZeroBasedIndex()
    {
        var shard = Shard.Resolve(null, null, Env(("SLURM_ARRAY_TASK_ID", "4"), ("SLURM_ARRAY_TASK_MIN", "1"), ("SLURM_ARRAY_TASK_COUNT", "4")))!;
        Assert.Equal((3, 4), (shard.Index, shard.Count));
        Assert.Contains("SLURM_ARRAY_TASK_ID=4", shard.Source);
    }

    [Fact]
    public void Resolve_SlurmSteppedArray_IndexCountsSteps()
    {
        // --array=10-19:3 runs tasks 10, 13, 16, 19.
        var shard = Shard.Resolve(null, null, Env(("SLURM_ARRAY_TASK_ID", "16"), ("SLURM_ARRAY_TASK_MIN", "10"),
            ("SLURM_ARRAY_TASK_COUNT", "4"), ("SLURM_ARRAY_TASK_STEP", "3")))!;
        Assert.Equal((2, 4), (shard.Index, shard.Count));
    }

    [Theory]
    [InlineData("5/4", "index must be below")]
    [InlineData("0/0", "at least 1")]
    [InlineData("1", "expected i/N")]
    [InlineData("-1/4", "expected i/N")]
    [InlineData("a/b", "expected i/N")]
    public void Resolve_BadFlag_UsageNamingIt(string flag, string expected)
    {
        var e = Assert.Throws<UsageException>(() => Shard.Resolve(flag, null, Env()));
        Assert.Contains($"--shard {flag}", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Theory]
    [InlineData("JOB_COMPLETION_INDEX", "abc", "GRADSCOPE_SHARDS", "4", "JOB_COMPLETION_INDEX='abc' is not a whole number")]
    [InlineData("JOB_COMPLETION_INDEX", "4", "GRADSCOPE_SHARDS", "4", "not below the shard count 4")]
    [InlineData("JOB_COMPLETION_INDEX", "1", "GRADSCOPE_SHARDS", "x", "GRADSCOPE_SHARDS='x'")]
    [InlineData("JOB_COMPLETION_INDEX", "1", "OTHER", "1", "pass --shards N")]
    [InlineData("SLURM_ARRAY_TASK_ID", "7x", "SLURM_ARRAY_TASK_MIN", "1", "SLURM_ARRAY_TASK_ID='7x' is not a whole number")]
    [InlineData("SLURM_ARRAY_TASK_ID", "2", "SLURM_ARRAY_TASK_MIN", "1", "SLURM_ARRAY_TASK_COUNT is not")]
    public void Resolve_BadVariables_UsageNamingThem(string name1, string value1, string name2, string value2, string expected)
    {
        var e = Assert.Throws<UsageException>(() => Shard.Resolve(null, null, Env((name1, value1), (name2, value2))));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Resolve_SlurmIndexPastCount_Usage()
    {
        var e = Assert.Throws<UsageException>(() => Shard.Resolve(null, null,
            Env(("SLURM_ARRAY_TASK_ID", "5"), ("SLURM_ARRAY_TASK_MIN", "1"), ("SLURM_ARRAY_TASK_COUNT", "4"))));
        Assert.Contains("task 4 of an array of 4", e.Message);
    }
}
