namespace Gradscope.Data;

/// <summary>
/// A data file is not what it claims to be: wrong magic number, unsupported element type, truncated, or
/// inconsistent with its companion file. The message is one line that names the file and the problem, so a CLI
/// can print it as-is.
/// </summary>
public sealed class DataFormatException : Exception
{
    public DataFormatException(string path, string problem)
        : base($"{path}: {problem}")
    {
        Path = path;
        Problem = problem;
    }

    public DataFormatException(string path, string problem, Exception inner)
        : base($"{path}: {problem}", inner)
    {
        Path = path;
        Problem = problem;
    }

    /// <summary>The file (or folder) at fault.</summary>
    public string Path { get; }

    /// <summary>What is wrong with it, without the path.</summary>
    public string Problem { get; }
}
