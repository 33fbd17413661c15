using System.Numerics;
using System.Runtime.CompilerServices;

namespace Gradscope.Numerics;

public static partial class Gemm
{
    /// <summary>How a micro-tile's sum over one KC slice meets C.</summary>
    private enum StoreMode
    {
        /// <summary>First slice, β = 0: C = α·acc, old C never read (it may hold NaN).</summary>
        Overwrite,

        /// <summary>First slice: C = α·acc + β·C.</summary>
        ScaleAndAdd,

        /// <summary>Later slices: C = α·acc + C.</summary>
        Accumulate,
    }

    /// <summary>
    /// One mr×nr block of C from packed panels. Edge blocks run the same full-size kernel against a scratch tile
    /// and copy back the valid part, so an element's arithmetic never depends on where the tile edges fall.
    /// </summary>
    private static unsafe void MicroTile<TV, TVec, T>(int kc, T* a, T* b, T* c, int ldc, int mValid, int nValid, T alpha, T beta, StoreMode mode)
        where TV : struct, ISimd<TVec, T>
        where TVec : struct
        where T : unmanaged, INumber<T>
    {
        int mr = TV.KernelRows, nr = 2 * TV.Count;
        if (mValid == mr && nValid == nr)
        {
            Kernel<TV, TVec, T>(kc, a, b, c, ldc, alpha, beta, mode);
            return;
        }
        T* scratch = stackalloc T[mr * nr];
        if (mode != StoreMode.Overwrite)
            for (int r = 0; r < mValid; r++)
                for (int j = 0; j < nValid; j++) scratch[r * nr + j] = c[(long)r * ldc + j];
        Kernel<TV, TVec, T>(kc, a, b, scratch, nr, alpha, beta, mode);
        for (int r = 0; r < mValid; r++)
            for (int j = 0; j < nValid; j++) c[(long)r * ldc + j] = scratch[r * nr + j];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Kernel<TV, TVec, T>(int kc, T* a, T* b, T* c, int ldc, T alpha, T beta, StoreMode mode)
        where TV : struct, ISimd<TVec, T>
        where TVec : struct
        where T : unmanaged, INumber<T>
    {
        if (TV.KernelRows == 12) Kernel12<TV, TVec, T>(kc, a, b, c, ldc, alpha, beta, mode);
        else Kernel6<TV, TVec, T>(kc, a, b, c, ldc, alpha, beta, mode);
    }

    /// <summary>12×2-register micro-kernel: 24 accumulators, two B loads and 12 broadcasts per k step.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Kernel12<TV, TVec, T>(int kc, T* a, T* b, T* c, int ldc, T alpha, T beta, StoreMode mode)
        where TV : struct, ISimd<TVec, T>
        where TVec : struct
        where T : unmanaged, INumber<T>
    {
        int lanes = TV.Count;
        TVec c00 = TV.Zero, c01 = TV.Zero, c10 = TV.Zero, c11 = TV.Zero;
        TVec c20 = TV.Zero, c21 = TV.Zero, c30 = TV.Zero, c31 = TV.Zero;
        TVec c40 = TV.Zero, c41 = TV.Zero, c50 = TV.Zero, c51 = TV.Zero;
        TVec c60 = TV.Zero, c61 = TV.Zero, c70 = TV.Zero, c71 = TV.Zero;
        TVec c80 = TV.Zero, c81 = TV.Zero, c90 = TV.Zero, c91 = TV.Zero;
        TVec c100 = TV.Zero, c101 = TV.Zero, c110 = TV.Zero, c111 = TV.Zero;
        for (int p = 0; p < kc; p++, a += 12, b += 2 * lanes)
        {
            TVec b0 = TV.Load(b), b1 = TV.Load(b + lanes);
            TVec ai;
            ai = TV.Broadcast(a[0]); c00 = TV.MultiplyAdd(ai, b0, c00); c01 = TV.MultiplyAdd(ai, b1, c01);
            ai = TV.Broadcast(a[1]); c10 = TV.MultiplyAdd(ai, b0, c10); c11 = TV.MultiplyAdd(ai, b1, c11);
            ai = TV.Broadcast(a[2]); c20 = TV.MultiplyAdd(ai, b0, c20); c21 = TV.MultiplyAdd(ai, b1, c21);
            ai = TV.Broadcast(a[3]); c30 = TV.MultiplyAdd(ai, b0, c30); c31 = TV.MultiplyAdd(ai, b1, c31);
            ai = TV.Broadcast(a[4]); c40 = TV.MultiplyAdd(ai, b0, c40); c41 = TV.MultiplyAdd(ai, b1, c41);
            ai = TV.Broadcast(a[5]); c50 = TV.MultiplyAdd(ai, b0, c50); c51 = TV.MultiplyAdd(ai, b1, c51);
            ai = TV.Broadcast(a[6]); c60 = TV.MultiplyAdd(ai, b0, c60); c61 = TV.MultiplyAdd(ai, b1, c61);
            ai = TV.Broadcast(a[7]); c70 = TV.MultiplyAdd(ai, b0, c70); c71 = TV.MultiplyAdd(ai, b1, c71);
            ai = TV.Broadcast(a[8]); c80 = TV.MultiplyAdd(ai, b0, c80); c81 = TV.MultiplyAdd(ai, b1, c81);
            ai = TV.Broadcast(a[9]); c90 = TV.MultiplyAdd(ai, b0, c90); c91 = TV.MultiplyAdd(ai, b1, c91);
            ai = TV.Broadcast(a[10]); c100 = TV.MultiplyAdd(ai, b0, c100); c101 = TV.MultiplyAdd(ai, b1, c101);
            ai = TV.Broadcast(a[11]); c110 = TV.MultiplyAdd(ai, b0, c110); c111 = TV.MultiplyAdd(ai, b1, c111);
        }
        TVec va = TV.Broadcast(alpha), vb = TV.Broadcast(beta);
        Update<TV, TVec, T>(c00, c01, c + 0 * (long)ldc, lanes, va, vb, mode);
        Update<TV, TVec, T>(c10, c11, c + 1 * (long)ldc, lanes, va, vb, mode);
        Update<TV, TVec, T>(c20, c21, c + 2 * (long)ldc, lanes, va, vb, mode);
        Update<TV, TVec, T>(c30, c31, c + 3 * (long)ldc, lanes, va, vb, mode);
        Update<TV, TVec, T>(c40, c41, c + 4 * (long)ldc, lanes, va, vb, mode);
        Update<TV, TVec, T>(c50, c51, c + 5 * (long)ldc, lanes, va, vb, mode);
        Update<TV, TVec, T>(c60, c61, c + 6 * (long)ldc, lanes, va, vb, mode);
        Update<TV, TVec, T>(c70, c71, c + 7 * (long)ldc, lanes, va, vb, mode);
        Update<TV, TVec, T>(c80, c81, c + 8 * (long)ldc, lanes, va, vb, mode);
        Update<TV, TVec, T>(c90, c91, c + 9 * (long)ldc, lanes, va, vb, mode);
        Update<TV, TVec, T>(c100, c101, c + 10 * (long)ldc, lanes, va, vb, mode);
        Update<TV, TVec, T>(c110, c111, c + 11 * (long)ldc, lanes, va, vb, mode);
    }

    /// <summary>6×2-register micro-kernel: 12 accumulators, two B loads and 6 broadcasts per k step.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Kernel6<TV, TVec, T>(int kc, T* a, T* b, T* c, int ldc, T alpha, T beta, StoreMode mode)
        where TV : struct, ISimd<TVec, T>
        where TVec : struct
        where T : unmanaged, INumber<T>
    {
        int lanes = TV.Count;
        TVec c00 = TV.Zero, c01 = TV.Zero, c10 = TV.Zero, c11 = TV.Zero;
        TVec c20 = TV.Zero, c21 = TV.Zero, c30 = TV.Zero, c31 = TV.Zero;
        TVec c40 = TV.Zero, c41 = TV.Zero, c50 = TV.Zero, c51 = TV.Zero;
        for (int p = 0; p < kc; p++, a += 6, b += 2 * lanes)
        {
            TVec b0 = TV.Load(b), b1 = TV.Load(b + lanes);
            TVec ai;
            ai = TV.Broadcast(a[0]); c00 = TV.MultiplyAdd(ai, b0, c00); c01 = TV.MultiplyAdd(ai, b1, c01);
            ai = TV.Broadcast(a[1]); c10 = TV.MultiplyAdd(ai, b0, c10); c11 = TV.MultiplyAdd(ai, b1, c11);
            ai = TV.Broadcast(a[2]); c20 = TV.MultiplyAdd(ai, b0, c20); c21 = TV.MultiplyAdd(ai, b1, c21);
            ai = TV.Broadcast(a[3]); c30 = TV.MultiplyAdd(ai, b0, c30); c31 = TV.MultiplyAdd(ai, b1, c31);
            ai = TV.Broadcast(a[4]); c40 = TV.MultiplyAdd(ai, b0, c40); c41 = TV.MultiplyAdd(ai, b1, c41);
            ai = TV.Broadcast(a[5]); c50 = TV.MultiplyAdd(ai, b0, c50); c51 = TV.MultiplyAdd(ai, b1, c51);
        }
        TVec va = TV.Broadcast(alpha), vb = TV.Broadcast(beta);
        Update<TV, TVec, T>(c00, c01, c + 0 * (long)ldc, lanes, va, vb, mode);
        Update<TV, TVec, T>(c10, c11, c + 1 * (long)ldc, lanes, va, vb, mode);
        Update<TV, TVec, T>(c20, c21, c + 2 * (long)ldc, lanes, va, vb, mode);
        Update<TV, TVec, T>(c30, c31, c + 3 * (long)ldc, lanes, va, vb, mode);
        Update<TV, TVec, T>(c40, c41, c + 4 * (long)ldc, lanes, va, vb, mode);
        Update<TV, TVec, T>(c50, c51, c + 5 * (long)ldc, lanes, va, vb, mode);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Update<TV, TVec, T>(TVec acc0, TVec acc1, T* c, int lanes, TVec alpha, TVec beta, StoreMode mode)
        where TV : struct, ISimd<TVec, T>
        where TVec : struct
        where T : unmanaged, INumber<T>
    {
        if (mode == StoreMode.Overwrite)
        {
            TV.Store(TV.Multiply(acc0, alpha), c);
            TV.Store(TV.Multiply(acc1, alpha), c + lanes);
        }
        else if (mode == StoreMode.ScaleAndAdd)
        {
            TV.Store(TV.MultiplyAdd(acc0, alpha, TV.Multiply(TV.Load(c), beta)), c);
            TV.Store(TV.MultiplyAdd(acc1, alpha, TV.Multiply(TV.Load(c + lanes), beta)), c + lanes);
        }
        else
        {
            TV.Store(TV.MultiplyAdd(acc0, alpha, TV.Load(c)), c);
            TV.Store(TV.MultiplyAdd(acc1, alpha, TV.Load(c + lanes)), c + lanes);
        }
    }
}
