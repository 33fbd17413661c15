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

    /// <summary>
    /// Whether ∂L/∂a^l is formed in managed code as δ^{l+1} W^{l+1} (the next layer a <c>Linear</c> fed by a^l), so
    /// a^l's gradient need not be kept: null until a step has read both ways and compared them, then the answer
    /// (MonitorScope.Backward.cs).
    /// </summary>
    public bool? BackFromNext { get; set; }

    /// <summary>∂L/∂a^l formed this step (T[], reused; the first <see cref="BackLength"/> values), for the rows of a^l.</summary>
    public Array? BackBuffer { get; set; }

    /// <summary>How many values of <see cref="BackBuffer"/> hold this step's ∂L/∂a^l; 0 when it was not formed.</summary>
    public int BackLength { get; set; }

    /// <summary>The rows (batch) of the ∂L/∂a^l in <see cref="BackBuffer"/>.</summary>
    public long BackRows { get; set; }

    /// <summary>δ^l = ∂L/∂a^l ⊙ σ' formed this step for the layer before (T[], reused).</summary>
    public Array? DeltaBuffer { get; set; }

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
        if (ActivationOutput is not null)
        {
            ActivationOutput.Armed = armed;
            ActivationOutput.RetainsGradient = BackFromNext != true;
        }
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
