using Spectre.Console;

namespace Gradscope.Cli.Terminal;

/// <summary>Where the CLI writes: Spectre's console, with plain lines when stdout is not a terminal.</summary>
public static class Output
{
    /// <summary>True when stdout is an interactive terminal (progress bars); false for pipes, files and CI.</summary>
    public static bool Interactive => !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    public static void Line(string text = "") => AnsiConsole.WriteLine(text);

    public static void Markup(string markup) => AnsiConsole.MarkupLine(markup);

    public static void Heading(string text)
    {
        AnsiConsole.WriteLine();
        if (Interactive) AnsiConsole.Write(new Rule($"[bold]{Spectre.Console.Markup.Escape(text)}[/]").LeftJustified());
        else AnsiConsole.WriteLine($"== {text} ==");
    }

    public static void Error(string message) => Console.Error.WriteLine($"gradscope: error: {OneLine(message)}");

    public static string OneLine(string message)
    {
        int cut = message.IndexOfAny(['\n', '\r']);
        return cut < 0 ? message : message[..cut];
    }

    /// <summary>A measured value as every view writes it (<see cref="Numbers.Short"/>), so the terminal and the report agree digit for digit.</summary>
    public static string Sci(double value) => Numbers.Short(value);

    public static string Percent(double value) => Numbers.Percent(value);
}
