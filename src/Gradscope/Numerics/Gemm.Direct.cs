using System.Numerics;
using System.Runtime.CompilerServices;

namespace Gradscope.Numerics;

public static partial class Gemm
{
    // Up to this many multiply-adds, packing costs about as much as multiplying, so the operands are read where
    // they lie. A [784,30,30,30,10] MLP at mini-batch 10 never leaves this path.
    private const long SmallWork = 1L << 19;

    // With this few rows of C, a packed B block would be used by at most two micro-panels: packing it costs more
    // than reading B in place. These are the mini-batch-sized products of training at small batch.
    private const int DirectRows = 16;

    // An NT product is transposed and broadcast rather than summed as dot products while k ≤ 16·m: transposing
    // costs per element of B, the dot products' horizontal sums per element of C (measured break-even: m = 10
    // between k = 128 and 256). The bound on B's size keeps the copy within the per-thread packing buffer.
    private const int TransposeDepthPerRow = 16;
    private const long TransposeElements = 1L << 18;

    private static bool UseDirectPath<T>(in GemmJob<T> job)
        where T : unmanaged
    {
        if (job.TransposeA && job.TransposeB) return false;
        return job.M <= DirectRows || (long)job.M * job.N * job.K <= SmallWork;
    }

    /// <summary>
    /// The unpacked kernels over column tiles. Each element's arithmetic does not depend on the tiling, so the
    /// result is the same whether the tiles run on one thread or several.
    /// </summary>
    private static unsafe void RunDirect<TV, TVec, T>(ref GemmJob<T> job, ComputePool? pool)
        where TV : struct, ISimd<TVec, T>
        where TVec : struct
        where T : unmanaged, INumber<T>
    {
        int threads = pool is null || (long)job.M * job.N * job.K < ParallelWork ? 1 : pool.Threads;
        // Column tiles are whole kernel blocks (4 columns for dot products, 2 registers for broadcasts).
        int unit = job.TransposeB ? 4 : 2 * TV.Count;
        job.TileColumns = threads == 1 ? job.N : Ceiling(Ceiling(job.N, unit), threads) * unit;
        job.TilesAcross = Ceiling(job.N, job.TileColumns);
        fixed (GemmJob<T>* state = &job)
        {
            if (job.TilesAcross == 1) RunDirectTile<TV, TVec, T>(state, 0);
            else pool!.For(job.TilesAcross, &RunDirectTile<TV, TVec, T>, state);
        }
    }

    private static unsafe void RunDirectTile<TV, TVec, T>(void* state, int tile)
        where TV : struct, ISimd<TVec, T>
        where TVec : struct
        where T : unmanaged, INumber<T>
    {
        ref readonly GemmJob<T> job = ref *(GemmJob<T>*)state;
        int j0 = tile * job.TileColumns, j1 = Math.Min(job.N, j0 + job.TileColumns);
        if (!job.TransposeB)
        {
            DirectBroadcast<TV, TVec, T>(in job, j0, j1);
        }
        else if (job.K > (long)TransposeDepthPerRow * job.M || (long)job.K * job.N > TransposeElements)
        {
            DirectDot<TV, TVec, T>(in job, j0, j1);
        }
        else
        {
            // Short dot products spend more on the final horizontal sums than on multiplying, so turn this
            // tile's rows of B into columns (vector transposes, cheap at this size) and broadcast instead.
            int width = j1 - j0;
            T* transposed = GemmBuffers<T>.B(job.K * width);
            TransposeInto(job.B + (long)j0 * job.Ldb, job.Ldb, width, width, job.K, transposed);
            GemmJob<T> tileJob = job;
            tileJob.B = transposed;
            tileJob.Ldb = width;
            tileJob.TransposeB = false;
            tileJob.C = job.C + j0;
            DirectBroadcast<TV, TVec, T>(in tileJob, 0, width);
        }
    }

