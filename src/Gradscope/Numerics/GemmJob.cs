namespace Gradscope.Numerics;

/// <summary>
/// One multiply's operands as raw pointers, pinned by the caller for the whole call, so that the job can live on
/// the caller's stack and be handed to pool threads as a <c>void*</c> without allocating.
/// </summary>
internal unsafe struct GemmJob<T>
    where T : unmanaged
{
    public T* A;
    public T* B;
    public T* C;
    public int Lda;
    public int Ldb;
    public int Ldc;
    public int M;
    public int N;
    public int K;
    public bool TransposeA;
    public bool TransposeB;
    public T Alpha;
    public T Beta;

    // Output tiling of the packed path: tiles are TileRows × TileColumns, TilesAcross per row of tiles.
    public int TileRows;
    public int TileColumns;
    public int TilesAcross;

    // op(B) packed beforehand (PackedOperand), PackedWidth values per row of panels; null: each tile packs its own.
    public T* PackedB;
    public int PackedWidth;

    /// <summary>op(A)[i, p]: row i, column p of A as the product sees it.</summary>
    public readonly T* AAt(int i, int p) => TransposeA ? A + (long)p * Lda + i : A + (long)i * Lda + p;

    /// <summary>op(B)[p, j].</summary>
    public readonly T* BAt(int p, int j) => TransposeB ? B + (long)j * Ldb + p : B + (long)p * Ldb + j;
}
