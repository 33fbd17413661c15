using System.Text.Json;

namespace Gradscope.Record;

/// <summary>
/// Writes a run directory as training goes: run.json (status "running" until <see cref="Complete"/>),
/// metrics.jsonl appended by a background thread and flushed after every batch of records, and summary.json
/// rewritten atomically after each epoch.
/// <para>
/// Probes can produce a few million records a second, so the training thread's share is kept to a copy: records go
/// into a chunk of <see cref="ChunkSize"/>, and a full chunk is handed to the writer thread whole (one lock and at
/// most one wake-up per chunk, not per step). The writer thread takes a partly filled chunk itself when it has
/// waited <see cref="Latency"/>, so records reach the file within a fraction of a second however slowly they come.
/// When the writer falls <see cref="MaxPending"/> records behind, training waits rather than memory growing.
/// </para>
/// </summary>
public sealed class RunWriter : IMetricSink, IDisposable
{
    /// <summary>Records per chunk handed from the training thread to the writer thread.</summary>
    public const int ChunkSize = 4096;

    /// <summary>How long records may wait in a partly filled chunk before the writer thread takes it.</summary>
    public static readonly TimeSpan Latency = TimeSpan.FromMilliseconds(200);

    // _produce guards the chunk being filled (the training thread, and the writer when it takes a partial chunk);
    // _gate guards the queue of full chunks and the free list, and is what both threads wait on.
    private readonly object _produce = new();
    private readonly object _gate = new();
    private MetricRecord[] _chunk = new MetricRecord[ChunkSize];
    private int _filled;
    private readonly Queue<(MetricRecord[] Chunk, int Count)> _ready = new();
    private readonly Stack<MetricRecord[]> _free = new();
    private int _readyRecords;
    private readonly Thread _thread;
    private readonly FileStream _metrics;
    private readonly List<EpochSummary> _epochs = [];
    private bool _closing;
    private bool _completed;
    private Exception? _writeError;

    private RunWriter(string directory, RunInfo info, long? resumeAt = null, IReadOnlyList<EpochSummary>? epochs = null)
    {
        Directory = directory;
        Info = info;
        string metrics = Path.Combine(directory, RunFiles.Metrics);
        if (resumeAt is long length)
        {
            // Records written after the checkpoint are dropped: the resumed run writes them again, identically.
            _metrics = new FileStream(metrics, FileMode.Open, FileAccess.Write, FileShare.Read, 1 << 16);
            long actual = _metrics.Length;
            if (actual < length)
            {
                _metrics.Dispose();
                throw new IOException($"{metrics} is shorter ({actual} bytes) than at the checkpoint ({length}); the run directory was changed.");
            }
            _metrics.SetLength(length);
            _metrics.Seek(length, SeekOrigin.Begin);
            _epochs.AddRange(epochs ?? []);
            AtomicFile.WriteAllText(Path.Combine(Directory, RunFiles.Summary), JsonSerializer.Serialize(_epochs, JsonDefaults.Options));
        }
        else _metrics = new FileStream(metrics, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16);
        WriteInfo(info);
        _thread = new Thread(Drain) { IsBackground = true, Name = "gradscope-metrics" };
        _thread.Start();
    }

    public string Directory { get; }
    public RunInfo Info { get; private set; }
    public IReadOnlyList<EpochSummary> Epochs => _epochs;

