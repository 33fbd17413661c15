using Gradscope.Data;
using Gradscope.Experiments;

namespace Gradscope.Cli;

/// <summary>Loads the data an experiment names and checks it fits the network.</summary>
public static class DataLoading
{
    /// <summary>The digits set is a fixed data set: its generation seed never follows a run's seed.</summary>
    public const ulong DigitsSeed = 20101;

    private static readonly Dictionary<(string, int, int, int), DataSplit> Cache = [];

    public static DataSplit Load(DataSpec data)
    {
        lock (Cache)
        {
            var key = (data.Source, data.Train, data.Test, data.Length ?? 0);
            if (Cache.TryGetValue(key, out var cached)) return cached;
            DataSplit split;
            try { split = DataSources.Load(data.Source, data.Train, data.Test, DigitsSeed, data.Length ?? 0); }
            catch (ArgumentException e) when (Data.SequenceTasks.IsTask(data.Source)) { throw new UsageException(e.Message); }
            Cache[key] = split;
            return split;
        }
    }

    /// <summary>Loads the data and checks the network's input and output sizes against it.</summary>
    public static DataSplit LoadFor(ExperimentSpec spec)
    {
        var split = Load(spec.Data);
        int[] layers = spec.Network.Layers;
        if (spec.Network.Recurrent is { } recurrent)
        {
            if (split.Train.Steps != recurrent.Steps || layers[0] != split.Train.StepInputs)
                throw new UsageException($"the recurrent net reads {recurrent.Steps} steps of {layers[0]} inputs but data '{spec.Data.Source}' has {split.Train.Steps} steps of {split.Train.StepInputs}.");
        }
        else if (layers[0] != split.Train.InputSize)
            throw new UsageException($"--layers starts with {layers[0]} inputs but data '{spec.Data.Source}' has {split.Train.InputSize} per example.");
        if (layers[^1] != split.Train.OutputSize)
            throw new UsageException($"--layers ends with {layers[^1]} outputs but data '{spec.Data.Source}' has {split.Train.OutputSize} classes.");
        return split;
    }
}
