namespace Gradscope.Numerics;

/// <summary>Worker threads for the matrix kernels. One pool per trainer; results never depend on its size.</summary>
public sealed class ComputePool : IDisposable
{
    public ComputePool(int threads)
    {
        if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads), threads, $"Thread count must be at least 1, got {threads}.");
        Threads = threads;
    }

    public int Threads { get; }

    public void Dispose()
    {
    }
}
