namespace Gradscope.Model;

/// <summary>Which statistics batch normalisation uses in a forward pass (other layers ignore it).</summary>
public enum ForwardMode
{
    /// <summary>The running averages: evaluation and prediction.</summary>
    Inference,

    /// <summary>The batch's own statistics, leaving the running averages alone (probes on a reference set).</summary>
    Batch,

    /// <summary>The batch's statistics, and the running averages move towards them (the trainer's steps).</summary>
    Training,
}
