using System.Net;
using System.Text.RegularExpressions;

namespace Gradscope.Tests.Views;

/// <summary>Reads the numbers back out of what each view printed: terminal tables, HTML tables, progress lines.</summary>
internal static partial class ViewText
{
    /// <summary>The cells of the terminal-table row whose first cell is <paramref name="first"/> (Spectre's │ borders).</summary>
    public static IReadOnlyList<string>? TerminalRow(string output, string first) =>
        output.Split('\n').Select(line => line.Split('│')).Where(c => c.Length > 2)
            .Select(c => c[1..^1].Select(x => x.Trim()).ToList()).FirstOrDefault(c => c[0] == first);

    /// <summary>The decoded text of each cell of the report's Layers table, by the row's first cell.</summary>
    public static Dictionary<string, List<string>> HtmlLayerRows(string html)
    {
        int start = html.IndexOf("<h2>Layers", StringComparison.Ordinal);
        Assert.True(start >= 0, "the report has no Layers table");
        string table = html[start..html.IndexOf("</table>", start, StringComparison.Ordinal)];
        return Row().Matches(table)
            .Select(m => Cell().Matches(m.Value).Select(c => WebUtility.HtmlDecode(Tag().Replace(c.Groups[1].Value, "")).Trim()).ToList())
            .Where(cells => cells.Count > 0).ToDictionary(cells => cells[0]);
    }

    /// <summary>The decoded text of the element with the given class, e.g. the report's verdict.</summary>
    public static string HtmlClass(string html, string element, string cls)
    {
        var m = Regex.Match(html, $"<{element} class=\"{cls}\">(.*?)</{element}>", RegexOptions.Singleline);
        Assert.True(m.Success, $"no <{element} class=\"{cls}\">");
        return WebUtility.HtmlDecode(Tag().Replace(m.Groups[1].Value, "")).Trim();
    }

    [GeneratedRegex("<tr>.*?</tr>", RegexOptions.Singleline)]
    private static partial Regex Row();

    [GeneratedRegex("<td[^>]*>(.*?)</td>", RegexOptions.Singleline)]
    private static partial Regex Cell();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tag();
}
