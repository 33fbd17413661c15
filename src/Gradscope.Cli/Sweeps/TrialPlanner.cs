using Gradscope.Experiments;
using Gradscope.Numerics;

namespace Gradscope.Cli.Sweeps;

/// <summary>
/// Enumerates a sweep's trials the same way in every worker: the grid in order (first flag outermost), or with
/// <c>--sample n</c> n configurations drawn from the grid without repeats (or from ranges) by a stream seeded with
/// the sweep seed. Each trial's seed derives from the sweep seed and its index, unless --seed is itself swept;
/// its id hashes the resolved spec, seed included.
/// </summary>
public static class TrialPlanner
{
    /// <summary>The most trials one sweep may plan.</summary>
    public const int MaxTrials = 100_000;

    private const ulong SampleStream = 0x5a4d_504c_4553UL;
    private const ulong SeedStream = 0x5345_4544_53UL;

    public static List<SweepTrial> Plan(IReadOnlyList<SweepAxis> axes, int? sample, ulong sweepSeed, bool seedIsSwept,
        Func<IReadOnlyList<(SweepAxis Axis, string Value)>, ExperimentSpec> build)
    {
        var configs = Configurations(axes, sample, sweepSeed);
        int digits = (configs.Count - 1).ToString(System.Globalization.CultureInfo.InvariantCulture).Length;
        var trials = new List<SweepTrial>(configs.Count);
        for (int i = 0; i < configs.Count; i++)
        {
            string name = string.Join(",", configs[i].Select(p => $"{p.Axis.Key}={p.Value.Replace(',', '-').Replace(':', '_').Replace(';', '_')}"));
            // A sample may draw one configuration twice (ranges, or a whole-number range): the index keeps folders apart.
            string dir = sample is null ? name : $"{i.ToString($"D{digits}", System.Globalization.CultureInfo.InvariantCulture)}-{name}";
            var spec = build(configs[i]) with { Name = dir };
            if (!seedIsSwept) spec = spec with { Seed = TrialSeed(sweepSeed, i) };
            string id = SweepPlan.HashHex(spec.ToJson(), 12);
            trials.Add(new SweepTrial(i, id, dir, spec, [.. configs[i].Select(p => KeyValuePair.Create(p.Axis.Key, p.Value))]));
        }
        var clash = trials.GroupBy(t => t.Dir).FirstOrDefault(g => g.Count() > 1);
        if (clash is not null) throw new UsageException($"two configurations would share the run folder '{clash.Key}'; make the swept values distinct.");
        return trials;
    }

    /// <summary>Trial <paramref name="index"/>'s seed: a fork of the sweep seed's stream, kept below 2³⁰ so it reads easily.</summary>
    public static ulong TrialSeed(ulong sweepSeed, int index) =>
        new Rng(sweepSeed).Fork(SeedStream).Fork((ulong)index).NextUInt64() >> 34;

    private static List<List<(SweepAxis Axis, string Value)>> Configurations(IReadOnlyList<SweepAxis> axes, int? sample, ulong sweepSeed)
    {
        long size = 1;
        foreach (var axis in axes.Where(a => a.Range is null))
            size = size > int.MaxValue ? size : size * axis.Values.Length;
        if (sample is null)
        {
            if (axes.FirstOrDefault(a => a.Range is not null) is { } range)
                throw new UsageException($"{range.Option.Name} {range.Range} is a range: give --sample n to draw n configurations from it.");
            if (size > MaxTrials) throw new UsageException($"the grid has {size} configurations; at most {MaxTrials} (or draw some with --sample n).");
            return [.. Enumerable.Range(0, (int)size).Select(k => Decode(axes, k))];
        }
        int n = sample.Value;
        if (n < 1 || n > MaxTrials) throw new UsageException($"--sample {n}: draw between 1 and {MaxTrials} configurations.");
        var rng = new Rng(sweepSeed).Fork(SampleStream);
        if (axes.Any(a => a.Range is not null))
            return [.. Enumerable.Range(0, n).Select(_ => axes.Select(a => (a, a.Range?.Draw(rng) ?? a.Values[rng.NextInt(a.Values.Length)])).ToList())];
        if (n > size) throw new UsageException($"--sample {n}: the grid has only {size} configurations.");
        return [.. DistinctDraws(rng, (int)size, n).Select(k => Decode(axes, k))];
    }

    /// <summary>Grid configuration <paramref name="k"/>, the last flag varying fastest.</summary>
    private static List<(SweepAxis Axis, string Value)> Decode(IReadOnlyList<SweepAxis> axes, long k)
    {
        var config = new (SweepAxis, string)[axes.Count];
        for (int a = axes.Count - 1; a >= 0; a--)
        {
            int length = axes[a].Values.Length;
            config[a] = (axes[a], axes[a].Values[(int)(k % length)]);
            k /= length;
        }
        return [.. config];
    }

    /// <summary>n distinct indices of [0, size) in draw order: a partial Fisher–Yates when n is a large share of the grid, rejection otherwise.</summary>
    private static List<int> DistinctDraws(Rng rng, int size, int n)
    {
        if ((long)n * 4 >= size)
        {
            var all = Enumerable.Range(0, size).ToArray();
            for (int i = 0; i < n; i++)
            {
                int j = i + rng.NextInt(size - i);
                (all[i], all[j]) = (all[j], all[i]);
            }
            return [.. all.Take(n)];
        }
        var seen = new HashSet<int>();
        var draws = new List<int>(n);
        while (draws.Count < n)
        {
            int k = rng.NextInt(size);
            if (seen.Add(k)) draws.Add(k);
        }
        return draws;
    }
}
