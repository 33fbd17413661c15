using TorchSharp;

namespace Gradscope.TorchSharp.Tests;

/// <summary>
/// A test that needs TorchSharp's native library. Outside CI it is skipped, with the loader's reason, where the
/// library cannot load; under CI (CI=true) it runs and fails, so a broken install never passes silently.
/// </summary>
public sealed class TorchFactAttribute : FactAttribute
{
    private static readonly Lazy<string?> LoadError = new(() =>
    {
        try
        {
            using var probe = torch.ones(1);
            return null;
        }
        catch (Exception e)
        {
            return e.GetBaseException().Message.Split('\n')[0];
        }
    });

    public TorchFactAttribute()
    {
        bool ci = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (!ci && LoadError.Value is { } reason) Skip = $"TorchSharp's native library does not load here: {reason}";
    }
}
