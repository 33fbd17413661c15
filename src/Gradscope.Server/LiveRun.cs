using System.Text.Json;

namespace Gradscope.Server;

/// <summary>
/// One run directory as the dashboard sees it while it may still be written: run.json and summary.json re-read when
/// they change, metrics.jsonl tailed from the last offset (<see cref="MetricsTail"/>) into a growing
/// <see cref="RunView"/>, so every number on a page is RunView's. Readers and the refresher share one lock.
/// </summary>
internal sealed class LiveRun
{
    private readonly MetricsTail _tail;
    private readonly List<MetricRecord> _batch = [];
    private DateTime _infoStamp, _summaryStamp, _findingsStamp;

    public LiveRun(string id, string directory)
    {
        Id = id;
        Directory = directory;
        _tail = new MetricsTail(Path.Combine(directory, RunFiles.Metrics));
        Info = ReadInfo() ?? throw new InvalidDataException($"'{directory}' holds no readable {RunFiles.Info}.");
        View = new RunView(Info.Layers, []);
    }

    public string Id { get; }
    public string Directory { get; }
    public object Gate { get; } = new();
    public RunInfo Info { get; private set; }
    public RunView View { get; private set; }
    public IReadOnlyList<Finding> Findings { get; private set; } = [];
    public bool Diagnosed { get; private set; }

    /// <summary>Goes up whenever anything the pages show changed.</summary>
    public long Version { get; private set; }

    /// <summary>Metric records read so far.</summary>
    public long RecordCount { get; private set; }

    /// <summary>Reads what changed on disk since the last call; true when anything did.</summary>
    public bool Refresh()
    {
        lock (Gate)
        {
            bool changed = false;
            if (Changed(RunFiles.Info, ref _infoStamp) && ReadInfo() is { } info)
            {
                Info = info;
                changed = true;
            }
            _batch.Clear();
            var (added, restarted) = _tail.ReadNew(_batch);
            if (restarted)
            {
                View = new RunView(Info.Layers, [], View.Epochs);
                RecordCount = 0;
            }
            if (added > 0 || restarted)
            {
                View.Append(_batch);
                RecordCount += added;
                changed = true;
            }
            _batch.Clear();
            if (Changed(RunFiles.Summary, ref _summaryStamp))
            {
                View.SetEpochs(ReadEpochs());
                changed = true;
            }
            if (Changed(FindingsFile.Name, ref _findingsStamp))
            {
                try
                {
                    Findings = FindingsFile.Read(Directory);
                    Diagnosed = FindingsFile.Exists(Directory);
                    changed = true;
                }
                catch (InvalidDataException)
                {
                    // Mid-write by another tool: read again when it changes next.
                }
            }
            if (changed) Version++;
            return changed;
        }
    }

    private bool Changed(string file, ref DateTime stamp)
    {
        var info = new FileInfo(Path.Combine(Directory, file));
        var now = info.Exists ? info.LastWriteTimeUtc.AddTicks(info.Length) : DateTime.MinValue;
        if (now == stamp) return false;
        stamp = now;
        return true;
    }

    private RunInfo? ReadInfo()
    {
        try
        {
            return RunRecord.ReadInfo(File.ReadAllText(Path.Combine(Directory, RunFiles.Info)));
        }
        catch (Exception e) when (e is IOException or JsonException or InvalidDataException or InvalidOperationException or FormatException or UnauthorizedAccessException)
        {
            return null; // replaced atomically by the writer, so this is a run.json that is not a run's: keep the last good one
        }
    }

    private IReadOnlyList<EpochSummary> ReadEpochs()
    {
        try
        {
            string path = Path.Combine(Directory, RunFiles.Summary);
            return File.Exists(path) ? JsonSerializer.Deserialize<List<EpochSummary>>(File.ReadAllText(path), JsonDefaults.Options) ?? [] : [];
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            return View.Epochs;
        }
    }
}
