namespace Gradscope.Numerics;

/// <summary>
/// One SIMD register width, as static members, so that a kernel written once against <typeparamref name="TVec"/>
/// is compiled by the JIT into straight-line code for each width (value-type generic arguments are never shared).
/// Only <see cref="float"/> and <see cref="double"/> lanes are used; other element types take the scalar path.
/// </summary>
internal unsafe interface ISimd<TVec, T>
    where TVec : struct
    where T : unmanaged
{
    /// <summary>Lanes per register.</summary>
    static abstract int Count { get; }

    /// <summary>Rows of the packed microkernel: as many as the register file holds beside two B registers.</summary>
    static abstract int KernelRows { get; }

    static abstract TVec Zero { get; }

    static abstract TVec Load(T* source);

    static abstract void Store(TVec value, T* destination);

    static abstract TVec Broadcast(T value);

    static abstract TVec Multiply(TVec x, TVec y);

    static abstract TVec Add(TVec x, TVec y);

    static abstract TVec Subtract(TVec x, TVec y);

    /// <summary>x·y + z with a single rounding.</summary>
    static abstract TVec MultiplyAdd(TVec x, TVec y, TVec z);

    static abstract T Sum(TVec value);

    /// <summary>A mask whose first <paramref name="count"/> lanes are set (all lanes when count ≥ Count).</summary>
    static abstract TVec FirstLanes(int count);

    /// <summary>Loads the masked lanes and zeroes the rest without touching memory behind unset lanes.</summary>
    static abstract TVec MaskedLoad(T* source, TVec mask);

    static abstract void MaskedStore(TVec value, T* destination, TVec mask);

    /// <summary>The lane-wise minimum as the hardware takes it: where either lane is NaN, which one wins is the platform's.</summary>
    static abstract TVec MinNative(TVec x, TVec y);

    /// <summary>The lane-wise maximum as the hardware takes it (NaN as for <see cref="MinNative"/>).</summary>
    static abstract TVec MaxNative(TVec x, TVec y);

    /// <summary>All bits set in each lane where x &lt; y.</summary>
    static abstract TVec LessThan(TVec x, TVec y);

    /// <summary>All bits set in each lane where x = y.</summary>
    static abstract TVec Equal(TVec x, TVec y);

    static abstract TVec And(TVec x, TVec y);

    static abstract TVec Or(TVec x, TVec y);

    /// <summary>x with the bits of <paramref name="y"/> cleared, x &amp; ~y.</summary>
    static abstract TVec AndNot(TVec x, TVec y);

    /// <summary>Each lane from <paramref name="x"/> where <paramref name="mask"/> is set, else from <paramref name="y"/>.</summary>
    static abstract TVec Select(TVec mask, TVec x, TVec y);

    /// <summary>How many lanes of a mask are set.</summary>
    static abstract int CountSet(TVec mask);
}
