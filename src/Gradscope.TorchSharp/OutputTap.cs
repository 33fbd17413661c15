using TorchSharp;
using static TorchSharp.torch;

namespace Gradscope.TorchSharp;

/// <summary>
/// A forward hook on one module that keeps what it returned, so ∂L/∂(output) can be read after backward. TorchSharp
/// has no backward hooks: the hook calls <c>retain_grad()</c> on the output and keeps a native handle to it (a
/// <c>Sequential</c> disposes its intermediate tensors; the handle keeps the tensor). The handle is LibTorchSharp's
/// own alias, a reference count and no managed Tensor: a managed one, entered in a dispose scope and finalizable,
/// cost more per module call than a small layer's forward pass. Each call of the module in one forward pass adds one
/// output — a recurrent cell unrolled over T steps leaves T.
/// </summary>
internal sealed class OutputTap : IDisposable
{
    private readonly List<IntPtr> _outputs = [];
    private readonly Action? _remove;

    public OutputTap(nn.Module module)
    {
        _remove = module switch
        {
            nn.Module<Tensor, Tensor> m => Remover(m.register_forward_hook((_, _, output) => Keep(output)).remove),
            // LSTMCell returns (h, c): h is what the next layer and the next time step see.
            nn.Module<Tensor, (Tensor, Tensor)?, (Tensor, Tensor)> m => Remover(m.register_forward_hook((_, _, _, output) =>
            {
                Keep(output.Item1);
                return output;
            }).remove),
            // GRUCell, RNNCell.
            nn.Module<Tensor, Tensor?, Tensor> m => Remover(m.register_forward_hook((_, _, _, output) => Keep(output)).remove),
            _ => null,
        };
    }

    /// <summary>Whether the module's output can be seen (its forward signature is one the hook knows).</summary>
    public bool Hooked => _remove is not null;

    /// <summary>Set before a forward pass whose step will be measured; a disarmed hook only returns.</summary>
    public bool Armed { get; set; }

    /// <summary>
    /// Whether ∂L/∂(output) is kept (<c>retain_grad()</c>: autograd then copies the gradient into <c>.grad</c>, one
    /// more write of the output's size each step); when not, the output is kept for the forward pass alone.
    /// </summary>
    public bool RetainsGradient { get; set; } = true;

    /// <summary>Native handles to the outputs kept this step (see <see cref="NativeTensor"/>).</summary>
    public IReadOnlyList<IntPtr> Outputs => _outputs;

    /// <summary>Handles to the outputs' gradients during one measured step (zero: none), in output order.</summary>
    public List<IntPtr> Gradients { get; } = [];

    private static Action Remover(Action remove) => remove;

    private Tensor Keep(Tensor output)
    {
        // Outputs that need no gradient (evaluation under no_grad, frozen inputs) are not part of the step.
        if (!Armed || !output.requires_grad) return output;
        if (RetainsGradient) output.retain_grad();
        _outputs.Add(NativeTensor.THSTensor_alias(output.Handle));
        return output;
    }

    /// <summary>Lets go of the kept outputs (after the step is measured, or when it is not).</summary>
    public void Clear()
    {
        foreach (var h in _outputs) NativeTensor.THSTensor_dispose(h);
        _outputs.Clear();
    }

    public void Dispose()
    {
        Clear();
        _remove?.Invoke();
    }
}
