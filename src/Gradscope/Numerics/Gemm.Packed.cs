using System.Numerics;

namespace Gradscope.Numerics;

public static partial class Gemm
{
    // Cache blocking (BLIS terms). A KC×NR micro-panel of B (256×32 floats = 32 KiB, or 256×16 doubles) stays in
    // the 48 KiB L1 while the kernel sweeps the MC×KC block of A (144 KiB float) held in the 1 MiB L2.
    private const int KC = 256;
    private const int MC = 144;

    // Widest output tile; bounds the KC×NC packed B block (2 MiB float), which streams from L3.
    private const int NCMax = 2048;

    // Below this many multiply-adds one thread finishes before waking another would pay off (~50 µs of work).
    private const long ParallelWork = 1L << 21;

    private static unsafe void RunPacked<TV, TVec, T>(ref GemmJob<T> job, ComputePool? pool)
        where TV : struct, ISimd<TVec, T>
        where TVec : struct
        where T : unmanaged, INumber<T>
    {
        int mr = TV.KernelRows, nr = 2 * TV.Count;
        int threads = pool is null || (long)job.M * job.N * job.K < ParallelWork ? 1 : pool.Threads;
        int panelsM = Ceiling(job.M, mr), panelsN = Ceiling(job.N, nr);
        int rowTiles = 1, columnTiles = Ceiling(job.N, NCMax);
        if (threads > 1)
        {
            // Split the side whose operand is cheaper to pack again in every tile: splitting columns repacks A
            // per tile, splitting rows repacks B.
            if (panelsN >= threads && (job.N >= job.M || panelsM < threads))
                columnTiles = threads * Ceiling(columnTiles, threads);
            else
                rowTiles = Math.Min(panelsM, threads);
        }
        job.TileRows = Ceiling(panelsM, rowTiles) * mr;
        job.TileColumns = Math.Min(NCMax, Ceiling(panelsN, columnTiles) * nr);
        job.TilesAcross = Ceiling(job.N, job.TileColumns);
        int tiles = Ceiling(job.M, job.TileRows) * job.TilesAcross;
        fixed (GemmJob<T>* state = &job)
        {
            if (threads == 1)
                for (int t = 0; t < tiles; t++) RunTile<TV, TVec, T>(state, t);
            else
                pool!.For(tiles, &RunTile<TV, TVec, T>, state);
        }
    }

    /// <summary>
    /// One output tile: for each KC slice of k (the same slices whatever the tiling, so every element sums in the
    /// same order), pack the tile's B block, then each MC block of A, and sweep micro-tiles.
    /// </summary>
    private static unsafe void RunTile<TV, TVec, T>(void* state, int tile)
        where TV : struct, ISimd<TVec, T>
        where TVec : struct
        where T : unmanaged, INumber<T>
    {
        ref readonly GemmJob<T> job = ref *(GemmJob<T>*)state;
        int mr = TV.KernelRows, nr = 2 * TV.Count;
        int i0 = tile / job.TilesAcross * job.TileRows, j0 = tile % job.TilesAcross * job.TileColumns;
        int rows = Math.Min(job.TileRows, job.M - i0), columns = Math.Min(job.TileColumns, job.N - j0);
        T* packedA = GemmBuffers<T>.A(MC * KC);
        T* packedB = GemmBuffers<T>.B(KC * NCMax);
        int slices = Ceiling(job.K, KC), sliceLength = Ceiling(job.K, slices);
        for (int p0 = 0; p0 < job.K; p0 += sliceLength)
        {
            int kc = Math.Min(sliceLength, job.K - p0);
            var mode = p0 > 0 ? StoreMode.Accumulate : job.Beta == T.Zero ? StoreMode.Overwrite : StoreMode.ScaleAndAdd;
            PackB<TV, TVec, T>(in job, p0, kc, j0, columns, packedB);
            for (int ic = i0; ic < i0 + rows; ic += MC)
            {
                int mc = Math.Min(MC, i0 + rows - ic);
                PackA(in job, mr, ic, mc, p0, kc, packedA);
                for (int jr = 0; jr < columns; jr += nr)
                {
                    int nValid = Math.Min(nr, columns - jr);
                    T* bPanel = packedB + (long)jr * kc;
                    for (int ir = 0; ir < mc; ir += mr)
                    {
                        int mValid = Math.Min(mr, mc - ir);
                        T* c = job.C + (long)(ic + ir) * job.Ldc + j0 + jr;
                        MicroTile<TV, TVec, T>(kc, packedA + (long)ir * kc, bPanel, c, job.Ldc, mValid, nValid, job.Alpha, job.Beta, mode);
                    }
                }
            }
        }
    }

