namespace Gradscope.TorchSharp;

/// <summary>
/// A monitored run cannot go on, or was used wrongly (attached twice, no parameters, a step without backward, a
/// non-finite value). The message says what happened and what to do; the run directory, where one was created, says
/// the same in run.json (status failed, failure).
/// </summary>
public sealed class MonitorException : InvalidOperationException
{
    public MonitorException(string message) : base(message)
    {
    }

    public MonitorException(string message, Exception inner) : base(message, inner)
    {
    }
}
