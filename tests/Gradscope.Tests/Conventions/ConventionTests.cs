using System.Text.RegularExpressions;

namespace Gradscope.Tests.Conventions;

/// <summary>House rules that code review alone would let slip: enforced on the source tree.</summary>
public sealed partial class ConventionTests
{
    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Gradscope.slnx"))) return dir.FullName;
        throw new DirectoryNotFoundException("Gradscope.slnx not found above the test binaries.");
    }

    private static IEnumerable<(string Path, string Text)> LibrarySources() =>
        new[] { "src/Gradscope", "src/Gradscope.Reports" }
            .SelectMany(d => Directory.EnumerateFiles(Path.Combine(RepositoryRoot(), d), "*.cs", SearchOption.AllDirectories))
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(p => (p, File.ReadAllText(p)));

    [Fact]
    public void Libraries_UseOnlyTheSeededRng()
    {
        var offenders = LibrarySources().Where(f => UnseededRandom().IsMatch(f.Text)).Select(f => f.Path).ToList();
        Assert.True(offenders.Count == 0, "unseeded randomness in: " + string.Join(", ", offenders));
    }

    [Fact]
    public void Libraries_NeverWriteToTheConsole()
    {
        var offenders = LibrarySources().Where(f => ConsoleWrite().IsMatch(f.Text)).Select(f => f.Path).ToList();
        Assert.True(offenders.Count == 0, "console output in: " + string.Join(", ", offenders));
    }

    [Fact]
    public void Sources_HaveNoStubs()
    {
        var offenders = LibrarySources()
            .Concat(Directory.EnumerateFiles(Path.Combine(RepositoryRoot(), "src/Gradscope.Cli"), "*.cs", SearchOption.AllDirectories).Select(p => (p, File.ReadAllText(p))))
            .Where(f => f.Item2.Contains("NotImplementedException", StringComparison.Ordinal)).Select(f => f.Item1).ToList();
        Assert.True(offenders.Count == 0, "stubs in: " + string.Join(", ", offenders));
    }

    [GeneratedRegex(@"new\s+(System\.)?Random\s*\(|Random\.Shared")]
    private static partial Regex UnseededRandom();

    [GeneratedRegex(@"Console\.(Write|WriteLine|Out|Error)\b")]
    private static partial Regex ConsoleWrite();
}
