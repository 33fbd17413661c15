using Gradscope.Data;
using Gradscope.Experiments;
using Gradscope.Model;

namespace Gradscope.Cli;

/// <summary>Loads the data an experiment names and checks it fits the network.</summary>
public static class DataLoading
{
    /// <summary>The digits set is a fixed data set: its generation seed never follows a run's seed.</summary>
    public const ulong DigitsSeed = 20101;

    private static readonly Dictionary<(DataSpec, bool, FeatureScaling?), DataSplit> Cache = [];

    public static DataSplit Load(DataSpec data) => Load(data, keepExact: false, scaling: null);

    /// <param name="keepExact">A float64 run: the data's own float64 values (a data file's, byte pixels / 255, the digits rendered in float64).</param>
    /// <param name="scaling">A loaded model's standardisation, applied instead of fitting one.</param>
    public static DataSplit Load(DataSpec data, bool keepExact, FeatureScaling? scaling)
    {
        lock (Cache)
        {
            // Records compare by value, so one file read with the same options is read once (a sweep's trials share it).
            var key = (data, keepExact, scaling);
            if (Cache.TryGetValue(key, out var cached)) return cached;
            DataSplit split;
            try
            {
                // A .npz whose x is [N, T, I] holds sequences (SequenceFile), not a table of rows.
                split = DataFiles.IsFile(data.Source) && !Data.SequenceTasks.IsTask(data.Source) && !SequenceFile.Holds(data.Source)
                    ? FileData.Load(data.Source, data.File ?? new DataFileOptions(), data.Train, data.Test, scaling, keepExact)
                    : DataSources.Load(data.Source, data.Train, data.Test, DigitsSeed, data.Length ?? 0, keepExact);
            }
            catch (ArgumentException e) when (Data.SequenceTasks.IsTask(data.Source)) { throw new UsageException(e.Message); }
            Cache[key] = split;
            return split;
        }
    }

    /// <summary>Loads the data and checks the network's input and output sizes against it.</summary>
    public static DataSplit LoadFor(ExperimentSpec spec, FeatureScaling? scaling = null)
    {
        var split = Load(spec.Data, spec.Precision == "float64", scaling);
        Check(spec, split);
        return split;
    }

    /// <summary>
    /// The spec fitted to the data: input and output sizes from the data unless <paramref name="sizesGiven"/>, and
    /// for real-valued targets a quadratic cost with an identity output unless <paramref name="costGiven"/>.
    /// </summary>
    public static ExperimentSpec Fit(ExperimentSpec spec, DataSplit split, bool sizesGiven, bool costGiven)
    {
        var network = spec.Network;
        // A recurrent net's sizes are per step, fitted to its sequences already (SequenceSpecs.Fit).
        if (!sizesGiven && network.Recurrent is null) network = network with { Layers = [split.Train.InputSize, .. network.Layers[1..^1], split.Train.OutputSize] };
        if (split.IsRegression && !costGiven) network = network with { Cost = "quadratic", OutputActivation = "identity", LayerActivations = null };
        if (split.IsRegression && Cost.Parse(network.Cost) is not Model.Costs.QuadraticCost)
            throw new UsageException($"'{spec.Data.Source}' has real-valued targets (regression): use --cost quadratic (with an identity output, the default for regression), or --task classify.");
        return spec with { Network = network };
    }

    public static void Check(ExperimentSpec spec, DataSplit split)
    {
        int[] layers = spec.Network.Layers;
        if (spec.Network.Recurrent is { } recurrent)
        {
            if (split.Train.Steps != recurrent.Steps || layers[0] != split.Train.StepInputs)
                throw new UsageException($"the recurrent net reads {recurrent.Steps} steps of {layers[0]} inputs but data '{spec.Data.Source}' has {split.Train.Steps} steps of {split.Train.StepInputs}.");
            if (recurrent.EveryStep != split.Train.TargetSteps > 1)
                throw new UsageException(recurrent.EveryStep
                    ? $"--outputs every needs a target at every step, but data '{spec.Data.Source}' has one per sequence (an .npz with y of shape [N, T] labels or [N, T, O])."
                    : $"data '{spec.Data.Source}' has a target at every step: use --outputs every.");
            if (layers[^1] != split.Train.StepOutputs)
                throw new UsageException($"the read-out has {layers[^1]} outputs per step but data '{spec.Data.Source}' has {split.Train.StepOutputs} {(split.Train.HasLabels ? "classes" : "targets")}.");
            return;
        }
        if (layers[0] != split.Train.InputSize)
            throw new UsageException($"--layers starts with {layers[0]} inputs but data '{spec.Data.Source}' has {split.Train.InputSize} per example.");
        if (layers[^1] != split.Train.OutputSize)
            throw new UsageException($"--layers ends with {layers[^1]} outputs but data '{spec.Data.Source}' has {split.Train.OutputSize} {(split.IsRegression ? "targets" : "classes")}.");
    }
}