    /// <summary>Creates the directory (it must not already hold a run) and writes run.json with status running.</summary>
    public static RunWriter Create(string directory, RunInfo info)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(info);
        string full = Path.GetFullPath(directory);
        if (File.Exists(full)) throw new IOException($"Cannot create run directory '{directory}': a file is in the way.");
        if (File.Exists(Path.Combine(full, RunFiles.Info))) throw new IOException($"'{directory}' already holds a run; choose another --out.");
        System.IO.Directory.CreateDirectory(full);
        return new RunWriter(full, info with { Status = RunStatus.Running, End = null });
    }

    /// <summary>
    /// Reopens a run directory to continue it from a checkpoint: metrics.jsonl is cut back to
    /// <paramref name="metricsLength"/> bytes (what was written when the checkpoint was taken), summary.json to
    /// <paramref name="epochs"/>, and run.json says running again, with the resumption recorded.
    /// </summary>
    public static RunWriter Resume(string directory, RunInfo info, long metricsLength, IReadOnlyList<EpochSummary> epochs, long step)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(info);
        var resumptions = (info.Resumptions ?? []).Append(new Resumption(DateTimeOffset.UtcNow, step, info.Status)).ToList();
        return new RunWriter(Path.GetFullPath(directory), info with { Status = RunStatus.Running, End = null, Failure = null, Resumptions = resumptions },
            metricsLength, epochs);
    }

    /// <summary>Writes every record so far to metrics.jsonl and returns its length: a checkpoint's place in the file.</summary>
    public long FlushMetrics()
    {
        WaitUntilWritten();
        if (_writeError is not null) throw new IOException($"metrics could not be written: {_writeError.Message}", _writeError);
        _metrics.Flush(flushToDisk: true);
        return _metrics.Position;
    }

    public void Add(in MetricRecord record) => AddRange(new ReadOnlySpan<MetricRecord>(in record));

    public void AddRange(ReadOnlySpan<MetricRecord> records)
    {
        lock (_produce)
        {
            while (!records.IsEmpty)
            {
                int take = Math.Min(records.Length, ChunkSize - _filled);
                records[..take].CopyTo(_chunk.AsSpan(_filled));
                _filled += take;
                records = records[take..];
                if (_filled == ChunkSize) Publish(wait: true);
            }
        }
    }

    /// <summary>Records held in memory before <see cref="AddRange"/> waits for the writer thread (2²⁰, about 50 MB).</summary>
    internal int MaxPending { get; set; } = 1 << 20;

    /// <summary>Hands the chunk being filled to the writer thread and starts a fresh one. Callers hold _produce.</summary>
    private void Publish(bool wait)
    {
        if (_filled == 0) return;
        lock (_gate)
        {
            // Backpressure: every-step probes on a tiny network can produce records faster than one thread formats them.
            while (wait && _readyRecords >= MaxPending && !_closing) Monitor.Wait(_gate);
            _ready.Enqueue((_chunk, _filled));
            _readyRecords += _filled;
            _chunk = _free.Count > 0 ? _free.Pop() : new MetricRecord[ChunkSize];
            _filled = 0;
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Hands over the partial chunk and waits until the writer thread has written everything so far.</summary>
    internal void WaitUntilWritten()
    {
        lock (_produce) Publish(wait: false);
        lock (_gate)
            while (_readyRecords > 0 && _thread.IsAlive) Monitor.Wait(_gate, 100);
    }

    public void AddEpoch(EpochSummary summary)
    {
        _epochs.Add(summary);
        AtomicFile.WriteAllText(Path.Combine(Directory, RunFiles.Summary), JsonSerializer.Serialize(_epochs, JsonDefaults.Options));
    }

    /// <summary>Drains every record, then marks the run with its final status.</summary>
    public void Complete(string status, string? failure = null)
    {
        if (_completed) return;
        _completed = true;
        lock (_produce) Publish(wait: false);
        lock (_gate)
        {
            _closing = true;
            Monitor.PulseAll(_gate);
        }
        _thread.Join();
        try
        {
            // On disk before run.json can say complete.
            _metrics.Flush(flushToDisk: true);
            _metrics.Dispose();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
            _writeError ??= e;
        }
        if (_epochs.Count == 0) AtomicFile.WriteAllText(Path.Combine(Directory, RunFiles.Summary), "[]");
        if (_writeError is not null && status == RunStatus.Complete)
            (status, failure) = (RunStatus.Failed, $"metrics could not be written: {_writeError.Message}");
        Info = Info with { Status = status, Failure = failure, End = DateTimeOffset.UtcNow };
        WriteInfo(Info);
    }

    /// <summary>A run disposed without <see cref="Complete"/> is recorded as interrupted, never as complete.</summary>
    public void Dispose() => Complete(RunStatus.Interrupted, "the process stopped before the run finished");

    private void WriteInfo(RunInfo info) =>
        AtomicFile.WriteAllText(Path.Combine(Directory, RunFiles.Info), JsonSerializer.Serialize(info, JsonDefaults.Options));

    private void Drain()
    {
        var buffer = new byte[1 << 16];
        while (true)
        {
            (MetricRecord[] Chunk, int Count) next;
            lock (_gate)
            {
                if (_ready.Count == 0 && !_closing) Monitor.Wait(_gate, Latency);
                if (_ready.Count == 0)
                {
                    if (_closing) return;
                    // Waited long enough: take what the training thread has so far. Publish takes _gate after
                    // _produce, so _gate is let go first.
                    Monitor.Exit(_gate);
                    try
                    {
                        lock (_produce) Publish(wait: false);
                    }
                    finally
                    {
                        Monitor.Enter(_gate);
                    }
                    if (_ready.Count == 0) continue;
                }
                next = _ready.Dequeue();
            }
            Write(next.Chunk.AsSpan(0, next.Count), buffer);
            next.Chunk.AsSpan(0, next.Count).Clear(); // drop the references to names and vectors
            lock (_gate)
            {
                _free.Push(next.Chunk);
                _readyRecords -= next.Count;
                Monitor.PulseAll(_gate);
            }
        }
    }

    /// <summary>Formats records into <paramref name="buffer"/> and appends them to metrics.jsonl, flushed.</summary>
    private void Write(ReadOnlySpan<MetricRecord> records, byte[] buffer)
    {
        try
        {
            int used = 0;
            foreach (ref readonly var record in records)
            {
                int needed = MetricsJsonl.MaxLength(record);
                if (used + needed > buffer.Length)
                {
                    _metrics.Write(buffer, 0, used);
                    used = 0;
                    if (needed > buffer.Length) buffer = new byte[needed];
                }
                used += MetricsJsonl.Format(record, buffer.AsSpan(used));
            }
            if (used > 0) _metrics.Write(buffer, 0, used);
            _metrics.Flush();
        }
        catch (Exception e)
        {
            // Any failure here must not take the process down from a background thread: it is recorded, the
            // records are dropped, and Complete marks the run failed.
            _writeError ??= e;
        }
    }
}

/// <summary>File names inside a run directory.</summary>
public static class RunFiles
{
    public const string Info = "run.json";
    public const string Metrics = "metrics.jsonl";
    public const string Summary = "summary.json";
    public const string Report = "report.html";
}
