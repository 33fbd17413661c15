namespace Gradscope.Experiments;

/// <summary>Whether a <c>--data</c> value names a data file of your own (docs/data.md) rather than a built-in set or an IDX folder.</summary>
public static class DataFiles
{
    public static bool IsFile(string? source) => source is not null && !Directory.Exists(source) && Data.DataFileOptions.IsDataFile(source);
}
