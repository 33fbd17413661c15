namespace Gradscope.Bench;

/// <summary>
/// Benchmark entry point: <c>dotnet run -c Release --project bench/Gradscope.Bench -- &lt;command&gt; [options]</c>.
/// Each command lives in its own file and is registered here, so adding one is one line.
/// </summary>
internal static class Program
{
    private static readonly (string Name, string Summary, Func<string[], int> Run)[] Commands =
    [
        ("gemm", "GEMM GFLOP/s (float32/float64, 2048³, wide-net and MLP shapes), vs OpenBLAS via numpy when present", GemmBench.Run),
        ("train", "training examples/s on the peers' nets vs PyTorch/NumPy, and the cost of each probe preset (--probes: the probe cost only; --quick, --no-peer)", TrainBench.Run),
        ("rnn", "recurrent training sequences/s (lstm, gru, rnn: I=2 H=128 T=100 B=32 and I=28 H=128 T=28 B=64) vs PyTorch at 1 thread (--cells, --no-peer)", RecurrentBench.Run),
        ("kfac", "K-FAC step time vs SGD on [784,30,30,30,30,10] at batch 10, and one 785×785 Cholesky inverse", KfacBench.Run),
        ("open", "time to open a run of a million metric records (the dashboard's and RunView's path), phase by phase", OpenBench.Run),
        ("csv", "peak memory of reading a CSV data file (float32 and float64 runs) as a ratio of the values' float64 size", CsvBench.Run),
        ("remedies", "Remedies.Run on the embedded digits (Nielsen's 4- and 10-hidden-layer sigmoid nets), as a table", RemediesBench.Run),
    ];

    private static int Main(string[] args)
    {
        if (args.Length > 0)
            foreach (var (name, _, run) in Commands)
                if (name == args[0]) return run(args[1..]);
        Console.Error.WriteLine("usage: Gradscope.Bench <command> [options]");
        foreach (var (name, summary, _) in Commands) Console.Error.WriteLine($"  {name,-10} {summary}");
        return args.Length == 0 || args[0] is "-h" or "--help" ? 0 : 2;
    }
}
