using System.CommandLine;
using System.CommandLine.Parsing;

namespace Gradscope.Cli;

/// <summary>
/// What a parse error says to the user, in one line: an unknown command or flag with the nearest valid one
/// (<c>tran</c> → <c>train</c>, <c>--epoch</c> → <c>--epochs</c>) and the commands there are.
/// </summary>
public static class ParseErrors
{
    public static string Describe(ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var command = result.CommandResult.Command;
        string path = CommandPath(result.CommandResult);
        var subcommands = command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name).ToList();
        if (result.UnmatchedTokens.Count > 0)
        {
            string token = result.UnmatchedTokens[0];
            if (token.StartsWith('-') && token.Length > 1) return UnknownFlag(result.CommandResult, token.Split('=', 2)[0]);
            if (subcommands.Count > 0)
            {
                string? nearest = Nearest(token, subcommands);
                return $"unknown command '{token}'{(nearest is null ? "." : $"; did you mean '{nearest}'?")} Commands: {string.Join(", ", subcommands)}.";
            }
            return $"unexpected argument '{token}' for '{path}'; '{path} --help' says what it takes.";
        }
        if (subcommands.Count > 0 && command.Action is null)
            return $"no command given. Commands: {string.Join(", ", subcommands)}; '{path} <command> --help' shows one's flags.";
        return result.Errors[0].Message;
    }

    /// <summary>
    /// A flag the parser took as a command's argument (<c>diagnose --verfy</c> reads as a run called "--verfy"):
    /// described like any unknown flag, or null when every argument is a plain value.
    /// </summary>
    public static string? FlagTakenAsArgument(ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var flag = result.CommandResult.Children.OfType<ArgumentResult>().SelectMany(a => a.Tokens)
            .FirstOrDefault(t => t.Value.StartsWith("--", StringComparison.Ordinal) && t.Value.Length > 2);
        return flag is null ? null : UnknownFlag(result.CommandResult, flag.Value.Split('=', 2)[0]);
    }

    private static string UnknownFlag(CommandResult result, string flag)
    {
        string path = CommandPath(result);
        var names = result.Command.Options.Concat(Ancestors(result).SelectMany(c => c.Options.Where(o => o.Recursive)))
            .SelectMany(o => o.Aliases.Prepend(o.Name).Select(name => (Name: name, Option: o)))
            .Where(n => n.Name.StartsWith("--", StringComparison.Ordinal)).ToList();
        string? nearest = Nearest(flag, names.Select(n => n.Name));
        string? canonical = nearest is null ? null : names.First(n => n.Name == nearest).Option.Name;
        return $"unknown flag {flag} for '{path}'; " + (nearest is null
            ? $"'{path} --help' lists its flags."
            : $"did you mean {nearest}{(canonical != nearest ? $" (the same as {canonical})" : "")}?");
    }

    /// <summary>The candidate nearest to <paramref name="typed"/> by edit distance, if near enough to be a slip (or a prefix of it).</summary>
    public static string? Nearest(string typed, IEnumerable<string> candidates)
    {
        ArgumentNullException.ThrowIfNull(typed);
        ArgumentNullException.ThrowIfNull(candidates);
        string bare = typed.TrimStart('-');
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (string candidate in candidates)
        {
            string name = candidate.TrimStart('-');
            int distance = Distance(bare, name);
            // A prefix typed by a hurried hand (--epoch, --verif) counts as near.
            if (bare.Length >= 3 && name.StartsWith(bare, StringComparison.Ordinal)) distance = Math.Min(distance, 1);
            if (distance < bestDistance) (best, bestDistance) = (candidate, distance);
        }
        return best is not null && bestDistance <= Math.Max(2, bare.Length / 3) ? best : null;
    }

    /// <summary>Levenshtein distance: insertions, deletions and substitutions.</summary>
    public static int Distance(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) previous[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1], previous[j]) + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }

    private static string CommandPath(CommandResult result) =>
        string.Join(' ', Ancestors(result).Reverse().Append(result.Command).Select(c => c is RootCommand ? "gradscope" : c.Name));

    private static IEnumerable<Command> Ancestors(CommandResult result)
    {
        for (var parent = result.Parent as CommandResult; parent is not null; parent = parent.Parent as CommandResult)
            yield return parent.Command;
    }
}
