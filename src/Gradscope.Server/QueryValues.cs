using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Gradscope.Server;

/// <summary>Query-string values read with bounds: anything malformed, too long or out of range is a 400, never a guess.</summary>
internal sealed class QueryValues(HttpRequest request)
{
    public const int MaxLength = 1024;

    public string? Error { get; private set; }

    public string? Text(string name, bool required = false)
    {
        string? value = request.Query.TryGetValue(name, out var v) ? v.ToString() : null;
        if (value is { Length: > MaxLength }) Fail($"'{name}' is longer than {MaxLength} characters");
        else if (required && string.IsNullOrEmpty(value)) Fail($"'{name}' is required");
        return Error is null ? value : null;
    }

    public int Int(string name, int fallback, int min, int max)
    {
        string? text = Text(name);
        if (string.IsNullOrEmpty(text)) return fallback;
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) || n < min || n > max)
        {
            Fail($"'{name}' must be a whole number from {min} to {max}");
            return fallback;
        }
        return n;
    }

    public double Number(string name, double fallback)
    {
        string? text = Text(name);
        if (string.IsNullOrEmpty(text)) return fallback;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) || !double.IsFinite(x) || Math.Abs(x) > 1e15)
        {
            Fail($"'{name}' must be a finite number");
            return fallback;
        }
        return x;
    }

    private void Fail(string message) => Error ??= message;
}