    /// <summary>
    /// Packs op(A)[ic..ic+mc, p0..p0+kc] as mr-row micro-panels, each stored column by column (mr values per p),
    /// the order the kernel broadcasts them in. Rows past the edge are zero.
    /// </summary>
    private static unsafe void PackA<T>(in GemmJob<T> job, int mr, int ic, int mc, int p0, int kc, T* destination)
        where T : unmanaged, INumber<T>
    {
        for (int ir = 0; ir < mc; ir += mr, destination += (long)mr * kc)
        {
            int valid = Math.Min(mr, mc - ir);
            if (job.TransposeA)
            {
                // Aᵀ stored: the mr values of one p are contiguous.
                for (int p = 0; p < kc; p++)
                {
                    T* source = job.AAt(ic + ir, p0 + p);
                    T* panel = destination + (long)p * mr;
                    int r = 0;
                    for (; r < valid; r++) panel[r] = source[r];
                    for (; r < mr; r++) panel[r] = T.Zero;
                }
            }
            else
            {
                for (int r = 0; r < mr; r++)
                {
                    T* panel = destination + r;
                    if (r < valid)
                    {
                        T* source = job.AAt(ic + ir + r, p0);
                        for (int p = 0; p < kc; p++) panel[(long)p * mr] = source[p];
                    }
                    else
                    {
                        for (int p = 0; p < kc; p++) panel[(long)p * mr] = T.Zero;
                    }
                }
            }
        }
    }

    /// <summary>
    /// Packs op(B)[p0..p0+kc, j0..j0+columns] as nr-column micro-panels, each stored row by row (nr values per p),
    /// the order the kernel loads them in. Columns past the edge are zero.
    /// </summary>
    private static unsafe void PackB<TV, TVec, T>(in GemmJob<T> job, int p0, int kc, int j0, int columns, T* destination)
        where TV : struct, ISimd<TVec, T>
        where TVec : struct
        where T : unmanaged, INumber<T>
    {
        int lanes = TV.Count, nr = 2 * lanes;
        for (int jr = 0; jr < columns; jr += nr, destination += (long)nr * kc)
        {
            int valid = Math.Min(nr, columns - jr);
            if (!job.TransposeB)
            {
                TVec mask0 = TV.FirstLanes(valid), mask1 = TV.FirstLanes(valid - lanes);
                for (int p = 0; p < kc; p++)
                {
                    T* source = job.BAt(p0 + p, j0 + jr);
                    T* panel = destination + (long)p * nr;
                    if (valid == nr)
                    {
                        TV.Store(TV.Load(source), panel);
                        TV.Store(TV.Load(source + lanes), panel + lanes);
                    }
                    else
                    {
                        TV.Store(TV.MaskedLoad(source, mask0), panel);
                        TV.Store(TV.MaskedLoad(source + lanes, mask1), panel + lanes);
                    }
                }
            }
            else
            {
                for (int j = 0; j < nr; j++)
                {
                    T* panel = destination + j;
                    if (j < valid)
                    {
                        T* source = job.BAt(p0, j0 + jr + j);
                        for (int p = 0; p < kc; p++) panel[(long)p * nr] = source[p];
                    }
                    else
                    {
                        for (int p = 0; p < kc; p++) panel[(long)p * nr] = T.Zero;
                    }
                }
            }
        }
    }

    private static int Ceiling(int x, int y) => (x + y - 1) / y;
}
