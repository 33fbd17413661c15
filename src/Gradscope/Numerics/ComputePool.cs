namespace Gradscope.Numerics;

/// <summary>
/// Worker threads for the matrix kernels. One pool per trainer; results never depend on its size.
/// <see cref="Threads"/> − 1 persistent background workers join the calling thread on each parallel loop;
/// a loop allocates nothing, so it can run thousands of times per second inside a training step.
/// </summary>
public sealed unsafe class ComputePool : IDisposable
{
    // Spin this many rounds (2–4 ms) before sleeping: kernel calls in a training step come back to back, and
    // waking a sleeping thread (tens of microseconds) costs more than the gap between them.
    private const int SpinRounds = 2000;

    private readonly Thread[] _workers;
    private readonly object _gate = new();
    private int _generation;
    private int _sleepers;
    private int _busy;
    private bool _disposed;

    // High 32 bits: the loop's generation; low 32 bits: indices not yet claimed. Claiming through one 64-bit
    // compare-exchange means a worker that wakes late, after its loop ended, can never claim an index of the
    // next loop under the old body: the generation no longer matches.
    private long _ticket;
    private int _done;
    private delegate*<void*, int, void> _body;
    private void* _state;

    public ComputePool(int threads)
    {
        if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads), threads, $"Thread count must be at least 1, got {threads}.");
        Threads = threads;
        _workers = new Thread[threads - 1];
        for (int w = 0; w < _workers.Length; w++)
        {
            _workers[w] = new Thread(WorkerLoop) { IsBackground = true, Name = $"Gradscope compute {w + 1}" };
            _workers[w].Start();
        }
    }

    public int Threads { get; }

    /// <summary>
    /// Runs <c>body(state, i)</c> for every i in [0, count), on the caller and the workers, in no fixed order,
    /// and returns when all have finished. <paramref name="body"/> must make each index's result independent of
    /// which thread runs it. A pool that is busy (called re-entrantly or from a second thread) runs the loop on
    /// the caller alone rather than waiting.
    /// </summary>
    internal void For(int count, delegate*<void*, int, void> body, void* state)
    {
        if (count <= 0) return;
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_workers.Length == 0 || count == 1 || Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            for (int i = 0; i < count; i++) body(state, i);
            return;
        }
        _body = body;
        _state = state;
        _done = 0;
        int generation = ++_generation;
        // A full fence: publishes the fields above, and pairs with the sleeper's interlocked increment so that
        // either we see the sleeper or it sees the new ticket.
        Interlocked.Exchange(ref _ticket, ((long)generation << 32) | (uint)count);
        if (Volatile.Read(ref _sleepers) > 0)
            lock (_gate) Monitor.PulseAll(_gate);
        RunIndices(generation);
        var spinner = new SpinWait();
        while (Volatile.Read(ref _done) < count) spinner.SpinOnce(sleep1Threshold: -1);
        Volatile.Write(ref _busy, 0);
    }

    private void RunIndices(int generation)
    {
        while (true)
        {
            long ticket = Volatile.Read(ref _ticket);
            int remaining = (int)(uint)ticket;
            if ((int)(ticket >> 32) != generation || remaining == 0) return;
            if (Interlocked.CompareExchange(ref _ticket, ticket - 1, ticket) != ticket) continue;
            // Read only after a successful claim: the loop cannot have ended, so these belong to it.
            _body(_state, remaining - 1);
            Interlocked.Increment(ref _done);
        }
    }

    private void WorkerLoop()
    {
        int seen = 0;
        while (true)
        {
            int rounds = 0;
            while (Generation() == seen && !Volatile.Read(ref _disposed))
            {
                if (rounds++ < SpinRounds)
                {
                    Thread.SpinWait(20);
                    continue;
                }
                lock (_gate)
                {
                    Interlocked.Increment(ref _sleepers);
                    while (Generation() == seen && !_disposed) Monitor.Wait(_gate);
                    Interlocked.Decrement(ref _sleepers);
                }
            }
            if (Volatile.Read(ref _disposed)) return;
            seen = Generation();
            RunIndices(seen);
        }
    }

    private int Generation() => (int)(Volatile.Read(ref _ticket) >> 32);

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            Volatile.Write(ref _disposed, true);
            Monitor.PulseAll(_gate);
        }
        foreach (Thread worker in _workers) worker.Join();
    }
}
