using Spectre.Console;

namespace Gradscope.Cli.Terminal;

/// <summary>Where the CLI writes: Spectre's console, with plain lines when stdout is not a terminal.</summary>
public static class Output
{
    /// <summary>True when stdout is an interactive terminal (progress bars); false for pipes, files and CI.</summary>
    public static bool Interactive => !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    public static void Line(string text = "") => AnsiConsole.WriteLine(Printable(text));

    public static void Markup(string markup) => AnsiConsole.MarkupLine(markup);

    public static void Heading(string text)
    {
        AnsiConsole.WriteLine();
        text = Printable(text);
        if (Interactive) AnsiConsole.Write(new Rule($"[bold]{Spectre.Console.Markup.Escape(text)}[/]").LeftJustified());
        else AnsiConsole.WriteLine($"== {text} ==");
    }

    /// <summary>Terminal columns <paramref name="text"/> takes (wide characters count two).</summary>
    public static int Width(string text) => new Spectre.Console.Rendering.Segment(text).CellCount();

    /// <summary>"1 epoch", "3 epochs", "15,000 steps": a count and its noun, singular only for one.</summary>
    public static string Count(long n, string singular, string? plural = null) => Numbers.Count(n, singular, plural);

    /// <summary>A line on stderr that is neither an error nor a warning: what a stop signal did.</summary>
    public static void Notice(string message) => Console.Error.WriteLine($"gradscope: {Printable(OneLine(message))}");

    public static void Error(string message) => Console.Error.WriteLine($"gradscope: error: {Printable(OneLine(message))}");

    public static void Warning(string message) => Console.Error.WriteLine($"gradscope: warning: {Printable(OneLine(message))}");

    public static string OneLine(string message)
    {
        int cut = message.IndexOfAny(['\n', '\r']);
        return cut < 0 ? message : message[..cut];
    }

    /// <summary>
    /// Text as it may reach a terminal: control characters (an escape sequence in a run name could recolour or
    /// retitle the terminal) and bidirectional overrides written as <c>\x1b</c>, <c>\u202e</c>.
    /// </summary>
    public static string Printable(string text)
    {
        if (!text.Any(IsUnsafe)) return text;
        var sb = new System.Text.StringBuilder(text.Length + 8);
        foreach (char c in text)
        {
            if (!IsUnsafe(c)) sb.Append(c);
            else if (c < 0x100) sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"\\x{(int)c:x2}");
            else sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
        }
        return sb.ToString();
    }

    private static bool IsUnsafe(char c) => char.IsControl(c) || c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069';

    /// <summary>A measured value as every view writes it (<see cref="Numbers.Short"/>), so the terminal and the report agree digit for digit.</summary>
    public static string Sci(double value) => Numbers.Short(value);

    public static string Percent(double value) => Numbers.Percent(value);
}
