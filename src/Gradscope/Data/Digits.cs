using Gradscope.Numerics;

namespace Gradscope.Data;

/// <summary>The built-in procedural digits (<see cref="DigitsGenerator"/>) as a train/test split.</summary>
public static class Digits
{
    /// <summary>
    /// Train and test sets drawn from separate forks of <c>new Rng(seed)</c>, so the test digits are never
    /// copies of training digits and changing one count does not change the other set.
    /// </summary>
    /// <param name="exact">Render in float64 for a float64 run (<see cref="DataSplit.FromExact"/>); float32 otherwise.</param>
    public static DataSplit Load(int trainCount = 50_000, int testCount = 10_000, ulong seed = 1, bool exact = false)
    {
        var root = new Rng(seed);
        return exact
            ? DataSplit.FromExact(
                DigitsGenerator.Generate<double>("digits-train", trainCount, root.Fork(1)),
                DigitsGenerator.Generate<double>("digits-test", testCount, root.Fork(2)))
            : new DataSplit(
                DigitsGenerator.Generate("digits-train", trainCount, root.Fork(1)),
                DigitsGenerator.Generate("digits-test", testCount, root.Fork(2)));
    }
}
