using Gradscope.Numerics;

namespace Gradscope.Data;

/// <summary>
/// Small controlled problems where the answer is known: regression onto a fixed random teacher network (the
/// student can represent the target exactly, so any failure to fit is an optimisation failure, which is what
/// gradient pathologies cause), and n-bit parity (every input bit matters, the classic hard case for deep
/// sigmoid nets).
/// </summary>
public static class SyntheticTasks
{
    /// <summary>
    /// Inputs x ~ N(0, I) of dimension <paramref name="inputSize"/>; targets y = teacher(x), where the teacher is an
    /// MLP [inputSize, hidden…, outputSize] with tanh hidden layers, a linear output, weights
    /// W ~ N(0, 1/fan_in) and biases ~ N(0, 0.1²). The 1/fan_in variance keeps the teacher's tanh units out of
    /// saturation, so the targets vary smoothly and on the order of 1. Same seed ⇒ same teacher and examples;
    /// train and test share the teacher but draw inputs from separate streams. No labels.
    /// </summary>
    public static DataSplit Teacher(int trainCount, int testCount, int inputSize = 20, int outputSize = 1,
        IReadOnlyList<int>? hiddenSizes = null, ulong seed = 1)
    {
        RequirePositive(trainCount, nameof(trainCount));
        RequirePositive(testCount, nameof(testCount));
        RequirePositive(inputSize, nameof(inputSize));
        RequirePositive(outputSize, nameof(outputSize));
        int[] sizes = [inputSize, .. hiddenSizes ?? [32, 32], outputSize];
        for (int l = 1; l < sizes.Length - 1; l++) RequirePositive(sizes[l], nameof(hiddenSizes));

        var root = new Rng(seed);
        var weightRng = root.Fork(0);
        var weights = new double[sizes.Length - 1][];
        var biases = new double[sizes.Length - 1][];
        for (int l = 0; l + 1 < sizes.Length; l++)
        {
            double std = 1 / Math.Sqrt(sizes[l]);
            weights[l] = new double[sizes[l + 1] * sizes[l]];
            biases[l] = new double[sizes[l + 1]];
            for (int i = 0; i < weights[l].Length; i++) weights[l][i] = weightRng.Normal(0, std);
            for (int i = 0; i < biases[l].Length; i++) biases[l][i] = weightRng.Normal(0, 0.1);
        }
        return new DataSplit(
            TeacherSet("teacher-train", trainCount, sizes, weights, biases, root.Fork(1)),
            TeacherSet("teacher-test", testCount, sizes, weights, biases, root.Fork(2)));
    }

    private static Dataset<float> TeacherSet(string name, int count, int[] sizes, double[][] weights, double[][] biases, Rng rng)
    {
        int inputSize = sizes[0], outputSize = sizes[^1];
        var inputs = new float[count * inputSize];
        var targets = new float[count * outputSize];
        int widest = sizes.Max();
        var a = new double[widest];
        var z = new double[widest];
        for (int n = 0; n < count; n++)
        {
            for (int k = 0; k < inputSize; k++)
            {
                // The teacher sees exactly the float the student will see.
                inputs[n * inputSize + k] = (float)rng.NextNormal();
                a[k] = inputs[n * inputSize + k];
            }
            for (int l = 0; l + 1 < sizes.Length; l++)
            {
                int fanIn = sizes[l], fanOut = sizes[l + 1];
                bool output = l + 2 == sizes.Length;
                for (int j = 0; j < fanOut; j++)
                {
                    double sum = biases[l][j];
                    for (int k = 0; k < fanIn; k++) sum += weights[l][j * fanIn + k] * a[k];
                    z[j] = output ? sum : Math.Tanh(sum);
                }
                z.AsSpan(0, fanOut).CopyTo(a);
            }
            for (int j = 0; j < outputSize; j++) targets[n * outputSize + j] = (float)a[j];
        }
        return new Dataset<float>(name, inputSize, outputSize, inputs, targets);
    }

    /// <summary>
    /// n-bit parity: uniformly random bit strings, label 1 when the number of set bits is odd, as a 2-class
    /// one-hot set. Bits are encoded ±1 when <paramref name="signed"/> (zero-mean inputs, the usual choice for
    /// tanh nets) and 0/1 otherwise. Train and test are drawn independently, so for small n they overlap:
    /// with 2^n ≤ the count, both hold nearly every pattern and parity becomes a memorisation test.
    /// </summary>
    public static DataSplit Parity(int bits, int trainCount, int testCount, ulong seed = 1, bool signed = true)
    {
        if (bits is < 1 or > 62) throw new ArgumentOutOfRangeException(nameof(bits), bits, $"Parity needs 1 to 62 bits, got {bits}.");
        RequirePositive(trainCount, nameof(trainCount));
        RequirePositive(testCount, nameof(testCount));
        var root = new Rng(seed);
        return new DataSplit(
            ParitySet($"parity{bits}-train", bits, trainCount, signed, root.Fork(1)),
            ParitySet($"parity{bits}-test", bits, testCount, signed, root.Fork(2)));
    }

    private static Dataset<float> ParitySet(string name, int bits, int count, bool signed, Rng rng)
    {
        var inputs = new float[count * bits];
        var labels = new int[count];
        float off = signed ? -1f : 0f;
        for (int n = 0; n < count; n++)
        {
            ulong word = rng.NextUInt64();
            int ones = 0;
            for (int b = 0; b < bits; b++)
            {
                bool set = ((word >> b) & 1) != 0;
                ones += set ? 1 : 0;
                inputs[n * bits + b] = set ? 1f : off;
            }
            labels[n] = ones & 1;
        }
        var targets = new float[count * 2];
        for (int n = 0; n < count; n++) targets[n * 2 + labels[n]] = 1f;
        return new Dataset<float>(name, bits, 2, inputs, targets, labels);
    }

    private static void RequirePositive(int value, string name)
    {
        if (value < 1) throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive, got {value}.");
    }
}
