using System.Numerics;
using System.Numerics.Tensors;

namespace Gradscope.Model.Layers;

/// <summary>
/// The LSTM cell as PyTorch's <c>nn.LSTM</c> (Hochreiter &amp; Schmidhuber 1997 with Gers et al.'s forget gate):
/// gates [i|f|g|o] = [σ|σ|tanh|σ](W_ih x_t + b_ih + W_hh h_{t−1} + b_hh), c_t = f ⊙ c_{t−1} + i ⊙ g,
/// h_t = o ⊙ tanh(c_t). Backward: ∂C/∂c_t = ∂C/∂h_t ⊙ o ⊙ tanh'(c_t) + f_{t+1} ⊙ ∂C/∂c_{t+1} — the constant error
/// carousel: along c the gradient is multiplied by the forget gate only, not by a weight matrix.
/// </summary>
internal static class LstmCell
{
    /// <summary>The gates' block t holds their pre-activations (recurrent term added); turns them into activations, writes c_t, h_t.</summary>
    public static void Forward<T>(RecurrentBuffers<T> b, int t, int m, int h) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> gates = RecurrentBuffers<T>.Step(b.Gates, t, m, 4 * h);
        for (int r = 0; r < m; r++)
        {
            Span<T> row = gates.Slice(r * 4 * h, 4 * h);
            TensorPrimitives.Sigmoid<T>(row[..(2 * h)], row[..(2 * h)]); // i and f are adjacent
            TensorPrimitives.Tanh<T>(row.Slice(2 * h, h), row.Slice(2 * h, h));
            TensorPrimitives.Sigmoid<T>(row.Slice(3 * h, h), row.Slice(3 * h, h));
            ReadOnlySpan<T> i = row[..h], f = row.Slice(h, h), g = row.Slice(2 * h, h), o = row.Slice(3 * h, h);
            int k = r * h;
            ReadOnlySpan<T> previous = b.Cell.AsSpan(((t - 1) * m * h) + k, h);
            Span<T> c = b.Cell.AsSpan((t * m * h) + k, h);
            Span<T> tanhC = b.TanhCell.AsSpan(((t - 1) * m * h) + k, h);
            Span<T> hidden = b.Hidden.AsSpan((t * m * h) + k, h);
            Span<T> sigmaPrime = b.Derivative.AsSpan(((t - 1) * m * h) + k, h);
            TensorPrimitives.Multiply(i, g, c);
            TensorPrimitives.FusedMultiplyAdd(f, previous, c, c);
            TensorPrimitives.Tanh<T>(c, tanhC);
            TensorPrimitives.Multiply(o, tanhC, hidden);
            // ∂h_t/∂c_t = o ⊙ (1 − tanh²c_t), the view's σ' and the first term of ∂C/∂c_t.
            TensorPrimitives.Multiply(tanhC, tanhC, sigmaPrime);
            TensorPrimitives.Subtract(T.One, sigmaPrime, sigmaPrime);
            TensorPrimitives.Multiply(o, sigmaPrime, sigmaPrime);
        }
    }

    /// <summary>Step t's gate gradients from ∂C/∂h_t and the cell carry; leaves f_t ⊙ ∂C/∂c_t for step t − 1 unless <paramref name="cut"/>.</summary>
    /// <remarks>
    /// Vectors over the units of a row, then the scalar loop for the rest: each lane does the scalar loop's operations
    /// in its order (multiply, then add, never fused), so the bits do not depend on the vector width.
    /// </remarks>
    public static void Backward<T>(RecurrentBuffers<T> b, int t, int m, int h, bool cut, bool vectors = true) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int block = (t - 1) * m * h, gateBlock = (t - 1) * m * 4 * h;
        T[] gates = b.Gates, dg = b.GateDelta, dh = b.HiddenGradient, sp = b.Derivative, tanhC = b.TanhCell, cell = b.Cell,
            dc = b.StepDelta, carry = b.CellCarry;
        T one = T.One;
        // vectors: false runs the scalar loop alone, the twin the vector path is tested against bit for bit.
        int width = vectors && Vector.IsHardwareAccelerated && Vector<T>.IsSupported ? Vector<T>.Count : int.MaxValue;
        var ones = width == int.MaxValue ? default : Vector<T>.One;
        for (int r = 0; r < m; r++)
        {
            int gr = gateBlock + r * 4 * h;
            int j = 0;
            for (; j + width <= h; j += width)
            {
                int k = r * h + j;
                var i = new Vector<T>(gates, gr + j);
                var f = new Vector<T>(gates, gr + h + j);
                var g = new Vector<T>(gates, gr + 2 * h + j);
                var o = new Vector<T>(gates, gr + 3 * h + j);
                var dhk = new Vector<T>(dh, block + k);
                var dck = dhk * new Vector<T>(sp, block + k) + new Vector<T>(carry, k);
                dck.CopyTo(dc, block + k);
                (dck * g * i * (ones - i)).CopyTo(dg, gr + j);
                (dck * new Vector<T>(cell, block + k) * f * (ones - f)).CopyTo(dg, gr + h + j);
                (dck * i * (ones - g * g)).CopyTo(dg, gr + 2 * h + j);
                (dhk * new Vector<T>(tanhC, block + k) * o * (ones - o)).CopyTo(dg, gr + 3 * h + j);
                (cut ? Vector<T>.Zero : dck * f).CopyTo(carry, k);
            }
            for (; j < h; j++)
            {
                int k = r * h + j;
                T i = gates[gr + j], f = gates[gr + h + j], g = gates[gr + 2 * h + j], o = gates[gr + 3 * h + j];
                T dhk = dh[block + k];
                T dck = dhk * sp[block + k] + carry[k];
                dc[block + k] = dck;
                dg[gr + j] = dck * g * i * (one - i);
                dg[gr + h + j] = dck * cell[block + k] * f * (one - f);
                dg[gr + 2 * h + j] = dck * i * (one - g * g);
                dg[gr + 3 * h + j] = dhk * tanhC[block + k] * o * (one - o);
                carry[k] = cut ? T.Zero : dck * f;
            }
        }
    }
}
