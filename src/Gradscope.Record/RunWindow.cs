namespace Gradscope.Record;

/// <summary>
/// The stretches of a run that <see cref="RunView.Typical"/> summarises: the whole run, or its first or last fifth
/// of measurements (enough steps to average mini-batch noise away, few enough to stay at one end of training).
/// </summary>
public enum RunWindow
{
    Run,
    FirstFifth,
    LastFifth,
}
