using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Gradscope.Numerics;

public static partial class Gemm
{
    // Cache blocking (BLIS terms): the MC×KC block of A (144 KiB float) lives in the 1 MiB L2 while the kernel
    // sweeps it with each KC×NR micro-panel of B (64 KiB, mostly L1). A deep KC matters most: every KC slice
    // reads and writes all of C again. Measured on Zen 5 at 2048³ (thread CPU time, float): KC 256 / MC 144
    // ≈ 160 GFLOP/s, 384 / 96 ≈ 173, 512 / 72 ≈ 180. MC stays a multiple of both kernel heights (12 and 6).
    private const int KC = 512;
    private const int MC = 72;

    // Widest output tile; bounds the KC×NC packed B block (4 MiB float), which streams from L3.
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
        T* packedB = job.PackedB == null ? GemmBuffers<T>.B(KC * NCMax) : null;
        int slices = Ceiling(job.K, KC), sliceLength = Ceiling(job.K, slices);
        for (int p0 = 0; p0 < job.K; p0 += sliceLength)
        {
            int kc = Math.Min(sliceLength, job.K - p0);
            var mode = p0 > 0 ? StoreMode.Accumulate : job.Beta == T.Zero ? StoreMode.Overwrite : StoreMode.ScaleAndAdd;
            // Tiles start on a panel boundary, so a tile's block of B packed whole is the tile's own packing.
            T* block = job.PackedB == null ? packedB : job.PackedB + (long)p0 * job.PackedWidth + (long)j0 * kc;
            if (job.PackedB == null) PackB<TV, TVec, T>(in job, p0, kc, j0, columns, packedB);
            for (int ic = i0; ic < i0 + rows; ic += MC)
            {
                int mc = Math.Min(MC, i0 + rows - ic);
                PackA(in job, mr, ic, mc, p0, kc, packedA);
                for (int jr = 0; jr < columns; jr += nr)
                {
                    int nValid = Math.Min(nr, columns - jr);
                    T* bPanel = block + (long)jr * kc;
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
    /// Points the job at <paramref name="packed"/>, packing all of op(B) into it first unless it already holds this
    /// shape: each KC slice as RunTile slices k, its nr-column panels side by side (PackedWidth values a row of panels).
    /// </summary>
    private static unsafe void UsePacked<TV, TVec, T>(ref GemmJob<T> job, PackedOperand<T> packed)
        where TV : struct, ISimd<TVec, T>
        where TVec : struct
        where T : unmanaged, INumber<T>
    {
        int nr = 2 * TV.Count, width = Ceiling(job.N, nr) * nr;
        if (!packed.IsPacked || packed.K != job.K || packed.N != job.N || packed.Transposed != job.TransposeB)
        {
            T* destination = packed.Reserve((long)job.K * width);
            int slices = Ceiling(job.K, KC), sliceLength = Ceiling(job.K, slices);
            for (int p0 = 0; p0 < job.K; p0 += sliceLength)
                PackB<TV, TVec, T>(in job, p0, Math.Min(sliceLength, job.K - p0), 0, job.N, destination + (long)p0 * width);
            (packed.K, packed.N, packed.Transposed, packed.IsPacked) = (job.K, job.N, job.TransposeB, true);
        }
        job.PackedB = packed.Start;
        job.PackedWidth = width;
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
                TransposeInto(job.AAt(ic + ir, p0), job.Lda, valid, mr, kc, destination);
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
                TransposeInto(job.BAt(p0, j0 + jr), job.Ldb, valid, nr, kc, destination);
            }
        }
    }

    /// <summary>
    /// Writes rows [0, valid) of a row-major source (kc long, ld apart) as the columns of a width-wide panel,
    /// zero-filling columns [valid, width). Whole 8×8 (float) or 4×4 (double) blocks go through registers, so the
    /// panel is written a vector at a time instead of an element at a time with stores strided width apart.
    /// </summary>
    private static unsafe void TransposeInto<T>(T* source, int ld, int valid, int width, int kc, T* destination)
        where T : unmanaged, INumber<T>
    {
        int block = !Avx.IsSupported ? 0 : typeof(T) == typeof(float) ? 8 : typeof(T) == typeof(double) ? 4 : 0;
        int jBlocked = block == 0 ? 0 : valid - valid % block, pBlocked = block == 0 ? 0 : kc - kc % block;
        for (int j = 0; j < jBlocked; j += block)
        {
            for (int p = 0; p < pBlocked; p += block)
            {
                T* from = source + (long)j * ld + p;
                T* to = destination + (long)p * width + j;
                if (typeof(T) == typeof(float)) Transpose8x8((float*)from, ld, (float*)to, width);
                else Transpose4x4((double*)from, ld, (double*)to, width);
            }
            for (int jj = j; jj < j + block; jj++)
                for (int p = pBlocked; p < kc; p++) destination[(long)p * width + jj] = source[(long)jj * ld + p];
        }
        for (int jj = jBlocked; jj < valid; jj++)
        {
            T* row = source + (long)jj * ld;
            for (int p = 0; p < kc; p++) destination[(long)p * width + jj] = row[p];
        }
        for (int jj = valid; jj < width; jj++)
            for (int p = 0; p < kc; p++) destination[(long)p * width + jj] = T.Zero;
    }

    /// <summary>The classic AVX 8×8 float transpose: unpack pairs, shuffle quads, swap 128-bit halves.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Transpose8x8(float* source, int ld, float* destination, int ldd)
    {
        Vector256<float> r0 = Avx.LoadVector256(source), r1 = Avx.LoadVector256(source + ld);
        Vector256<float> r2 = Avx.LoadVector256(source + 2L * ld), r3 = Avx.LoadVector256(source + 3L * ld);
        Vector256<float> r4 = Avx.LoadVector256(source + 4L * ld), r5 = Avx.LoadVector256(source + 5L * ld);
        Vector256<float> r6 = Avx.LoadVector256(source + 6L * ld), r7 = Avx.LoadVector256(source + 7L * ld);
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1), t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5), t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> s0 = Avx.Shuffle(t0, t2, 0x44), s1 = Avx.Shuffle(t0, t2, 0xEE), s2 = Avx.Shuffle(t1, t3, 0x44), s3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> s4 = Avx.Shuffle(t4, t6, 0x44), s5 = Avx.Shuffle(t4, t6, 0xEE), s6 = Avx.Shuffle(t5, t7, 0x44), s7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(destination, Avx.Permute2x128(s0, s4, 0x20));
        Avx.Store(destination + ldd, Avx.Permute2x128(s1, s5, 0x20));
        Avx.Store(destination + 2L * ldd, Avx.Permute2x128(s2, s6, 0x20));
        Avx.Store(destination + 3L * ldd, Avx.Permute2x128(s3, s7, 0x20));
        Avx.Store(destination + 4L * ldd, Avx.Permute2x128(s0, s4, 0x31));
        Avx.Store(destination + 5L * ldd, Avx.Permute2x128(s1, s5, 0x31));
        Avx.Store(destination + 6L * ldd, Avx.Permute2x128(s2, s6, 0x31));
        Avx.Store(destination + 7L * ldd, Avx.Permute2x128(s3, s7, 0x31));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Transpose4x4(double* source, int ld, double* destination, int ldd)
    {
        Vector256<double> r0 = Avx.LoadVector256(source), r1 = Avx.LoadVector256(source + ld);
        Vector256<double> r2 = Avx.LoadVector256(source + 2L * ld), r3 = Avx.LoadVector256(source + 3L * ld);
        Vector256<double> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1), t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Avx.Store(destination, Avx.Permute2x128(t0, t2, 0x20));
        Avx.Store(destination + ldd, Avx.Permute2x128(t1, t3, 0x20));
        Avx.Store(destination + 2L * ldd, Avx.Permute2x128(t0, t2, 0x31));
        Avx.Store(destination + 3L * ldd, Avx.Permute2x128(t1, t3, 0x31));
    }

    private static int Ceiling(int x, int y) => (x + y - 1) / y;
}
