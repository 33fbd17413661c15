using System.Globalization;
using System.Text;

namespace Gradscope.Record;

/// <summary>
/// The per-layer table (<see cref="RunView.Rows"/>) as CSV, one row per layer, values round-tripping exactly: the
/// same numbers the terminal table and the report print, for a spreadsheet.
/// </summary>
public static class LayerTableCsv
{
    public const string Header = "layer,name,units,activation,speed_quantity,speed_at_init,speed_at_end,delta_norm,gain,weight_factor,activation_factor,saturated,dead";

    public static void Write(string path, RunView view)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(view);
        AtomicFile.Write(path, stream => Write(stream, view));
    }

    /// <summary>The table written to a stream (stdout for <c>export --layers -</c>).</summary>
    public static void Write(Stream stream, RunView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        using var w = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true);
        w.WriteLine(Header);
        foreach (var r in view.Rows())
            w.WriteLine(string.Join(",", [
                r.Layer.ToString(CultureInfo.InvariantCulture), Quote(r.Name), r.Units.ToString(CultureInfo.InvariantCulture), Quote(r.Activation), view.SpeedQuantity,
                .. new[] { r.SpeedAtInit, r.SpeedAtEnd, r.DeltaNorm, r.Gain, r.WeightFactor, r.ActivationFactor, r.Saturated, r.Dead }
                    .Select(v => v.ToString("R", CultureInfo.InvariantCulture))]));
    }

    private static string Quote(string text) => text.Contains(',', StringComparison.Ordinal) ? $"\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : text;
}
