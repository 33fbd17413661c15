namespace Gradscope.Cli;

/// <summary>Exit codes of the gradscope command (documented in the README).</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The run itself failed (e.g. a non-finite value stopped training).</summary>
    public const int RunFailed = 1;

    /// <summary>Bad input: an unknown flag or value, an unreadable file, an output that cannot be written.</summary>
    public const int BadInput = 2;

    /// <summary>An internal error (a bug): one line naming it, no stack trace. BSD's EX_SOFTWARE.</summary>
    public const int Internal = 70;

    /// <summary>Interrupted by Ctrl+C (SIGINT); the run directory says so.</summary>
    public const int Interrupted = 130;

    /// <summary>Stopped by SIGTERM (timeout, Kubernetes, Slurm); the run directory says interrupted.</summary>
    public const int Terminated = 143;
}
