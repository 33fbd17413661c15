using Gradscope.Numerics;

namespace Gradscope.Data;

/// <summary>
/// The classic long-range tasks for recurrent nets, generated from a seed (docs/recurrent.md cites each). Every
/// sequence has exactly <c>length</c> steps: the papers draw lengths in [T, T + T/10], which a fixed-τ engine
/// replaces by T itself; the relevant positions scale with T as they do at the papers' T = 100.
/// </summary>
public static class SequenceTasks
{
    public static IReadOnlyList<string> Names { get; } = ["adding", "temporal-order", "temporal-order-3bit", "sequential-digits"];

    /// <summary>A sequence of the adding task counts as wrong when its absolute error exceeds this (Hochreiter &amp; Schmidhuber 1997).</summary>
    public const double AddingTolerance = 0.04;

    /// <summary>Temporal order: a sequence is classified correctly when every output is within this of its target (ibid.).</summary>
    public const double TemporalOrderTolerance = 0.3;

    /// <summary>The default length of each task.</summary>
    public static int DefaultLength(string name) => name == "sequential-digits" ? 28 : 100;

    public static bool IsTask(string name) => Names.Contains(name, StringComparer.OrdinalIgnoreCase);

    /// <summary>The task by name, <paramref name="length"/> steps (0 = its default), train and test from separate streams.</summary>
    public static DataSplit Load(string name, int trainCount, int testCount, int length = 0, ulong seed = 1, bool exact = false)
    {
        string task = name.Trim().ToLowerInvariant();
        int steps = length > 0 ? length : DefaultLength(task);
        if (task == "sequential-digits")
        {
            if (steps != 28) throw new ArgumentException($"sequential-digits reads the 28×28 digits row by row: its length is 28, not {steps}.");
            var digits = Digits.Load(trainCount, Math.Max(1, testCount), seed, exact);
            return exact
                ? DataSplit.FromExact(digits.ExactTrain!.Rename("sequential-digits-train", 28), digits.ExactTest!.Rename("sequential-digits-test", 28))
                : new DataSplit(digits.Train.Rename("sequential-digits-train", 28), digits.Test.Rename("sequential-digits-test", 28));
        }
        var root = new Rng(seed);
        return task switch
        {
            "adding" => new DataSplit(Adding("adding-train", trainCount, steps, root.Fork(1)), Adding("adding-test", testCount, steps, root.Fork(2))),
            "temporal-order" => new DataSplit(TemporalOrder("temporal-order-train", trainCount, steps, 2, root.Fork(1)),
                TemporalOrder("temporal-order-test", testCount, steps, 2, root.Fork(2))),
            "temporal-order-3bit" => new DataSplit(TemporalOrder("temporal-order-3bit-train", trainCount, steps, 3, root.Fork(1)),
                TemporalOrder("temporal-order-3bit-test", testCount, steps, 3, root.Fork(2))),
            _ => throw new ArgumentException($"Unknown sequence task '{name}'. Valid: {string.Join(", ", Names)}."),
        };
    }

    /// <summary>
    /// Hochreiter &amp; Schmidhuber (1997), experiment 4, the adding problem: pairs (value, marker), values uniform in
    /// [−1, 1]. One of the first ten pairs is marked 1 (its value X1), then one of the first T/2 − 1 still unmarked
    /// pairs (X2); the first and last pairs are marked −1 unless already marked; X1 is taken as 0 when the first
    /// pair is the marked one. Target at the end: 0.5 + (X1 + X2)/4. Pascanu et al. (2013) use the same task.
    /// </summary>
    public static Dataset<float> Adding(string name, int count, int steps, Rng rng)
    {
        if (steps < 12) throw new ArgumentException($"The adding task needs at least 12 steps (two markers among the first ten and the first T/2 − 1), got {steps}.");
        var x = new float[count * steps * 2];
        var y = new float[count];
        int half = steps / 2 - 1;
        for (int n = 0; n < count; n++)
        {
            var row = x.AsSpan(n * steps * 2, steps * 2);
            for (int t = 0; t < steps; t++) row[2 * t] = (float)rng.Uniform(-1, 1);
            int first = rng.NextInt(10), second;
            do second = rng.NextInt(half); while (second == first);
            row[2 * first + 1] = 1;
            row[2 * second + 1] = 1;
            if (first != 0 && second != 0) row[1] = -1;
            if (row[2 * (steps - 1) + 1] == 0) row[2 * (steps - 1) + 1] = -1;
            double x1 = first == 0 ? 0 : row[2 * first], x2 = row[2 * second];
            if (second == 0) x2 = 0; // the first pair's value counts as 0 whichever marker found it
            y[n] = (float)(0.5 + (x1 + x2) / 4.0);
        }
        return new Dataset<float>(name, steps * 2, 1, x, y) { Steps = steps };
    }

    /// <summary>
    /// Hochreiter &amp; Schmidhuber (1997), experiments 6a and 6b, the temporal order problem: symbols
    /// {a, b, c, d, B, E, X, Y} one-hot (8 inputs); E first, B last, a–d at random elsewhere except at the relevant
    /// positions, which hold X or Y: t1 ∈ [T/10, 2T/10] and t2 ∈ [5T/10, 6T/10] for 6a (classes XX, XY, YX, YY);
    /// t1 ∈ [T/10, 2T/10], t2 ∈ [33T/100, 43T/100], t3 ∈ [66T/100, 76T/100] for 6b (8 classes). At T = 100 these
    /// are the paper's positions 10–20, 50–60 (and 33–43, 66–76).
    /// </summary>
    public static Dataset<float> TemporalOrder(string name, int count, int steps, int relevant, Rng rng)
    {
        if (steps < 20) throw new ArgumentException($"The temporal order task needs at least 20 steps, got {steps}.");
        const int symbols = 8, a = 0, begin = 5, end = 4, xSymbol = 6; // a b c d B E X Y
        (int Lo, int Hi)[] windows = relevant == 2
            ? [(steps / 10, 2 * steps / 10), (5 * steps / 10, 6 * steps / 10)]
            : [(steps / 10, 2 * steps / 10), (33 * steps / 100, 43 * steps / 100), (66 * steps / 100, 76 * steps / 100)];
        int classes = 1 << relevant;
        var pixels = new float[count * steps * symbols];
        var labels = new int[count];
        var symbol = new int[steps];
        for (int n = 0; n < count; n++)
        {
            var row = pixels.AsSpan(n * steps * symbols, steps * symbols);
            for (int t = 1; t < steps - 1; t++) symbol[t] = a + rng.NextInt(4);
            symbol[0] = begin;
            symbol[steps - 1] = end;
            int label = 0;
            foreach (var (lo, hi) in windows)
            {
                // Positions are 1-based in the paper; step t here is position t + 1.
                int position = lo + rng.NextInt(hi - lo + 1) - 1;
                int bit = rng.NextInt(2); // 0 = X, 1 = Y
                symbol[position] = xSymbol + bit;
                label = label * 2 + bit;
            }
            for (int t = 0; t < steps; t++) row[t * symbols + symbol[t]] = 1;
            labels[n] = label;
        }
        var targets = new float[count * classes];
        for (int n = 0; n < count; n++) targets[n * classes + labels[n]] = 1;
        return new Dataset<float>(name, steps * symbols, classes, pixels, targets, labels) { Steps = steps };
    }

    private static Dataset<T> Rename<T>(this Dataset<T> data, string name, int steps) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        new(name, data.InputSize, data.OutputSize, data.Inputs.ToArray(), data.Targets.ToArray(), data.Labels.ToArray()) { Steps = steps };
}
