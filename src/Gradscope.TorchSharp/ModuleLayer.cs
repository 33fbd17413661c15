using static TorchSharp.torch;

namespace Gradscope.TorchSharp;

/// <summary>
/// One layer as Gradscope counts them: a module that holds parameters (the head), with the normalisation module that
/// directly follows it, if any, and the element-wise activation after that — the engine's
/// z = norm(W a + b), a = σ(z). δ^l is read at the output of the normalisation, else of the head.
/// </summary>
internal sealed class ModuleLayer : IDisposable
{
    public ModuleLayer(int index, string path, nn.Module head)
    {
        Index = index;
        Path = path;
        Head = head;
    }

    /// <summary>Nielsen's l: 1 for the first layer in forward (registration) order.</summary>
    public int Index { get; }

    /// <summary>The head's path in the module tree, e.g. <c>features.3.conv</c>.</summary>
    public string Path { get; }

    public nn.Module Head { get; }
    public nn.Module? Norm { get; set; }
    public string? NormalizationName { get; set; }
    public nn.Module? Activation { get; set; }
    public ActivationKind? ActivationKind { get; set; }
    public List<LayerParameter> Parameters { get; } = [];

    /// <summary>Handles to the parameters' gradients during one measured step (zero: none), in parameter order.</summary>
    public IntPtr[] Gradients { get; set; } = [];

    /// <summary>Output of the head or its normalisation: z^l, and after backward ∂L/∂z^l.</summary>
    public OutputTap? Output { get; set; }

    /// <summary>Output of the activation: a^l, and after backward ∂L/∂a^l.</summary>
    public OutputTap? ActivationOutput { get; set; }

    /// <summary>
    /// Whether δ^l = ∂L/∂a ⊙ σ'(z) is formed from the activation's output and its gradient, so z^l's gradient need not
    /// be kept: null until a step has read both ways and compared them (<see cref="MonitorScope"/>), then the answer.
    /// </summary>
    public bool? DeltaFromActivation { get; set; }

    /// <summary>Copies of the weights (T[] each, reused) before the optimiser's step, on steps whose update ratio is due.</summary>
    public Array[]? Snapshot { get; set; }

    /// <summary>‖W^l‖² of the snapshot.</summary>
    public double SnapshotSquares { get; set; }

    /// <summary>‖W^l‖² as summed in the step being measured; NaN when the parameters' norms were not due.</summary>
    public double WeightSquares { get; set; } = double.NaN;

    /// <summary>The parameters whose role is weight (fixed once the tree is read).</summary>
    public IReadOnlyList<LayerParameter> Weights => _weights ??= Parameters.Where(p => p.Role == ParameterRole.Weight).ToArray();

    private LayerParameter[]? _weights;

    public void Arm(bool armed)
    {
        if (Output is not null)
        {
            Output.Armed = armed;
            Output.RetainsGradient = DeltaFromActivation != true;
        }
        if (ActivationOutput is not null) ActivationOutput.Armed = armed;
    }

    public void Clear()
    {
        Output?.Clear();
        ActivationOutput?.Clear();
    }

    public void Dispose()
    {
        Output?.Dispose();
        ActivationOutput?.Dispose();
    }
}
