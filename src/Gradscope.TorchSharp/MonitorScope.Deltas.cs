using System.Numerics;
using Gradscope.Numerics;
using Gradscope.Probes;
using Tensor = TorchSharp.torch.Tensor;

namespace Gradscope.TorchSharp;

// ‖δ^l‖ and ‖∂L/∂a^l‖ from the gradients autograd left on the modules' outputs.
public sealed partial class MonitorScope
{
    private readonly List<double> _deltas = [], _derived = [], _backs = [];

    /// <summary>
    /// Takes a handle to every gradient the step will read, once: the parameters' and those of the outputs whose
    /// gradient was kept. <see cref="ReleaseGradients"/> frees them when the step is measured.
    /// </summary>
    private void CollectGradients()
    {
        foreach (var layer in _layers)
        {
            if (layer.Gradients.Length != layer.Parameters.Count) layer.Gradients = new IntPtr[layer.Parameters.Count];
            for (int i = 0; i < layer.Parameters.Count; i++) layer.Gradients[i] = NativeTensor.THSTensor_grad(layer.Parameters[i].Tensor.Handle);
            Collect(layer.Output);
            Collect(layer.ActivationOutput);
        }

        static void Collect(OutputTap? tap)
        {
            if (tap is null) return;
            foreach (var o in tap.Outputs) tap.Gradients.Add(tap.RetainsGradient ? NativeTensor.THSTensor_grad(o) : IntPtr.Zero);
        }
    }

    private void ReleaseGradients()
    {
        foreach (var layer in _layers)
        {
            for (int i = 0; i < layer.Gradients.Length; i++) layer.Gradients[i] = Free(layer.Gradients[i]);
            Clear(layer.Output);
            Clear(layer.ActivationOutput);
        }

        static void Clear(OutputTap? tap)
        {
            if (tap is null) return;
            foreach (var g in tap.Gradients) Free(g);
            tap.Gradients.Clear();
        }

        static IntPtr Free(IntPtr handle)
        {
            if (handle != IntPtr.Zero) NativeTensor.THSTensor_dispose(handle);
            return IntPtr.Zero;
        }
    }

    /// <summary>Fails the run when the step had no backward pass: no parameter, or no kept output, has a gradient.</summary>
    private void RequireBackward(long step)
    {
        bool anyGradient = false, anyOutput = false, outputGradient = false;
        foreach (var layer in _layers)
        {
            foreach (var g in layer.Gradients) anyGradient |= g != IntPtr.Zero;
            Look(layer.Output);
            Look(layer.ActivationOutput);
        }
        if (!anyGradient || (anyOutput && !outputGradient))
            Fail($"Step {step}: scope.Step(loss) was called without a backward pass since the forward pass (no {(anyGradient ? "module output" : "parameter")} has a gradient). " +
                 "Call loss.backward() first, then scope.Step(loss), then optimizer.step().");

        void Look(OutputTap? tap)
        {
            if (tap is not { RetainsGradient: true }) return;
            foreach (var g in tap.Gradients)
            {
                anyOutput = true;
                outputGradient |= g != IntPtr.Zero;
            }
        }
    }

    /// <summary>
    /// Writes ‖δ^l‖ (one output) or the gradient through time (one per call of the module), and leaves ‖δ^l‖ and
    /// ‖∂L/∂a^l‖ in <paramref name="delta"/> and <paramref name="back"/> for the gains; false when one is not finite.
    /// Where the activation's σ' follows from its output, δ^l = ∂L/∂a^l ⊙ σ'(z^l) comes from the same pass that reads
    /// ∂L/∂a^l, so z^l's gradient is not kept (no retain_grad, no copy of it). That holds only if the activation
    /// module is applied to this layer's output, which the module tree assumes but cannot prove: the first step reads
    /// δ^l both ways, and only a layer where they agree is read the short way from then on.
    /// </summary>
    private bool MeasureDeltas<T>(long step, ModuleLayer layer, double[] delta, double[] back) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int l = layer.Index;
        _backs.Clear();
        _derived.Clear();
        var kind = layer.DeltaFromActivation != false && layer.ActivationKind is { HasSigmaPrime: true } k ? k : null;
        if (layer.ActivationOutput is { } activation)
            for (int i = 0; i < activation.Outputs.Count; i++)
            {
                // ∂L/∂a^l formed from the next layer (MonitorScope.Backward.cs), else autograd's kept gradient.
                IntPtr g = activation.Gradients[i];
                ReadOnlySpan<T> values;
                long rows;
                if (i == 0 && layer.BackLength > 0)
                {
                    values = ((T[])layer.BackBuffer!).AsSpan(0, layer.BackLength);
                    rows = layer.BackRows;
                }
                else if (g != IntPtr.Zero)
                {
                    values = Read<T>(g);
                    rows = NativeTensor.Rows(g);
                }
                else continue;
                var a = activation.Outputs[i];
                if (kind is null)
                {
                    _backs.Add(PerExample(Reductions.SumOfSquares(values), rows));
                    continue;
                }
                var (gradient, squares) = kind.GradientSquares(values, Read<T>(a));
                _backs.Add(PerExample(gradient, rows));
                _derived.Add(PerExample(squares, rows));
            }
        var deltas = _derived;
        if (layer.DeltaFromActivation != true)
        {
            _deltas.Clear();
            if (layer.Output is { } output)
                for (int i = 0; i < output.Outputs.Count; i++)
                {
                    IntPtr g = output.Gradients[i];
                    if (g != IntPtr.Zero) _deltas.Add(PerExample(Reductions.SumOfSquares(Read<T>(g)), g));
                }
            if (layer.DeltaFromActivation is null && _derived.Count > 0) layer.DeltaFromActivation = Agree(_deltas, _derived);
            deltas = _deltas;
        }

        if (_backs.Count == 1) back[l] = _backs[0];
        if (deltas.Count == 1)
        {
            delta[l] = deltas[0];
            Emit(step, l, Quantity.DeltaNorm, delta[l]);
        }
        else for (int t = 0; t < deltas.Count; t++) Emit(step, l, TorchQuantity.TimeGradNorm, deltas[t], index: t);
        foreach (double d in deltas)
            if (!double.IsFinite(d)) return false;
        return true;
    }

    /// <summary>
    /// ‖∂C_x/∂out‖ as a root-mean-square over the batch, from Σ of the squares of autograd's gradient g. With a mean
    /// loss autograd's row x is ∂C_x/∂out / m, so the root-mean-square of the per-example norms is ‖g‖_F·√m; with a
    /// summed loss it is ‖g‖_F/√m.
    /// </summary>
    private double PerExample(double squares, IntPtr g) => PerExample(squares, NativeTensor.Rows(g));

    private double PerExample(double squares, long rows)
    {
        double m = rows, frobenius = Math.Sqrt(squares);
        return _sumLoss ? frobenius / Math.Sqrt(m) : frobenius * Math.Sqrt(m);
    }

    /// <summary>
    /// Whether δ read from z's gradient and δ formed from a's agree, output by output, to float rounding (1e-3 leaves
    /// room for float32 sums; an activation applied elsewhere is off by far more); null while either is not finite.
    /// </summary>
    private static bool? Agree(List<double> direct, List<double> derived)
    {
        if (direct.Count != derived.Count) return false;
        for (int i = 0; i < direct.Count; i++)
        {
            double x = direct[i], y = derived[i];
            if (!double.IsFinite(x) || !double.IsFinite(y)) return null;
            if (Math.Abs(x - y) > 1e-3 * Math.Max(Math.Abs(x), Math.Abs(y))) return false;
        }
        return true;
    }
}
