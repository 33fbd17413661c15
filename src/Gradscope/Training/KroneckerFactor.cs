using System.Numerics;
using Gradscope.Numerics;

namespace Gradscope.Training;

/// <summary>
/// One K-FAC factor: the exponential moving average S_t = ρ S_{t−1} + (1 − ρ) (1/m_t) Σ_x v_x v_xᵀ of a
/// layer's per-example vectors (ã = [a^{l−1}; 1] or δ^l), bias-corrected by 1 − ρ^t like Adam's moments, and
/// its damped inverse. Rows are kept until the next inversion and folded in then with one matrix product of
/// all pending rows (each scaled by √weight), so a step only copies its rows: the n² work of the average is
/// paid once per inversion, not once per step, and the result is the same average.
/// </summary>
internal sealed class KroneckerFactor<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly double _rho;
    private readonly T[] _sum;
    private readonly int[] _stepRows;
    private readonly double[] _damped, _inverse64, _work;
    private T[] _pending = [];
    private int _pendingSteps, _pendingRows;
    private long _folded;

    public KroneckerFactor(int size, double rho, int maxPendingSteps)
    {
        Size = size;
        _rho = rho;
        _sum = new T[size * size];
        _stepRows = new int[maxPendingSteps];
        _damped = new double[size * size];
        _inverse64 = new double[size * size];
        _work = new double[Cholesky.WorkSize(size)];
        Inverse = new T[size * size];
    }

    public int Size { get; }

    /// <summary>(S/(1 − ρ^t) + d I)⁻¹ from the last <see cref="Invert"/>.</summary>
    public T[] Inverse { get; }

    public bool HasInverse { get; private set; }

    /// <summary>Queues one step's vectors: <paramref name="rows"/> rows of <paramref name="width"/> values, plus a trailing 1 when <paramref name="appendOne"/>.</summary>
    public void Record(ReadOnlySpan<T> values, int rows, int width, bool appendOne)
    {
        if (_pendingSteps == _stepRows.Length) Fold();
        int needed = (_pendingRows + rows) * Size;
        if (_pending.Length < needed) Array.Resize(ref _pending, Math.Max(needed, _stepRows.Length * rows * Size));
        for (int r = 0; r < rows; r++)
        {
            var target = _pending.AsSpan((_pendingRows + r) * Size, Size);
            values.Slice(r * width, width).CopyTo(target);
            if (appendOne) target[width] = T.One;
        }
        _stepRows[_pendingSteps++] = rows;
        _pendingRows += rows;
    }

    /// <summary>S ← ρ^k S + Σ_i (1 − ρ) ρ^{k−1−i} (1/m_i) Σ v vᵀ over the k pending steps, oldest first.</summary>
    public void Fold()
    {
        if (_pendingSteps == 0) return;
        int k = _pendingSteps, row = 0;
        for (int i = 0; i < k; i++)
        {
            int m = _stepRows[i];
            T scale = T.CreateTruncating(Math.Sqrt((1 - _rho) * Math.Pow(_rho, k - 1 - i) / m));
            var rows = _pending.AsSpan(row * Size, m * Size);
            System.Numerics.Tensors.TensorPrimitives.Multiply(rows, scale, rows);
            row += m;
        }
        Gemm.Multiply(true, false, Size, Size, _pendingRows, T.One, _pending, Size, _pending, Size,
            T.CreateTruncating(Math.Pow(_rho, k)), _sum, Size);
        _folded += k;
        _pendingSteps = 0;
        _pendingRows = 0;
    }

    /// <summary>tr(S)/n of the bias-corrected average, for the damping split π.</summary>
    public double MeanEigenvalue()
    {
        double trace = 0;
        for (int i = 0; i < Size; i++) trace += double.CreateTruncating(_sum[i * Size + i]);
        return trace / Size / Correction;
    }

    /// <summary>Inverts S/(1 − ρ^t) + d I; keeps the previous inverse (and returns false) if that is not positive definite.</summary>
    public bool Invert(double damping)
    {
        double c = 1 / Correction;
        for (int i = 0; i < _damped.Length; i++) _damped[i] = c * double.CreateTruncating(_sum[i]);
        for (int i = 0; i < Size; i++) _damped[i * Size + i] += damping;
        if (!Cholesky.Invert(_damped, Size, _inverse64, _work)) return false;
        for (int i = 0; i < Inverse.Length; i++) Inverse[i] = T.CreateTruncating(_inverse64[i]);
        HasInverse = true;
        return true;
    }

    private double Correction => _folded == 0 ? 1 : 1 - Math.Pow(_rho, _folded);
}
