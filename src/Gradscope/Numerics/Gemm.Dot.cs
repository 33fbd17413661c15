using System.Numerics;
using System.Runtime.CompilerServices;

namespace Gradscope.Numerics;

public static partial class Gemm
{
    /// <summary>
    /// C = α·A·Bᵀ + β·C with both operands unpacked (NT, the forward pass Z = A·Wᵀ, when k is long): rows of A
    /// and rows of B are both contiguous in k, so each C element is a dot product, and a block of rows of A × 4
    /// rows of B shares its loads. AVX-512's 32 registers hold 5×4 accumulators, which also covers a batch of 10
    /// in two blocks; 16-register AVX2 holds 3×4. Rows past the edge repeat the last row and are not stored.
    /// </summary>
    private static void DirectDot<TV, TVec, T>(in GemmJob<T> job, int j0, int j1)
        where TV : struct, ISimd<TVec, T>
        where TVec : struct
        where T : unmanaged, INumber<T>
    {
        if (TV.KernelRows >= 12) Dot5x4<TV, TVec, T>(in job, j0, j1);
        else Dot3x4<TV, TVec, T>(in job, j0, j1);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Dot5x4<TV, TVec, T>(in GemmJob<T> job, int j0, int j1)
        where TV : struct, ISimd<TVec, T>
        where TVec : struct
        where T : unmanaged, INumber<T>
    {
        int lanes = TV.Count, m = job.M, k = job.K;
        long lda = job.Lda, ldb = job.Ldb, ldc = job.Ldc;
        int kFull = k - k % lanes;
        TVec tail = TV.FirstLanes(k - kFull);
        bool overwrite = job.Beta == T.Zero;
        // Columns outermost: four rows of B stay in L1 while every row block of A passes over them.
        for (int j = j0; j < j1; j += 4)
        {
            T* b0 = job.B + j * ldb, b1 = job.B + Math.Min(j + 1, j1 - 1) * ldb;
            T* b2 = job.B + Math.Min(j + 2, j1 - 1) * ldb, b3 = job.B + Math.Min(j + 3, j1 - 1) * ldb;
            for (int i = 0; i < m; i += 5)
            {
                T* a0 = job.A + i * lda;
                T* a1 = job.A + Math.Min(i + 1, m - 1) * lda;
                T* a2 = job.A + Math.Min(i + 2, m - 1) * lda;
                T* a3 = job.A + Math.Min(i + 3, m - 1) * lda;
                T* a4 = job.A + Math.Min(i + 4, m - 1) * lda;
                TVec s00 = TV.Zero, s01 = TV.Zero, s02 = TV.Zero, s03 = TV.Zero;
                TVec s10 = TV.Zero, s11 = TV.Zero, s12 = TV.Zero, s13 = TV.Zero;
                TVec s20 = TV.Zero, s21 = TV.Zero, s22 = TV.Zero, s23 = TV.Zero;
                TVec s30 = TV.Zero, s31 = TV.Zero, s32 = TV.Zero, s33 = TV.Zero;
                TVec s40 = TV.Zero, s41 = TV.Zero, s42 = TV.Zero, s43 = TV.Zero;
                for (int p = 0; p <= k - lanes; p += lanes)
                {
                    TVec x0 = TV.Load(a0 + p), x1 = TV.Load(a1 + p), x2 = TV.Load(a2 + p), x3 = TV.Load(a3 + p), x4 = TV.Load(a4 + p);
                    TVec y = TV.Load(b0 + p);
                    s00 = TV.MultiplyAdd(x0, y, s00); s10 = TV.MultiplyAdd(x1, y, s10); s20 = TV.MultiplyAdd(x2, y, s20); s30 = TV.MultiplyAdd(x3, y, s30); s40 = TV.MultiplyAdd(x4, y, s40);
                    y = TV.Load(b1 + p);
                    s01 = TV.MultiplyAdd(x0, y, s01); s11 = TV.MultiplyAdd(x1, y, s11); s21 = TV.MultiplyAdd(x2, y, s21); s31 = TV.MultiplyAdd(x3, y, s31); s41 = TV.MultiplyAdd(x4, y, s41);
                    y = TV.Load(b2 + p);
                    s02 = TV.MultiplyAdd(x0, y, s02); s12 = TV.MultiplyAdd(x1, y, s12); s22 = TV.MultiplyAdd(x2, y, s22); s32 = TV.MultiplyAdd(x3, y, s32); s42 = TV.MultiplyAdd(x4, y, s42);
                    y = TV.Load(b3 + p);
                    s03 = TV.MultiplyAdd(x0, y, s03); s13 = TV.MultiplyAdd(x1, y, s13); s23 = TV.MultiplyAdd(x2, y, s23); s33 = TV.MultiplyAdd(x3, y, s33); s43 = TV.MultiplyAdd(x4, y, s43);
                }
                if (kFull < k)
                {
                    TVec x0 = TV.MaskedLoad(a0 + kFull, tail), x1 = TV.MaskedLoad(a1 + kFull, tail), x2 = TV.MaskedLoad(a2 + kFull, tail), x3 = TV.MaskedLoad(a3 + kFull, tail), x4 = TV.MaskedLoad(a4 + kFull, tail);
                    TVec y = TV.MaskedLoad(b0 + kFull, tail);
                    s00 = TV.MultiplyAdd(x0, y, s00); s10 = TV.MultiplyAdd(x1, y, s10); s20 = TV.MultiplyAdd(x2, y, s20); s30 = TV.MultiplyAdd(x3, y, s30); s40 = TV.MultiplyAdd(x4, y, s40);
                    y = TV.MaskedLoad(b1 + kFull, tail);
                    s01 = TV.MultiplyAdd(x0, y, s01); s11 = TV.MultiplyAdd(x1, y, s11); s21 = TV.MultiplyAdd(x2, y, s21); s31 = TV.MultiplyAdd(x3, y, s31); s41 = TV.MultiplyAdd(x4, y, s41);
                    y = TV.MaskedLoad(b2 + kFull, tail);
                    s02 = TV.MultiplyAdd(x0, y, s02); s12 = TV.MultiplyAdd(x1, y, s12); s22 = TV.MultiplyAdd(x2, y, s22); s32 = TV.MultiplyAdd(x3, y, s32); s42 = TV.MultiplyAdd(x4, y, s42);
                    y = TV.MaskedLoad(b3 + kFull, tail);
                    s03 = TV.MultiplyAdd(x0, y, s03); s13 = TV.MultiplyAdd(x1, y, s13); s23 = TV.MultiplyAdd(x2, y, s23); s33 = TV.MultiplyAdd(x3, y, s33); s43 = TV.MultiplyAdd(x4, y, s43);
                }
                int columns = Math.Min(4, j1 - j);
                T* c = job.C + i * ldc + j;
                StoreDots<TV, TVec, T>(s00, s01, s02, s03, c, columns, in job, overwrite);
                if (i + 1 < m) StoreDots<TV, TVec, T>(s10, s11, s12, s13, c + 1 * ldc, columns, in job, overwrite);
                if (i + 2 < m) StoreDots<TV, TVec, T>(s20, s21, s22, s23, c + 2 * ldc, columns, in job, overwrite);
                if (i + 3 < m) StoreDots<TV, TVec, T>(s30, s31, s32, s33, c + 3 * ldc, columns, in job, overwrite);
                if (i + 4 < m) StoreDots<TV, TVec, T>(s40, s41, s42, s43, c + 4 * ldc, columns, in job, overwrite);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Dot3x4<TV, TVec, T>(in GemmJob<T> job, int j0, int j1)
        where TV : struct, ISimd<TVec, T>
        where TVec : struct
        where T : unmanaged, INumber<T>
    {
        int lanes = TV.Count, m = job.M, k = job.K;
        long lda = job.Lda, ldb = job.Ldb, ldc = job.Ldc;
        int kFull = k - k % lanes;
        TVec tail = TV.FirstLanes(k - kFull);
        bool overwrite = job.Beta == T.Zero;
        // Columns outermost: four rows of B stay in L1 while every row block of A passes over them.
        for (int j = j0; j < j1; j += 4)
        {
            T* b0 = job.B + j * ldb, b1 = job.B + Math.Min(j + 1, j1 - 1) * ldb;
            T* b2 = job.B + Math.Min(j + 2, j1 - 1) * ldb, b3 = job.B + Math.Min(j + 3, j1 - 1) * ldb;
            for (int i = 0; i < m; i += 3)
            {
                T* a0 = job.A + i * lda;
                T* a1 = job.A + Math.Min(i + 1, m - 1) * lda;
                T* a2 = job.A + Math.Min(i + 2, m - 1) * lda;
                TVec s00 = TV.Zero, s01 = TV.Zero, s02 = TV.Zero, s03 = TV.Zero;
                TVec s10 = TV.Zero, s11 = TV.Zero, s12 = TV.Zero, s13 = TV.Zero;
                TVec s20 = TV.Zero, s21 = TV.Zero, s22 = TV.Zero, s23 = TV.Zero;
                for (int p = 0; p <= k - lanes; p += lanes)
                {
                    TVec x0 = TV.Load(a0 + p), x1 = TV.Load(a1 + p), x2 = TV.Load(a2 + p);
                    TVec y = TV.Load(b0 + p);
                    s00 = TV.MultiplyAdd(x0, y, s00); s10 = TV.MultiplyAdd(x1, y, s10); s20 = TV.MultiplyAdd(x2, y, s20);
                    y = TV.Load(b1 + p);
                    s01 = TV.MultiplyAdd(x0, y, s01); s11 = TV.MultiplyAdd(x1, y, s11); s21 = TV.MultiplyAdd(x2, y, s21);
                    y = TV.Load(b2 + p);
                    s02 = TV.MultiplyAdd(x0, y, s02); s12 = TV.MultiplyAdd(x1, y, s12); s22 = TV.MultiplyAdd(x2, y, s22);
                    y = TV.Load(b3 + p);
                    s03 = TV.MultiplyAdd(x0, y, s03); s13 = TV.MultiplyAdd(x1, y, s13); s23 = TV.MultiplyAdd(x2, y, s23);
                }
                if (kFull < k)
                {
                    TVec x0 = TV.MaskedLoad(a0 + kFull, tail), x1 = TV.MaskedLoad(a1 + kFull, tail), x2 = TV.MaskedLoad(a2 + kFull, tail);
                    TVec y = TV.MaskedLoad(b0 + kFull, tail);
                    s00 = TV.MultiplyAdd(x0, y, s00); s10 = TV.MultiplyAdd(x1, y, s10); s20 = TV.MultiplyAdd(x2, y, s20);
                    y = TV.MaskedLoad(b1 + kFull, tail);
                    s01 = TV.MultiplyAdd(x0, y, s01); s11 = TV.MultiplyAdd(x1, y, s11); s21 = TV.MultiplyAdd(x2, y, s21);
                    y = TV.MaskedLoad(b2 + kFull, tail);
                    s02 = TV.MultiplyAdd(x0, y, s02); s12 = TV.MultiplyAdd(x1, y, s12); s22 = TV.MultiplyAdd(x2, y, s22);
                    y = TV.MaskedLoad(b3 + kFull, tail);
                    s03 = TV.MultiplyAdd(x0, y, s03); s13 = TV.MultiplyAdd(x1, y, s13); s23 = TV.MultiplyAdd(x2, y, s23);
                }
                int columns = Math.Min(4, j1 - j);
                T* c = job.C + i * ldc + j;
                StoreDots<TV, TVec, T>(s00, s01, s02, s03, c, columns, in job, overwrite);
                if (i + 1 < m) StoreDots<TV, TVec, T>(s10, s11, s12, s13, c + 1 * ldc, columns, in job, overwrite);
                if (i + 2 < m) StoreDots<TV, TVec, T>(s20, s21, s22, s23, c + 2 * ldc, columns, in job, overwrite);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void StoreDots<TV, TVec, T>(TVec s0, TVec s1, TVec s2, TVec s3, T* c, int columns, in GemmJob<T> job, bool overwrite)
        where TV : struct, ISimd<TVec, T>
        where TVec : struct
        where T : unmanaged, INumber<T>
    {
        StoreDot(TV.Sum(s0), c, in job, overwrite);
        if (columns > 1) StoreDot(TV.Sum(s1), c + 1, in job, overwrite);
        if (columns > 2) StoreDot(TV.Sum(s2), c + 2, in job, overwrite);
        if (columns > 3) StoreDot(TV.Sum(s3), c + 3, in job, overwrite);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void StoreDot<T>(T dot, T* c, in GemmJob<T> job, bool overwrite)
        where T : unmanaged, INumber<T>
        => *c = overwrite ? job.Alpha * dot : job.Alpha * dot + job.Beta * *c;
}
