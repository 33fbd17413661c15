using System.Numerics;
using Gradscope.Numerics;
using TorchSharp.Modules;

namespace Gradscope.TorchSharp;

// ∂L/∂a^l of a layer whose output a^l feeds a Linear layer, formed backwards in managed code instead of kept by autograd.
public sealed partial class MonitorScope
{
    /// <summary>
    /// The AppContext switch that turns the managed backward off (every ∂L/∂a^l then kept by autograd), read when a
    /// monitor attaches: for comparing the two in one process (the bench), not needed otherwise.
    /// </summary>
    internal const string AutogradOnlySwitch = "Gradscope.TorchSharp.AutogradActivationGradients";

    private readonly bool _managedBackward = !(AppContext.TryGetSwitch(AutogradOnlySwitch, out bool off) && off);

    /// <summary>
    /// Forms ∂L/∂a^l = δ^{l+1} W^{l+1} (batch rows) for each layer whose activation output feeds the next layer, a
    /// <c>Linear</c> with no normalisation, walking from the last layer back: δ^{l+1} is z^{l+1}'s kept gradient or,
    /// where z^{l+1}'s gradient is not kept, ∂L/∂a^{l+1} ⊙ σ'(a^{l+1}) (a^{l+1}'s kept gradient or the one formed here
    /// the step before in the walk). retain_grad on a module output makes autograd clone that gradient through the
    /// dispatcher each step; one small product per layer costs far less. That a^l is the next layer's input — and its
    /// only use — is what the module tree assumes but cannot prove: the first step that has both compares the product
    /// with a^l's kept gradient, and only a layer where they agree to float rounding stops keeping it
    /// (<see cref="ModuleLayer.BackFromNext"/>; a layer where they differ keeps it for good).
    /// </summary>
    private void FormBackward<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (var layer in _layers) layer.BackLength = 0;
        for (int i = _layers.Count - 2; i >= 0; i--)
        {
            var layer = _layers[i];
            if (!_managedBackward) layer.BackFromNext = false;
            if (layer.BackFromNext == false) continue;
            var next = _layers[i + 1];
            if (!Chainable(layer, next, out var linear))
            {
                layer.BackFromNext = false;
                continue;
            }
            IntPtr a = Single(layer.ActivationOutput);
            if (a == IntPtr.Zero || !NextDelta<T>(next, out var delta)) continue;
            int units = (int)linear.out_features, inputs = (int)linear.in_features;
            var weight = Read<T>(next.Weights[0].Tensor.Handle);
            long elements = NativeTensor.THSTensor_numel(a);
            int rows = delta.Length / units;
            if (weight.Length != units * inputs || delta.Length != rows * units || elements != (long)rows * inputs)
            {
                layer.BackFromNext = false;
                continue;
            }
            var back = Buffer<T>(layer.BackBuffer, rows * inputs, out var array);
            layer.BackBuffer = array;
            // [rows × inputs] = [rows × units] · [units × inputs]: the Linear's input gradient, as autograd forms it.
            Gemm.Multiply(false, false, rows, inputs, units, T.One, delta, units, weight, inputs, T.Zero, back, inputs);
            layer.BackLength = rows * inputs;
            layer.BackRows = NativeTensor.Rows(a);
            if (layer.BackFromNext is not null) continue;
            IntPtr kept = layer.ActivationOutput!.Gradients is { Count: 1 } g ? g[0] : IntPtr.Zero;
            if (kept == IntPtr.Zero) continue;
            layer.BackFromNext = AgreeValues<T>(back, Read<T>(kept));
            // Undecided or refused: this step reads the kept gradient.
            if (layer.BackFromNext != true) layer.BackLength = 0;
        }
    }

    /// <summary>Whether a^l can be the input of the next layer's Linear: a known activation module, a Linear after it with no normalisation.</summary>
    private static bool Chainable(ModuleLayer layer, ModuleLayer next, out Linear linear)
    {
        linear = (next.Head as Linear)!;
        return layer.ActivationOutput is not null && next.Head is Linear && next.Norm is null && next.Weights.Count == 1;
    }

    /// <summary>
    /// δ^{l+1} = ∂L/∂z^{l+1} for the next layer: its kept gradient where z's gradient is kept, else ∂L/∂a ⊙ σ'(a)
    /// into the layer's reused buffer (<see cref="ModuleLayer.DeltaFromActivation"/> says the two agree).
    /// </summary>
    private bool NextDelta<T>(ModuleLayer next, out ReadOnlySpan<T> delta) where T : unmanaged, IFloatingPointIeee754<T>
    {
        delta = default;
        if (next.Output is { RetainsGradient: true, Gradients: { Count: 1 } kept } && kept[0] != IntPtr.Zero)
        {
            delta = Read<T>(kept[0]);
            return true;
        }
        if (next.DeltaFromActivation != true || next.ActivationKind is not { HasSigmaPrime: true } kind) return false;
        IntPtr a = Single(next.ActivationOutput);
        if (a == IntPtr.Zero) return false;
        ReadOnlySpan<T> g;
        if (next.BackLength > 0) g = ((T[])next.BackBuffer!).AsSpan(0, next.BackLength);
        else if (next.ActivationOutput!.Gradients is { Count: 1 } gradients && gradients[0] != IntPtr.Zero) g = Read<T>(gradients[0]);
        else return false;
        var values = Read<T>(a);
        if (values.Length != g.Length) return false;
        var d = Buffer<T>(next.DeltaBuffer, g.Length, out var array);
        next.DeltaBuffer = array;
        kind.Delta(g, values, d);
        delta = d;
        return true;
    }

    /// <summary>The first <paramref name="length"/> values of a reused T[] (a larger one replaces it only when needed).</summary>
    private static Span<T> Buffer<T>(Array? kept, int length, out T[] array)
    {
        array = kept is T[] t && t.Length >= length ? t : new T[length];
        return array.AsSpan(0, length);
    }

    /// <summary>
    /// Whether ∂L/∂a formed here equals autograd's, value by value: ‖formed − kept‖ ≤ tol·‖kept‖ with tol 1e-4 in float32
    /// (room for a different summation order), 1e-10 in float64; null while either is not finite. An activation output
    /// used anywhere besides the next Linear (a skip connection, a second head) is off by far more.
    /// </summary>
    private static bool? AgreeValues<T>(ReadOnlySpan<T> formed, ReadOnlySpan<T> kept) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (formed.Length != kept.Length) return false;
        var (difference, reference) = OutputKernels.DistanceSquares(formed, kept);
        if (!double.IsFinite(difference) || !double.IsFinite(reference)) return null;
        double tolerance = typeof(T) == typeof(double) ? 1e-10 : 1e-4;
        return difference <= tolerance * tolerance * reference;
    }
}
