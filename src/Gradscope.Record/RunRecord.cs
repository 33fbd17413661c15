using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Gradscope.Record;

/// <summary>A run directory read back: its info, per-epoch summary and metrics. Never needs the engine.</summary>
public sealed class RunRecord
{
    private RunRecord(string directory, RunInfo info, IReadOnlyList<EpochSummary> epochs, IReadOnlyList<MetricRecord> metrics)
    {
        Directory = directory;
        Info = info;
        Epochs = epochs;
        Metrics = metrics;
    }

    public string Directory { get; }
    public RunInfo Info { get; }
    public IReadOnlyList<EpochSummary> Epochs { get; }
    public IReadOnlyList<MetricRecord> Metrics { get; }

    public bool IsComplete => Info.Status == RunStatus.Complete;

    /// <summary>Reads a run directory; a missing or malformed run.json is an <see cref="InvalidDataException"/> naming it.</summary>
    public static RunRecord Load(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        string infoPath = Path.Combine(directory, RunFiles.Info);
        if (!System.IO.Directory.Exists(directory)) throw new DirectoryNotFoundException($"Run directory '{directory}' does not exist.");
        if (!File.Exists(infoPath)) throw new InvalidDataException($"'{directory}' is not a run directory (no {RunFiles.Info}).");
        RunInfo info;
        try
        {
            info = ReadInfo(File.ReadAllText(infoPath)) ?? throw new InvalidDataException($"'{infoPath}' is empty.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{infoPath}' is not valid run JSON: {e.Message}");
        }
        catch (Exception e) when (e is InvalidDataException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"'{infoPath}': {e.Message}");
        }
        var epochs = new List<EpochSummary>();
        string summaryPath = Path.Combine(directory, RunFiles.Summary);
        if (File.Exists(summaryPath))
        {
            try
            {
                epochs = JsonSerializer.Deserialize<List<EpochSummary>>(File.ReadAllText(summaryPath), JsonDefaults.Options) ?? [];
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"'{summaryPath}' is not valid JSON: {e.Message}");
            }
        }
        var metrics = new List<MetricRecord>();
        string metricsPath = Path.Combine(directory, RunFiles.Metrics);
        if (File.Exists(metricsPath))
        {
            ReadOnlySpan<byte> bytes;
            using (var stream = new FileStream(metricsPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
            {
                var buffer = new byte[stream.Length];
                stream.ReadExactly(buffer);
                bytes = buffer;
            }
            while (!bytes.IsEmpty)
            {
                int end = bytes.IndexOf((byte)'\n');
                var line = end < 0 ? bytes : bytes[..end];
                if (MetricsJsonl.Parse(line) is { } record) metrics.Add(record);
                bytes = end < 0 ? default : bytes[(end + 1)..];
            }
        }
        return new RunRecord(directory, info, epochs, metrics);
    }

    /// <summary>run.json of either format: today's, or the first (<see cref="RunInfoV1"/>).</summary>
    public static RunInfo? ReadInfo(string json)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        if (node is not System.Text.Json.Nodes.JsonObject root) return null;
        string? format = root["format"] is System.Text.Json.Nodes.JsonValue v && v.TryGetValue<string>(out var f) ? f : null;
        return format switch
        {
            RunInfo.FirstFormat => RunInfoV1.Read(root),
            RunInfo.CurrentFormat => root.Deserialize<RunInfo>(JsonDefaults.Options),
            _ => throw new InvalidDataException($"unknown run format '{format ?? "(none)"}'; this version reads {RunInfo.FirstFormat} and {RunInfo.CurrentFormat}"),
        };
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
    public void ExportCsv(string path)
    {
        AtomicFile.Write(path, stream =>
        {
            using var w = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true);
            w.WriteLine("step,epoch,layer,quantity,index,bin,value");
            foreach (var m in Metrics)
            {
                string prefix = string.Create(CultureInfo.InvariantCulture, $"{m.Step},{m.Epoch},{m.Layer},{m.Quantity},{m.Index}");
                if (m.Values is null) w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{prefix},,{m.Value:R}"));
                else for (int i = 0; i < m.Values.Length; i++) w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{prefix},{i},{m.Values[i]:R}"));
            }
        });
    }
}
