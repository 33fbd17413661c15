using System.Diagnostics;
using System.Text.Json;

namespace Gradscope.TorchSharp.Tests;

/// <summary>
/// The adapter as a user gets it: the three packages packed from this build into a local feed, a fresh project
/// outside the repository that references only <c>Gradscope.TorchSharp</c>, built and run with <c>dotnet run</c>.
/// It passes only if the package carries its build targets (the libstdc++ fix runs in the consumer's build, or
/// TorchSharp's native library does not load on Debian 12), its dependencies resolve, and a monitored loop writes a
/// run record.
/// </summary>
public sealed class PackedInstallTests
{
    private const string Program = """
        using Gradscope.TorchSharp;
        using TorchSharp;
        using static TorchSharp.torch;

        torch.manual_seed(1);
        var model = nn.Sequential(("fc1", nn.Linear(4, 8)), ("act", nn.Sigmoid()), ("fc2", nn.Linear(8, 2)));
        using var optimizer = optim.SGD(model.parameters(), 0.1);
        using var scope = GradscopeMonitor.Attach(model, new MonitorOptions { RunDirectory = args[0], Probes = "standard" });
        for (int i = 0; i < 5; i++)
        {
            optimizer.zero_grad();
            using var x = rand(16, 4);
            using var y = randint(0, 2, [16]);
            using var loss = nn.functional.cross_entropy(model.forward(x), y);
            loss.backward();
            scope.Step(loss);
            optimizer.step();
        }
        scope.Complete();
        Console.WriteLine("packed adapter ran");
        """;

    [TorchFact]
    public void PackedAdapter_ConsumerProjectBuildsRunsAndWritesRunRecord()
    {
        string repo = RepositoryRoot();
        string configuration = typeof(PackedInstallTests).Assembly.Location.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
        // A version no earlier run used, so the NuGet cache never hands back an older pack; removed from it at the end.
        string version = $"0.0.0-packtest.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
        using var dir = new RunDirectory("packed");
        string feed = Path.Combine(dir.Root, "feed"), consumer = Path.Combine(dir.Root, "consumer");
        Directory.CreateDirectory(consumer);
        try
        {
            foreach (string project in new[] { "Gradscope.Record", "Gradscope", "Gradscope.TorchSharp" })
                Dotnet(repo, $"pack src/{project}/{project}.csproj --no-build -c {configuration} -p:PackageVersion={version} -o \"{feed}\"");
            Assert.True(File.Exists(Path.Combine(feed, $"Gradscope.TorchSharp.{version}.nupkg")));

            File.WriteAllText(Path.Combine(consumer, "Consumer.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <ImplicitUsings>enable</ImplicitUsings>
                    <Nullable>enable</Nullable>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="Gradscope.TorchSharp" Version="{version}" />
                  </ItemGroup>
                </Project>
                """);
            File.WriteAllText(Path.Combine(consumer, "Program.cs"), Program);
            File.WriteAllText(Path.Combine(consumer, "nuget.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <clear />
                    <add key="local" value="{feed}" />
                    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
                  </packageSources>
                </configuration>
                """);
            // Outside the repository: no Directory.Build.props or central package versions reach it.
            File.WriteAllText(Path.Combine(dir.Root, "Directory.Build.props"), "<Project />");
            File.WriteAllText(Path.Combine(dir.Root, "Directory.Packages.props"), "<Project />");

            string run = Path.Combine(dir.Root, "run");
            string output = Dotnet(consumer, $"run -c Release -- \"{run}\"");
            Assert.Contains("packed adapter ran", output);
            using var info = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "run.json")));
            Assert.Equal("complete", info.RootElement.GetProperty("status").GetString());
            Assert.True(new FileInfo(Path.Combine(run, "metrics.jsonl")).Length > 0);
        }
        finally
        {
            foreach (string id in new[] { "gradscope.record", "gradscope", "gradscope.torchsharp" })
            {
                string cached = Path.Combine(NuGetCache(), id, version);
                if (Directory.Exists(cached)) Directory.Delete(cached, recursive: true);
            }
        }
    }

    private static string Dotnet(string workingDirectory, string arguments)
    {
        var start = new ProcessStartInfo("dotnet", arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(10))) process.Kill(entireProcessTree: true);
        Assert.True(process.ExitCode == 0, $"dotnet {arguments} exited {process.ExitCode}:\n{stdout}\n{stderr.Result}");
        return stdout;
    }

    private static string NuGetCache() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } packages ? packages
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Gradscope.slnx"))) return dir.FullName;
        throw new InvalidOperationException("The repository root (Gradscope.slnx) is not above the test assembly.");
    }
}
