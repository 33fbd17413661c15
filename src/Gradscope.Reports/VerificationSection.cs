using System.Globalization;
using System.Text;
using static Gradscope.Reports.HtmlPage;

namespace Gradscope.Reports;

/// <summary>
/// The report's section for <c>diagnose --verify</c> (verification.json): each prescription as it ran — its flags
/// and the whole spec with η — beside the unchanged spec on the same budget, and whether it helped.
/// </summary>
internal static class VerificationSection
{
    public static string Render(RunRecord run)
    {
        VerificationFile? file;
        try
        {
            file = VerificationFile.Read(run.Directory);
        }
        catch (InvalidDataException e)
        {
            return $"<h2>Verified prescriptions</h2><p class=\"note\">{E(e.Message)}</p>\n";
        }
        if (file is null) return "";
        var rows = file.Results.Prepend(file.Baseline).ToList();
        string budget = file.Examples > 0 ? $"{file.Examples.ToString("N0", CultureInfo.InvariantCulture)} training examples each, " : "";
        var sb = new StringBuilder($"""
            <h2>Verified prescriptions <small>diagnose --verify: {budget}same seed and data; {file.Results.Count(r => r.Helped)} of {file.Results.Count} helped</small></h2>
            <div class="card table"><table>
            <tr><th class="l">prescription</th><th class="l">flags</th><th class="l">ran with</th><th>{E(SpeedRatio.Name)} (end)</th><th>cost</th><th>accuracy</th><th class="l">verdict</th><th>seconds</th></tr>

            """);
        foreach (var r in rows)
        {
            string verdictClass = ReferenceEquals(r, file.Baseline) ? "l" : r.Helped ? "l good" : "l bad";
            sb.Append($"<tr><td class=\"l\">{E(r.Name)}</td><td class=\"l\"><code>{E(r.Flags.Length == 0 ? "—" : r.Flags)}</code></td>")
              .Append($"<td class=\"l\">{E(r.SpecLine)}</td><td>{E(Format.Ratio(r.FirstToLastRatio))}</td><td>{E(Format.Short(r.Cost))}</td>")
              .Append($"<td>{E(Format.Percent(r.Accuracy))}</td><td class=\"{verdictClass}\">{E(r.Verdict)}</td>")
              .Append($"<td>{E(r.Seconds.ToString("0.0", CultureInfo.InvariantCulture))}</td></tr>\n");
        }
        return sb.Append("</table></div>\n").ToString();
    }
}
