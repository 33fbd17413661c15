using Gradscope.Data;

namespace Gradscope.Experiments;

/// <summary>
/// What a run does besides training its spec: where it starts (a saved model instead of an initialiser), where
/// the trained model goes, and its checkpoints. The default is a fresh run that keeps <c>model.gsm</c> in its
/// run directory.
/// </summary>
public sealed record RunControl
{
    public static RunControl Default { get; } = new();

    /// <summary>A saved model (<c>.gsm</c>, or <c>.npz</c> in PyTorch's naming) to start from instead of the spec's initialiser.</summary>
    public string? InitFrom { get; init; }

    /// <summary>Also write the trained model here (<c>train --save</c>; <c>.npz</c> by extension, else the Gradscope format).</summary>
    public string? SavePath { get; init; }

    /// <summary>Keep <c>model.gsm</c> in the run directory (<c>--no-save</c> turns it off).</summary>
    public bool SaveInRunDirectory { get; init; } = true;

    /// <summary>When to write checkpoints into the run directory; null for never.</summary>
    public CheckpointSchedule? Checkpoints { get; init; }

    /// <summary>Checkpoints kept (the newest); older ones are deleted.</summary>
    public int CheckpointsKept { get; init; } = 3;

    /// <summary>A second sink for the records as they arrive (TensorBoard events); one that is also an <see cref="IEpochSink"/> gets the epoch summaries.</summary>
    public IMetricSink? AlsoTo { get; init; }

    /// <summary>The standardisation the data went through, saved with the model.</summary>
    public FeatureScaling? Scaling { get; init; }
}
