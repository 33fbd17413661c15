namespace Gradscope.Record;

/// <summary>How much a finding matters: info (worth knowing), warning (slows training), critical (training fails).</summary>
public static class Severity
{
    public const string Info = "info";
    public const string Warning = "warning";
    public const string Critical = "critical";

    public static int Rank(string severity) => severity switch { Critical => 0, Warning => 1, _ => 2 };
}
