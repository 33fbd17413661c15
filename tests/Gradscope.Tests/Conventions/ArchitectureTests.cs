using System.Reflection;
using System.Text.RegularExpressions;

namespace Gradscope.Tests.Conventions;

/// <summary>
/// The dependency arrows of shared/DESIGN.md, checked on the compiled assemblies: record ← engine ← diagnosis;
/// reports read the record alone; nothing below the CLI references the CLI. A test fails naming the arrow that
/// points the wrong way.
/// </summary>
public sealed partial class ArchitectureTests
{
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["Gradscope.Record"] = [],
        ["Gradscope"] = ["Gradscope.Record"],
        ["Gradscope.Reports"] = ["Gradscope.Record"],
        ["Gradscope.Diagnosis"] = ["Gradscope.Record", "Gradscope"],
        ["Gradscope.Server"] = ["Gradscope.Record"],
        ["Gradscope.Cli"] = ["Gradscope.Record", "Gradscope", "Gradscope.Reports", "Gradscope.Diagnosis", "Gradscope.Server"],
    };

    private static Assembly Load(string name) => Assembly.Load(new AssemblyName(name));

    [Theory]
    [InlineData("Gradscope.Record")]
    [InlineData("Gradscope")]
    [InlineData("Gradscope.Reports")]
    [InlineData("Gradscope.Diagnosis")]
    [InlineData("Gradscope.Server")]
    [InlineData("Gradscope.Cli")]
    public void Assembly_ReferencesOnlyTheLayersBelowIt(string name)
    {
        var ours = Load(name).GetReferencedAssemblies().Select(a => a.Name!).Where(n => n.StartsWith("Gradscope", StringComparison.Ordinal)).ToList();
        var wrong = ours.Except(Allowed[name]).ToList();
        Assert.True(wrong.Count == 0, $"{name} must not reference {string.Join(", ", wrong)}");
    }

    [Fact]
    public void Record_NamesNoEngineType()
    {
        // Compiled references say which assemblies are used; this says the record's public surface holds none of the engine's types.
        var engine = Load("Gradscope");
        var leaks = Load("Gradscope.Record").GetExportedTypes()
            .SelectMany(t => t.GetProperties().Select(p => (t, p.PropertyType)))
            .Where(x => x.PropertyType.Assembly == engine).Select(x => $"{x.t.Name}").ToList();
        Assert.Empty(leaks);
    }

    [Fact]
    public void Doctor_ReadsTheRecordNotTheEngine()
    {
        // Diagnosis may run remedies through the experiments API (verify, pre-flight, prescriptions); the doctor's
        // checks themselves read only the record.
        string dir = Path.Combine(RepositoryRoot(), "src", "Gradscope.Diagnosis");
        var offenders = new[] { "Doctor.cs", "Doctor.Checks.cs", "Thresholds.cs", "DiagnosisInput.cs" }
            .Where(f => EngineUsing().IsMatch(File.ReadAllText(Path.Combine(dir, f)))).ToList();
        Assert.True(offenders.Count == 0, "the doctor reads engine types in: " + string.Join(", ", offenders));
    }

    [Fact]
    public void RecordSources_UseNoEngineNamespace()
    {
        string dir = Path.Combine(RepositoryRoot(), "src", "Gradscope.Record");
        var offenders = Directory.EnumerateFiles(dir, "*.cs").Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => EngineUsing().IsMatch(File.ReadAllText(f))).Select(Path.GetFileName).ToList();
        Assert.True(offenders.Count == 0, "engine namespaces in the record: " + string.Join(", ", offenders));
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Gradscope.slnx"))) return dir.FullName;
        throw new DirectoryNotFoundException("Gradscope.slnx not found above the test binaries.");
    }

    [GeneratedRegex(@"\bGradscope\.(Model|Training|Numerics|Probes|Data|Experiments|Cli)\b")]
    private static partial Regex EngineUsing();
}
