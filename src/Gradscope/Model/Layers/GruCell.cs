using System.Numerics;
using System.Numerics.Tensors;

namespace Gradscope.Model.Layers;

/// <summary>
/// The GRU cell as PyTorch's <c>nn.GRU</c> (Cho et al. 2014): r = σ(W_ir x + b_ir + W_hr h + b_hr),
/// z = σ(W_iz x + b_iz + W_hz h + b_hz), n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)), h′ = (1 − z) ⊙ n + z ⊙ h.
/// Backward: ∂C/∂h_{t−1} = W_hhᵀ ∂C/∂(W_hh h_{t−1} + b_hh) + z ⊙ ∂C/∂h_t, the second term the gate's direct path.
/// </summary>
internal static class GruCell
{
    /// <summary>The gates' block t holds W_ih x_t + b_ih and the scratch W_hh h_{t−1}; writes r, z, n over the former and h_t.</summary>
    public static void Forward<T>(RecurrentBuffers<T> b, ReadOnlySpan<T> recurrentBias, int t, int m, int h)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int gh = 3 * h, block = (t - 1) * m * h;
        Span<T> gates = RecurrentBuffers<T>.Step(b.Gates, t, m, gh);
        T one = T.One;
        for (int r = 0; r < m; r++)
        {
            Span<T> gi = gates.Slice(r * gh, gh);
            Span<T> ghh = b.Scratch.AsSpan(r * gh, gh);
            TensorPrimitives.Add(ghh, recurrentBias, ghh);
            TensorPrimitives.Add(gi[..(2 * h)], ghh[..(2 * h)], gi[..(2 * h)]);
            TensorPrimitives.Sigmoid<T>(gi[..(2 * h)], gi[..(2 * h)]);
            Span<T> reset = gi[..h], n = gi.Slice(2 * h, h), hn = ghh.Slice(2 * h, h);
            hn.CopyTo(b.RecurrentN.AsSpan(block + r * h, h));
            Span<T> pre = b.PreActivation.AsSpan(block + r * h, h);
            TensorPrimitives.FusedMultiplyAdd(reset, hn, n, pre);
            TensorPrimitives.Tanh<T>(pre, n);
            ReadOnlySpan<T> update = gi.Slice(h, h), previous = b.Hidden.AsSpan((t - 1) * m * h + r * h, h);
            Span<T> hidden = b.Hidden.AsSpan(t * m * h + r * h, h), sp = b.Derivative.AsSpan(block + r * h, h);
            for (int j = 0; j < h; j++)
            {
                T z = update[j], nj = n[j];
                hidden[j] = (one - z) * nj + z * previous[j];
                sp[j] = (one - z) * (one - nj * nj);
            }
        }
    }

    /// <summary>Step t's gradients of both gate pre-activations from ∂C/∂h_t; leaves z ⊙ ∂C/∂h_t in the carry unless <paramref name="cut"/>.</summary>
    public static void Backward<T>(RecurrentBuffers<T> b, int t, int m, int h, bool cut, bool vectors = true) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int gh = 3 * h, block = (t - 1) * m * h, gateBlock = (t - 1) * m * gh, previousBlock = (t - 1) * m * h;
        T[] gates = b.Gates, dgi = b.InputGateDelta, dgh = b.GateDelta, dh = b.HiddenGradient, hidden = b.Hidden,
            hn = b.RecurrentN, delta = b.StepDelta, carry = b.Carry;
        T one = T.One;
        // Vectors over a row's units, then the scalar loop: each lane does the scalar operations in their order (as LstmCell).
        // vectors: false runs the scalar loop alone, the twin the vector path is tested against bit for bit.
        int width = vectors && Vector.IsHardwareAccelerated && Vector<T>.IsSupported ? Vector<T>.Count : int.MaxValue;
        var ones = width == int.MaxValue ? default : Vector<T>.One;
        for (int r = 0; r < m; r++)
        {
            int gr = gateBlock + r * gh;
            int j = 0;
            for (; j + width <= h; j += width)
            {
                int k = r * h + j;
                var reset = new Vector<T>(gates, gr + j);
                var z = new Vector<T>(gates, gr + h + j);
                var n = new Vector<T>(gates, gr + 2 * h + j);
                var dhk = new Vector<T>(dh, block + k);
                var dn = dhk * (ones - z) * (ones - n * n);
                dn.CopyTo(delta, block + k);
                var dz = dhk * (new Vector<T>(hidden, previousBlock + k) - n) * z * (ones - z);
                var dr = dn * new Vector<T>(hn, block + k) * reset * (ones - reset);
                dr.CopyTo(dgi, gr + j);
                dr.CopyTo(dgh, gr + j);
                dz.CopyTo(dgi, gr + h + j);
                dz.CopyTo(dgh, gr + h + j);
                dn.CopyTo(dgi, gr + 2 * h + j);
                (dn * reset).CopyTo(dgh, gr + 2 * h + j);
                (cut ? Vector<T>.Zero : dhk * z).CopyTo(carry, k);
            }
            for (; j < h; j++)
            {
                int k = r * h + j;
                T reset = gates[gr + j], z = gates[gr + h + j], n = gates[gr + 2 * h + j];
                T dhk = dh[block + k];
                T dn = dhk * (one - z) * (one - n * n);
                delta[block + k] = dn;
                T dz = dhk * (hidden[previousBlock + k] - n) * z * (one - z);
                T dr = dn * hn[block + k] * reset * (one - reset);
                dgi[gr + j] = dr;
                dgh[gr + j] = dr;
                dgi[gr + h + j] = dz;
                dgh[gr + h + j] = dz;
                dgi[gr + 2 * h + j] = dn;
                dgh[gr + 2 * h + j] = dn * reset;
                carry[k] = cut ? T.Zero : dhk * z;
            }
        }
    }
}
