using Gradscope.Numerics;

namespace Gradscope.Data;

/// <summary>The built-in procedural digits (<see cref="DigitsGenerator"/>) as a train/test split.</summary>
public static class Digits
{
    /// <summary>
    /// Train and test sets drawn from separate forks of <c>new Rng(seed)</c>, so the test digits are never
    /// copies of training digits and changing one count does not change the other set.
    /// </summary>
    public static DataSplit Load(int trainCount = 50_000, int testCount = 10_000, ulong seed = 1)
    {
        var root = new Rng(seed);
        return new DataSplit(
            DigitsGenerator.Generate("digits-train", trainCount, root.Fork(1)),
            DigitsGenerator.Generate("digits-test", testCount, root.Fork(2)));
    }
}
