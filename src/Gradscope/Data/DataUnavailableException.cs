namespace Gradscope.Data;

/// <summary>
/// A data set is neither on disk nor downloadable (typically: offline). The message is one line saying where
/// Gradscope looked, what it tried, and what the user can do instead.
/// </summary>
public sealed class DataUnavailableException : Exception
{
    public DataUnavailableException(string message)
        : base(message)
    {
    }

    public DataUnavailableException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
