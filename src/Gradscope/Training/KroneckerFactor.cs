using System.Numerics;
using System.Runtime.CompilerServices;
using System.Numerics.Tensors;
using Gradscope.Numerics;

namespace Gradscope.Training;

/// <summary>
/// One K-FAC factor: the exponential moving average S_t = ρ S_{t−1} + (1 − ρ) (1/m_t) Σ_x v_x v_xᵀ of a
/// layer's per-example vectors (ã = [a^{l−1}; 1] or δ^l), bias-corrected by 1 − ρ^t like Adam's moments, and
/// its damped inverse. Rows are kept until the next inversion and folded in then with one matrix product of
/// all pending rows (each scaled by √weight), so a step only copies its rows: the n² work of the average is
/// paid once per inversion, not once per step, and the result is the same average.
/// <para>
/// The inverse is either exact (Cholesky, n² per applied row) or, with a rank k, low-rank plus damping: the top k
/// eigenpairs S ≈ U Λ Uᵀ by randomized subspace iteration (Halko, Martinsson &amp; Tropp 2011), and
/// (S + dI)⁻¹ x = x/d + U[(Λ + d)⁻¹ − 1/d]Uᵀx (2nk per row). The dropped eigenvalues are treated as 0, so
/// directions outside U get the largest step 1/d: the approximation errs towards the plain (damped) gradient.
/// </para>
/// </summary>
internal sealed class KroneckerFactor<T> : IO.ICheckpointable where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Extra sketch columns beyond k: the top k of k + p are far more accurate than the top k of k.</summary>
    private const int Oversampling = 8;

    /// <summary>
    /// Power steps of the first refresh, from a random basis. Later refreshes continue the same subspace iteration
    /// (one step each, see <see cref="InvertLowRank"/>), so the basis is already converged towards the dominant
    /// subspace of a slowly moving average.
    /// </summary>
    private const int ColdPowerSteps = 3;

    /// <summary>Block rows of the triangular fold: large enough for Gemm's packing to pay, small enough to skip most of the upper half.</summary>
    private const int FoldBlock = 128;

    /// <summary>Rows per block of the Gram–Schmidt: projections against earlier blocks run as Gemm products.</summary>
    private const int OrthBlock = 8;

    private readonly double _rho;
    private readonly T[] _sum;
    private readonly int[] _stepRows;
    private readonly int _rank, _sketch;
    private readonly double[] _damped = [], _inverse64 = [], _work = [];
    private readonly T[] _inverse = [], _basis = [], _product = [], _u = [], _shift = [], _rotation = [], _projected = [], _gram = [];
    private readonly double[] _b = [], _w = [];
    private readonly Rng _rng = new(0x6B666163);
    private T[] _pending = [], _coefficients = [];
    private T _invDamping;
    private int _pendingSteps, _pendingRows;
    private long _folded;

    /// <param name="rank">0 for the exact Cholesky inverse, otherwise k ∈ [1, size] for the low-rank form.</param>
    public KroneckerFactor(int size, double rho, int maxPendingSteps, int rank = 0)
    {
        if (rank < 0 || rank > size) throw new ArgumentException($"Invalid K-FAC rank: {rank} (must be in [0, {size}]).");
        Size = size;
        _rho = rho;
        _rank = rank;
        _sum = new T[size * size];
        _stepRows = new int[maxPendingSteps];
        if (rank == 0)
        {
            _damped = new double[size * size];
            _inverse64 = new double[size * size];
            _work = new double[Cholesky.WorkSize(size)];
            _inverse = new T[size * size];
        }
        else
        {
            _sketch = Math.Min(size, rank + Oversampling);
            _basis = new T[_sketch * size];
            _product = new T[_sketch * size];
            _u = new T[rank * size];
            _shift = new T[rank];
            _rotation = new T[_sketch * _sketch];
            _projected = new T[_sketch * _sketch];
            _gram = new T[_sketch * _sketch];
            _b = new double[_sketch * _sketch];
            _w = new double[_sketch * _sketch];
        }
    }

    public int Size { get; }

    /// <summary>k of the low-rank form, or 0 when the inverse is exact.</summary>
    public int Rank => _rank;

    public bool HasInverse { get; private set; }

    /// <summary>
    /// The running average, the rows waiting to be folded, the current inverse (exact, or its low-rank factors and
    /// the power iteration's basis) and the sketch stream: everything the next refresh and step read.
    /// </summary>
    public void WriteState(BinaryWriter writer)
    {
        writer.Write(_folded);
        writer.Write(_pendingSteps);
        writer.Write(_pendingRows);
        writer.Write(HasInverse);
        IO.StateIO.Write<T>(writer, _sum);
        IO.StateIO.Write<int>(writer, _stepRows.AsSpan(0, _pendingSteps));
        IO.StateIO.Write<T>(writer, _pending.AsSpan(0, _pendingRows * Size));
        IO.StateIO.Write<T>(writer, _inverse);
        IO.StateIO.Write<T>(writer, _basis);
        IO.StateIO.Write<T>(writer, _u);
        IO.StateIO.Write<T>(writer, _shift);
        IO.StateIO.Write<T>(writer, [_invDamping]);
        _rng.WriteState(writer);
    }

    public void ReadState(BinaryReader reader)
    {
        _folded = reader.ReadInt64();
        _pendingSteps = reader.ReadInt32();
        _pendingRows = reader.ReadInt32();
        HasInverse = reader.ReadBoolean();
        if (_pendingSteps < 0 || _pendingSteps > _stepRows.Length || _pendingRows < 0)
            throw new InvalidDataException("checkpoint does not match this run: K-FAC pending rows.");
        IO.StateIO.ReadInto<T>(reader, _sum, "K-FAC factor");
        IO.StateIO.ReadInto<int>(reader, _stepRows.AsSpan(0, _pendingSteps), "K-FAC pending steps");
        if (_pending.Length < _pendingRows * Size) _pending = new T[Math.Max(_pendingRows * Size, _pending.Length)];
        IO.StateIO.ReadInto<T>(reader, _pending.AsSpan(0, _pendingRows * Size), "K-FAC pending rows");
        IO.StateIO.ReadInto<T>(reader, _inverse, "K-FAC inverse");
        IO.StateIO.ReadInto<T>(reader, _basis, "K-FAC basis");
        IO.StateIO.ReadInto<T>(reader, _u, "K-FAC eigenvectors");
        IO.StateIO.ReadInto<T>(reader, _shift, "K-FAC eigenvalue shifts");
        Span<T> d = stackalloc T[1];
        IO.StateIO.ReadInto<T>(reader, d, "K-FAC damping");
        _invDamping = d[0];
        _rng.ReadState(reader);
    }

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

    // AggressiveOptimization on the refresh path: it runs once per T steps, too rarely for tiered compilation
    // to promote it from unoptimised tier-0 code, yet each call does O(n²) scalar work (scaling, mirroring).
    /// <summary>S ← ρ^k S + Σ_i (1 − ρ) ρ^{k−1−i} (1/m_i) Σ v vᵀ over the k pending steps, oldest first.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Fold()
    {
        if (_pendingSteps == 0) return;
        int k = _pendingSteps, row = 0;
        for (int i = 0; i < k; i++)
        {
            int m = _stepRows[i];
            T scale = T.CreateTruncating(Math.Sqrt((1 - _rho) * Math.Pow(_rho, k - 1 - i) / m));
            var rows = _pending.AsSpan(row * Size, m * Size);
            TensorPrimitives.Multiply(rows, scale, rows);
            row += m;
        }
        // S is symmetric, so only the block rows S[r0:r1, 0:r1] of the lower triangle are multiplied (about half of
        // XᵀX's n²·rows): for the 785-wide input factor this fold is K-FAC's largest recurring cost.
        int n = Size;
        T beta = T.CreateTruncating(Math.Pow(_rho, k));
        for (int r0 = 0; r0 < n; r0 += FoldBlock)
        {
            int r1 = Math.Min(n, r0 + FoldBlock);
            Gemm.Multiply(true, false, r1 - r0, r1, _pendingRows, T.One, _pending.AsSpan(r0), n, _pending, n,
                beta, _sum.AsSpan(r0 * n), n);
        }
        // The exact inverse reads the whole matrix, so mirror; the low-rank refresh reads only these blocks.
        if (_rank == 0)
            for (int i = 0; i < n; i++)
                for (int j = i + 1; j < n; j++) _sum[i * n + j] = _sum[j * n + i];
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

    /// <summary>
    /// Prepares (S/(1 − ρ^t) + d I)⁻¹, exactly or in low-rank form; keeps the previous inverse (and returns false)
    /// if the result is not positive definite or not finite.
    /// </summary>
    public bool Invert(double damping) => _rank == 0 ? InvertExact(damping) : InvertLowRank(damping);

    /// <summary>destination = rows · (S + dI)⁻¹ for <paramref name="count"/> rows of <see cref="Size"/> values (the inverse is symmetric, so each row is x ↦ (S + dI)⁻¹ x).</summary>
    public void ApplyInverse(ReadOnlySpan<T> rows, int count, Span<T> destination)
    {
        int n = Size;
        if (_rank == 0)
        {
            Gemm.Multiply(false, false, count, n, n, T.One, rows, n, _inverse, n, T.Zero, destination, n);
            return;
        }
        int k = _rank;
        if (_coefficients.Length < count * k) _coefficients = new T[count * k];
        var c = _coefficients.AsSpan(0, count * k);
        Gemm.Multiply(false, true, count, k, n, T.One, rows, n, _u, n, T.Zero, c, k);
        for (int r = 0; r < count; r++) TensorPrimitives.Multiply(c.Slice(r * k, k), _shift, c.Slice(r * k, k));
        TensorPrimitives.Multiply(rows[..(count * n)], _invDamping, destination[..(count * n)]);
        Gemm.Multiply(false, false, count, n, k, T.One, c, k, _u, n, T.One, destination, n);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool InvertExact(double damping)
    {
        double c = 1 / Correction;
        for (int i = 0; i < _damped.Length; i++) _damped[i] = c * double.CreateTruncating(_sum[i]);
        for (int i = 0; i < Size; i++) _damped[i * Size + i] += damping;
        if (!Cholesky.Invert(_damped, Size, _inverse64, _work)) return false;
        for (int i = 0; i < _inverse.Length; i++) _inverse[i] = T.CreateTruncating(_inverse64[i]);
        HasInverse = true;
        return true;
    }

    /// <summary>
    /// Randomized subspace iteration (Halko, Martinsson &amp; Tropp 2011, alg. 4.4 and 5.3): Rayleigh–Ritz on the
    /// orthonormal basis Q, B = Qᵀ S Q = W Λ Wᵀ and U = Q W (top k of l = k + p), then the power step
    /// Q ← orth(S Q) for the next refresh. S Q is needed for B anyway, so the iteration advances one step per refresh
    /// for a single pass over S (l·n² multiply-adds); the first refresh starts from a random Q and takes
    /// <see cref="ColdPowerSteps"/> steps. Q is kept as l rows of length n (Qᵀ), so S Q is the Gemm Qᵀ S (S symmetric)
    /// and the orthonormalisation works on contiguous rows.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool InvertLowRank(double damping)
    {
        int n = Size, l = _sketch, k = _rank;
        if (!HasInverse)
        {
            for (int i = 0; i < l * n; i++) _basis[i] = T.CreateTruncating(_rng.NextNormal());
            Orthonormalise(_basis, l, n);
            for (int step = 0; step < ColdPowerSteps; step++)
            {
                MultiplyBySum(_basis, l, _product);
                _product.CopyTo(_basis, 0);
                Orthonormalise(_basis, l, n);
            }
        }
        MultiplyBySum(_basis, l, _product);
        Gemm.Multiply(false, true, l, l, n, T.One, _product, n, _basis, n, T.Zero, _projected, l);
        double c = 1 / Correction;
        for (int i = 0; i < l; i++)
            for (int j = 0; j <= i; j++)
            {
                // Symmetrise: Qᵀ(SQ) is symmetric only up to rounding, and Jacobi assumes symmetry.
                double bij = 0.5 * c * (double.CreateTruncating(_projected[i * l + j]) + double.CreateTruncating(_projected[j * l + i]));
                _b[i * l + j] = _b[j * l + i] = bij;
            }
        var lambda = SymmetricEigen.Decompose(_b, l, _w);
        // Check before writing anything, so a failed refresh leaves the previous inverse usable.
        for (int i = 0; i < k; i++)
            if (!double.IsFinite(lambda[i])) return false;
        for (int i = 0; i < k; i++) _shift[i] = T.CreateTruncating(1 / (Math.Max(lambda[i], 0) + damping) - 1 / damping);
        for (int i = 0; i < l * l; i++) _rotation[i] = T.CreateTruncating(_w[i]);
        Gemm.Multiply(false, false, k, n, l, T.One, _rotation, l, _basis, n, T.Zero, _u, n);
        _invDamping = T.CreateTruncating(1 / damping);
        HasInverse = true;
        // The next basis is orth(S Q W) = orth(Wᵀ-rotated S Q), rows in descending Ritz order: those rows are already
        // nearly orthogonal (≈ λ_i u_i), so the next B comes out nearly diagonal and Jacobi needs few sweeps.
        Gemm.Multiply(false, false, l, n, l, T.One, _rotation, l, _product, n, T.Zero, _basis, n);
        Orthonormalise(_basis, l, n);
        return true;
    }

    /// <summary>
    /// product = Qᵀ S for <paramref name="rows"/> rows of Qᵀ, reading only the lower block rows the fold keeps:
    /// block row [r0, r1) adds Q[:, r0:r1] S[r0:r1, 0:r1] and, for the part below the diagonal block, its mirror
    /// Q[:, 0:r0] S[r0:r1, 0:r0]ᵀ, which saves mirroring n²/2 entries (strided copies) at every fold.
    /// </summary>
    private void MultiplyBySum(T[] q, int rows, T[] product)
    {
        int n = Size;
        Array.Clear(product, 0, rows * n);
        for (int r0 = 0; r0 < n; r0 += FoldBlock)
        {
            int r1 = Math.Min(n, r0 + FoldBlock);
            var blockRow = _sum.AsSpan(r0 * n);
            Gemm.Multiply(false, false, rows, r1, r1 - r0, T.One, q.AsSpan(r0), n, blockRow, n, T.One, product, n);
            if (r0 > 0)
                Gemm.Multiply(false, true, rows, r1 - r0, r0, T.One, q, n, blockRow, n, T.One, product.AsSpan(r0), n);
        }
    }

    /// <summary>
    /// Block Gram–Schmidt on the rows: each block of <see cref="OrthBlock"/> rows is projected off the rows before
    /// it with two Gemm products, twice ("twice is enough", Giraud et al. 2005, so the basis stays orthogonal to
    /// working precision even in float32), then orthonormalised within by modified Gram–Schmidt. A row that
    /// vanishes (S of low rank) is replaced by a random one, so Q always has l orthonormal rows.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Orthonormalise(T[] q, int rows, int n)
    {
        Span<double> before = stackalloc double[OrthBlock];
        for (int i0 = 0; i0 < rows; i0 += OrthBlock)
        {
            int b = Math.Min(OrthBlock, rows - i0);
            var block = q.AsSpan(i0 * n, b * n);
            for (int r = 0; r < b; r++) before[r] = double.CreateTruncating(TensorPrimitives.Norm<T>(block.Slice(r * n, n)));
            if (i0 > 0)
            {
                var done = q.AsSpan(0, i0 * n);
                var projection = _gram.AsSpan(0, b * i0);
                for (int twice = 0; twice < 2; twice++)
                {
                    Gemm.Multiply(false, true, b, i0, n, T.One, block, n, done, n, T.Zero, projection, i0);
                    Gemm.Multiply(false, false, b, n, i0, -T.One, projection, i0, done, n, T.One, block, n);
                }
            }
            for (int i = i0; i < i0 + b; i++)
            {
                var qi = q.AsSpan(i * n, n);
                if (!Project(q, i, i0, qi, before[i - i0]))
                    for (int attempt = 0; attempt < 2; attempt++)
                    {
                        for (int t = 0; t < n; t++) qi[t] = T.CreateTruncating(_rng.NextNormal());
                        if (Project(q, i, 0, qi, double.CreateTruncating(TensorPrimitives.Norm<T>(qi)))) break;
                    }
            }
        }
    }

    /// <summary>Projects row i off rows [from, i) twice and normalises it; false if it lost nearly all its length (dependent).</summary>
    private static bool Project(T[] q, int i, int from, Span<T> qi, double before)
    {
        int n = qi.Length;
        for (int twice = 0; twice < 2; twice++)
            for (int j = from; j < i; j++)
            {
                var qj = q.AsSpan(j * n, n);
                TensorPrimitives.MultiplyAdd(qj, -TensorPrimitives.Dot<T>(qi, qj), qi, qi);
            }
        double norm = double.CreateTruncating(TensorPrimitives.Norm<T>(qi));
        if (!(norm > 1e-4 * before && norm > 0 && double.IsFinite(norm))) return false;
        TensorPrimitives.Multiply(qi, T.CreateTruncating(1 / norm), qi);
        return true;
    }

    private double Correction => _folded == 0 ? 1 : 1 - Math.Pow(_rho, _folded);
}
