namespace Gradscope.TorchSharp.Example;

/// <summary>How long and on how much the example trains.</summary>
public sealed record ExampleOptions
{
    public int Train { get; init; } = 5000;
    public int Test { get; init; } = 1000;
    public int Epochs { get; init; } = 3;
    public int BatchSize { get; init; } = 20;
    public double Eta { get; init; } = 0.1;
    public ulong Seed { get; init; } = 1;
    public string Probes { get; init; } = "standard";
}
