using System.Globalization;
using Gradscope.Data;
using Gradscope.Experiments;

namespace Gradscope.Bench;

/// <summary>
/// <c>remedies [--train N] [--test N] [--epochs E] [--shallow]</c>: <see cref="Remedies.Run"/> on the embedded
/// digits, printed as a Markdown table (the CLI's <c>gradscope reproduce remedies</c> renders the same rows).
/// </summary>
internal static class RemediesBench
{
    public static int Run(string[] args)
    {
        var c = CultureInfo.InvariantCulture;
        int train = Option(args, "--train", 10_000), test = Option(args, "--test", 2_000), epochs = Option(args, "--epochs", 1);
        var data = DataSources.Load("digits", train, test, 20101);
        var budget = new RemedyBudget { Epochs = epochs, Deep = !args.Contains("--shallow") };
        var rows = Remedies.Run(data.Train, data.Test, budget, new Progress<string>(Console.Error.WriteLine));
        Console.WriteLine($"digits: {data.Train.Count} train / {data.Test.Count} test, {epochs} epoch(s), batch {budget.BatchSize}");
        Console.WriteLine("| remedy | hidden | speed 1st/last (start) | speed 1st/last (end) | test cost | test accuracy | seconds | status |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---|");
        foreach (var r in rows)
            Console.WriteLine(string.Format(c, "| {0} | {1} | {2:G3} | {3:G3} | {4:F4} | {5:P1} | {6:F1} | {7} |",
                r.Remedy, r.HiddenLayers, r.SpeedRatioStart, r.SpeedRatioEnd, r.Cost, r.Accuracy, r.Seconds, r.Status));
        return 0;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
