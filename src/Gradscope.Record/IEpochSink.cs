namespace Gradscope.Record;

/// <summary>A sink that also takes the per-epoch summary (cost and accuracy), as <see cref="RunWriter"/> does.</summary>
public interface IEpochSink
{
    void AddEpoch(EpochSummary summary);
}
