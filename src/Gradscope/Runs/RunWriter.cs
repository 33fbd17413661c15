using System.Text.Json;
using Gradscope.IO;
using Gradscope.Probes;

namespace Gradscope.Runs;

/// <summary>
/// Writes a run directory as training goes: run.json (status "running" until <see cref="Complete"/>),
/// metrics.jsonl appended by a background thread and flushed after every batch of records, and summary.json
/// rewritten atomically after each epoch. Adding a record only copies a struct into a buffer, so probes cost
/// the training thread no formatting or I/O.
/// </summary>
public sealed class RunWriter : IMetricSink, IDisposable
{
    private readonly object _gate = new();
    private List<MetricRecord> _pending = new(4096);
    private List<MetricRecord> _draining = new(4096);
    private readonly Thread _thread;
    private readonly FileStream _metrics;
    private readonly List<EpochSummary> _epochs = [];
    private bool _closing;
    private bool _completed;
    private Exception? _writeError;

    private RunWriter(string directory, RunInfo info)
    {
        Directory = directory;
        Info = info;
        WriteInfo(info);
        _metrics = new FileStream(Path.Combine(directory, RunFiles.Metrics), FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16);
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

    public void Add(in MetricRecord record) => AddRange(new ReadOnlySpan<MetricRecord>(in record));

    public void AddRange(ReadOnlySpan<MetricRecord> records)
    {
        lock (_gate)
        {
            // Backpressure: when formatting falls this far behind (every-step probes on a tiny network can produce
            // records faster than one thread writes them), training waits instead of memory growing without bound.
            while (_pending.Count >= MaxPending && !_closing) Monitor.Wait(_gate);
            _pending.AddRange(records);
            if (_pending.Count >= 2048) Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Records held in memory before <see cref="AddRange"/> waits for the writer thread (2²⁰, about 50 MB).</summary>
    internal int MaxPending { get; set; } = 1 << 20;

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
            bool last;
            lock (_gate)
            {
                if (_pending.Count == 0 && !_closing) Monitor.Wait(_gate, 200);
                (_pending, _draining) = (_draining, _pending);
                Monitor.PulseAll(_gate);
                last = _closing;
            }
            try
            {
                int used = 0;
                foreach (var record in _draining)
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
                if (_draining.Count > 0) _metrics.Flush();
            }
            catch (Exception e)
            {
                // Any failure here must not take the process down from a background thread: it is recorded, the
                // records are dropped, and Complete marks the run failed.
                _writeError ??= e;
            }
            _draining.Clear();
            if (last)
            {
                lock (_gate) if (_pending.Count == 0) return;
            }
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