    /// <summary>
    /// C = α·op(A)·B + β·C with B unpacked (NN, TN): 4 rows × 2 registers of C per block, B rows loaded in place
    /// and op(A) broadcast element by element. Rows past the edge repeat the last row and are not stored.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void DirectBroadcast<TV, TVec, T>(in GemmJob<T> job, int j0, int j1)
        where TV : struct, ISimd<TVec, T>
        where TVec : struct
        where T : unmanaged, INumber<T>
    {
        int lanes = TV.Count, m = job.M, k = job.K;
        long step = job.TransposeA ? job.Lda : 1, ldb = job.Ldb;
        bool overwrite = job.Beta == T.Zero;
        TVec alpha = TV.Broadcast(job.Alpha), beta = TV.Broadcast(job.Beta);
        // Columns outermost: the k×2-register strip of B stays in cache while every row block of A passes over it.
        for (int j = j0; j < j1; j += 2 * lanes)
        {
            bool full = j1 - j >= 2 * lanes;
            TVec mask0 = TV.FirstLanes(j1 - j), mask1 = TV.FirstLanes(j1 - j - lanes);
            for (int i = 0; i < m; i += 4)
            {
                int rows = Math.Min(4, m - i);
                T* a0 = job.AAt(i, 0), a1 = job.AAt(Math.Min(i + 1, m - 1), 0);
                T* a2 = job.AAt(Math.Min(i + 2, m - 1), 0), a3 = job.AAt(Math.Min(i + 3, m - 1), 0);
                TVec c00 = TV.Zero, c01 = TV.Zero, c10 = TV.Zero, c11 = TV.Zero;
                TVec c20 = TV.Zero, c21 = TV.Zero, c30 = TV.Zero, c31 = TV.Zero;
                T* b = job.B + j;
                for (int p = 0; p < k; p++, b += ldb)
                {
                    TVec b0 = full ? TV.Load(b) : TV.MaskedLoad(b, mask0);
                    TVec b1 = full ? TV.Load(b + lanes) : TV.MaskedLoad(b + lanes, mask1);
                    long ap = p * step;
                    TVec ai = TV.Broadcast(a0[ap]);
                    c00 = TV.MultiplyAdd(ai, b0, c00); c01 = TV.MultiplyAdd(ai, b1, c01);
                    ai = TV.Broadcast(a1[ap]);
                    c10 = TV.MultiplyAdd(ai, b0, c10); c11 = TV.MultiplyAdd(ai, b1, c11);
                    ai = TV.Broadcast(a2[ap]);
                    c20 = TV.MultiplyAdd(ai, b0, c20); c21 = TV.MultiplyAdd(ai, b1, c21);
                    ai = TV.Broadcast(a3[ap]);
                    c30 = TV.MultiplyAdd(ai, b0, c30); c31 = TV.MultiplyAdd(ai, b1, c31);
                }
                T* c = job.C + (long)i * job.Ldc + j;
                StoreRow<TV, TVec, T>(c00, c01, c, lanes, full, mask0, mask1, alpha, beta, overwrite);
                if (rows > 1) StoreRow<TV, TVec, T>(c10, c11, c + job.Ldc, lanes, full, mask0, mask1, alpha, beta, overwrite);
                if (rows > 2) StoreRow<TV, TVec, T>(c20, c21, c + 2L * job.Ldc, lanes, full, mask0, mask1, alpha, beta, overwrite);
                if (rows > 3) StoreRow<TV, TVec, T>(c30, c31, c + 3L * job.Ldc, lanes, full, mask0, mask1, alpha, beta, overwrite);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void StoreRow<TV, TVec, T>(TVec acc0, TVec acc1, T* c, int lanes, bool full, TVec mask0, TVec mask1, TVec alpha, TVec beta, bool overwrite)
        where TV : struct, ISimd<TVec, T>
        where TVec : struct
        where T : unmanaged, INumber<T>
    {
        if (full)
        {
            TV.Store(overwrite ? TV.Multiply(acc0, alpha) : TV.MultiplyAdd(acc0, alpha, TV.Multiply(TV.Load(c), beta)), c);
            TV.Store(overwrite ? TV.Multiply(acc1, alpha) : TV.MultiplyAdd(acc1, alpha, TV.Multiply(TV.Load(c + lanes), beta)), c + lanes);
        }
        else
        {
            TV.MaskedStore(overwrite ? TV.Multiply(acc0, alpha) : TV.MultiplyAdd(acc0, alpha, TV.Multiply(TV.MaskedLoad(c, mask0), beta)), c, mask0);
            TV.MaskedStore(overwrite ? TV.Multiply(acc1, alpha) : TV.MultiplyAdd(acc1, alpha, TV.Multiply(TV.MaskedLoad(c + lanes, mask1), beta)), c + lanes, mask1);
        }
    }
}
