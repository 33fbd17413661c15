using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Gradscope.Record;

/// <summary>A run directory read back: its info, per-epoch summary and metrics. Never needs the engine.</summary>
public sealed class RunRecord
{
    private RunRecord(string directory, RunInfo info, IReadOnlyList<EpochSummary> epochs, IReadOnlyList<MetricRecord> metrics, int skipped)
    {
        Directory = directory;
        Info = info;
        Epochs = epochs;
        Metrics = metrics;
        SkippedMetricLines = skipped;
    }

    public string Directory { get; }
    public RunInfo Info { get; }
    public IReadOnlyList<EpochSummary> Epochs { get; }
    public IReadOnlyList<MetricRecord> Metrics { get; }

    /// <summary>
    /// Lines of metrics.jsonl that were skipped because they are not records (malformed JSON, a field of the wrong
    /// type, a histogram with the wrong number of bins). A cut-off last line, the mark of a run that was killed
    /// while writing, is skipped without being counted.
    /// </summary>
    public int SkippedMetricLines { get; }

    public bool IsComplete => Info.Status == RunStatus.Complete;

    /// <summary>Longest metrics line read; a longer one is skipped as malformed.</summary>
    internal const int MaxLineBytes = 64 << 20;

    /// <summary>
    /// Reads a run directory; a missing or malformed run.json or summary.json is an <see cref="InvalidDataException"/>
    /// naming the file and the field. Only regular files are read, each bounded in size.
    /// </summary>
    public static RunRecord Load(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        string infoPath = Path.Combine(directory, RunFiles.Info);
        if (!System.IO.Directory.Exists(directory)) throw new DirectoryNotFoundException($"Run directory '{directory}' does not exist.");
        if (RegularFile.KindOf(infoPath) == RegularFile.Kind.Missing) throw new InvalidDataException($"'{directory}' is not a run directory (no {RunFiles.Info}).");
        RunInfo info;
        try
        {
            info = ReadInfo(RegularFile.ReadAllText(infoPath)) ?? throw new InvalidDataException("the file must hold an object");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{infoPath}' is not valid run JSON: {e.Message}");
        }
        catch (Exception e) when (e is InvalidDataException or InvalidOperationException or FormatException or OverflowException)
        {
            throw new InvalidDataException($"'{infoPath}': {e.Message}");
        }
        var epochs = new List<EpochSummary>();
        string summaryPath = Path.Combine(directory, RunFiles.Summary);
        if (RegularFile.KindOf(summaryPath) != RegularFile.Kind.Missing)
        {
            try
            {
                var node = System.Text.Json.Nodes.JsonNode.Parse(RegularFile.ReadAllText(summaryPath), documentOptions: DocumentOptions);
                JsonShape.Check<List<EpochSummary>>(node);
                epochs = node.Deserialize<List<EpochSummary>>(JsonDefaults.Options) ?? [];
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"'{summaryPath}' is not valid JSON: {e.Message}");
            }
            catch (Exception e) when (e is InvalidDataException or InvalidOperationException or FormatException)
            {
                throw new InvalidDataException($"'{summaryPath}': {e.Message}");
            }
        }
        var metrics = new List<MetricRecord>();
        int skipped = 0;
        string metricsPath = Path.Combine(directory, RunFiles.Metrics);
        if (RegularFile.KindOf(metricsPath) != RegularFile.Kind.Missing) skipped = ReadMetrics(metricsPath, metrics);
        return new RunRecord(directory, info, epochs, metrics, skipped);
    }

    /// <summary>
    /// Reads metrics.jsonl as it was when opened (a live run keeps appending) in bounded chunks, so the file's size
    /// is never one allocation; returns the number of malformed lines skipped.
    /// </summary>
    private static int ReadMetrics(string path, List<MetricRecord> metrics)
    {
        using var stream = RegularFile.OpenRead(path, 1);
        long remaining = stream.Length;
        var buffer = new byte[1 << 20];
        int filled = 0, skipped = 0;
        long read = 0;
        bool discarding = false;
        while (true)
        {
            int n = remaining > 0 ? stream.Read(buffer, filled, (int)Math.Min(buffer.Length - filled, remaining)) : 0;
            remaining -= n;
            filled += n;
            int consumed = 0;
            while (buffer.AsSpan(consumed, filled - consumed).IndexOf((byte)'\n') is var end and >= 0)
            {
                if (discarding) discarding = false; // the end of a line already counted as too long
                else Add(buffer.AsSpan(consumed, end), metrics, ref skipped);
                consumed += end + 1;
            }
            buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
            filled -= consumed;
            read += consumed;
            MetricsTail.Reserve(metrics, metrics.Count, read, remaining + filled);
            if (n == 0)
            {
                // A last line without its newline is the cut-off tail of a killed run: kept if whole, never counted.
                if (filled > 0 && !discarding && MetricsJsonl.Parse(buffer.AsSpan(0, filled)) is { } last) metrics.Add(last);
                return skipped;
            }
            if (filled == buffer.Length)
            {
                if (buffer.Length < MaxLineBytes) Array.Resize(ref buffer, buffer.Length * 2);
                else
                {
                    skipped += discarding ? 0 : 1;
                    discarding = true;
                    filled = 0;
                }
            }
        }
    }

    private static void Add(ReadOnlySpan<byte> line, List<MetricRecord> metrics, ref int skipped)
    {
        if (MetricsJsonl.Parse(line, out bool malformed) is { } record) metrics.Add(record);
        else if (malformed) skipped++;
    }

    private static readonly JsonDocumentOptions DocumentOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>run.json of either format: today's, or the first (<see cref="RunInfoV1"/>).</summary>
    public static RunInfo? ReadInfo(string json)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(json, documentOptions: DocumentOptions);
        if (node is not System.Text.Json.Nodes.JsonObject root) return null;
        string? format = root["format"] is System.Text.Json.Nodes.JsonValue v && v.TryGetValue<string>(out var f) ? f : null;
        var info = format switch
        {
            RunInfo.FirstFormat => RunInfoV1.Read(root),
            RunInfo.CurrentFormat => Current(root),
            _ => throw new InvalidDataException($"unknown run format '{format ?? "(none)"}'; this version reads {RunInfo.FirstFormat} and {RunInfo.CurrentFormat}"),
        };
        // A run refused before it began (a model with no parameters, say) is failed with no layers; any other run has layers.
        if (info.Layers.Count == 0 && info.Status != RunStatus.Failed) throw new InvalidDataException("field layers must list at least one layer");
        return info;
    }

    private static RunInfo Current(System.Text.Json.Nodes.JsonObject root)
    {
        JsonShape.Check<RunInfo>(root);
        return root.Deserialize<RunInfo>(JsonDefaults.Options) ?? throw new InvalidDataException("the file must hold an object");
    }

    /// <summary>Scalar series of a quantity for one layer: (step, value) in step order.</summary>
    public IReadOnlyList<(long Step, double Value)> Series(string quantity, int layer) =>
        ByQuantity[(quantity, layer)].Select(m => (m.Step, m.Value)).ToList();

    /// <summary>The metrics by quantity and layer, in file order, built on first use: tables ask for many series.</summary>
    private ILookup<(string Quantity, int Layer), MetricRecord> ByQuantity => _byQuantity ??= Metrics.ToLookup(m => (m.Quantity, m.Layer));
    private ILookup<(string Quantity, int Layer), MetricRecord>? _byQuantity;

    /// <summary>
    /// Writes every metric as long-format CSV (step,epoch,layer,quantity,index,bin,value): one row per scalar,
    /// one row per element of a vector, ready for pandas or a spreadsheet pivot.
    /// </summary>
    public void ExportCsv(string path) => AtomicFile.Write(path, ExportCsv);

    /// <summary>The long-format CSV written to a stream (stdout for <c>export --csv -</c>).</summary>
    public void ExportCsv(Stream stream)
    {
        using var w = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true);
        w.WriteLine("step,epoch,layer,quantity,index,bin,value");
        foreach (var m in Metrics)
        {
            string prefix = string.Create(CultureInfo.InvariantCulture, $"{m.Step},{m.Epoch},{m.Layer},{m.Quantity},{m.Index}");
            if (m.Values is null) w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{prefix},,{m.Value:R}"));
            else for (int i = 0; i < m.Values.Length; i++) w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{prefix},{i},{m.Values[i]:R}"));
        }
    }
}
