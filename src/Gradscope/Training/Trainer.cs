using System.Numerics;
using Gradscope.Data;
using Gradscope.Model;
using Gradscope.Numerics;

namespace Gradscope.Training;

/// <summary>
/// Mini-batch training of one network. Owns the workspace, the shuffle stream and the kernel threads; the
/// steady-state step allocates nothing. Same network, options and data ⇒ bit-identical parameters.
/// </summary>
public sealed class Trainer<T> : IDisposable where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Workspace<T> _ws;
    private readonly Rng _shuffle;
    private readonly ComputePool? _pool;
    private ITrainingObserver<T>[] _observers = [];
    private int[] _order = [];

    public Trainer(Network<T> network, TrainingOptions options, IOptimizer<T>? optimizer = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Network = network;
        Options = options;
        Optimizer = optimizer ?? new Sgd<T>();
        _ws = new Workspace<T>(network, options.BatchSize);
        _shuffle = new Rng(options.Seed).Fork(0x5348_5546); // "SHUF": its own stream
        _pool = options.Threads > 1 ? new ComputePool(options.Threads) : null;
    }

    public Network<T> Network { get; }
    public TrainingOptions Options { get; }
    public IOptimizer<T> Optimizer { get; }
    public ComputePool? Pool => _pool;

    /// <summary>Steps taken so far (the index the next step will have).</summary>
    public long Step { get; private set; }

    /// <summary>Epochs completed so far.</summary>
    public int Epoch { get; private set; }

    /// <summary>Adds an observer; disposing the handle removes it.</summary>
    public IDisposable Attach(ITrainingObserver<T> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        _observers = [.. _observers, observer];
        return new Detacher(this, observer);
    }

    /// <summary>One step of gradient descent on the given examples of <paramref name="data"/>.</summary>
    /// <param name="trainingSetSize">n in the weight decay λ/n; defaults to the data set's size.</param>
    public void TrainBatch(Dataset<T> data, ReadOnlySpan<int> indices, int trainingSetSize = 0)
    {
        CheckData(data);
        _ws.Load(data, indices);
        RunStep(indices.Length, trainingSetSize > 0 ? trainingSetSize : data.Count);
    }

    /// <summary>
    /// One pass over a shuffled copy of the data in mini-batches (the last one may be smaller). Returns false,
    /// with the epoch unfinished, when <paramref name="stop"/> is cancelled (checked between steps).
    /// </summary>
    public bool TrainEpoch(Dataset<T> data, CancellationToken stop = default)
    {
        CheckData(data);
        if (_order.Length != data.Count)
        {
            _order = new int[data.Count];
            for (int i = 0; i < _order.Length; i++) _order[i] = i;
        }
        _shuffle.Shuffle(_order);
        int batch = Options.BatchSize;
        for (int start = 0; start < _order.Length; start += batch)
        {
            int count = Math.Min(batch, _order.Length - start);
            _ws.Load(data, _order.AsSpan(start, count));
            RunStep(count, data.Count);
            if (stop.IsCancellationRequested) return false;
        }
        Epoch++;
        return true;
    }

    private void RunStep(int count, int trainingSetSize)
    {
        var observers = _observers;
        Backprop.Forward(Network, _ws, count, _pool);
        double cost = observers.Length != 0 ? Backprop.BatchCost(Network, _ws, count) : double.NaN;
        var step = new StepInfo(Step, Epoch, count, cost);
        foreach (var observer in observers) observer.OnStepStarting(step);
        Backprop.Backward(Network, _ws, count, _pool, observers, step);
        var context = new UpdateContext(Step, Options.Eta, Options.Lambda / trainingSetSize);
        for (int i = 0; i < Network.Depth; i++)
            Optimizer.Update(Network.Layers[i], _ws.WeightGradient[i], _ws.BiasGradient[i], context);
        foreach (var observer in observers) observer.OnStepCompleted(step, Network);
        Step++;
    }

    private void CheckData(Dataset<T> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.InputSize != Network.InputSize)
            throw new ArgumentException($"Data '{data.Name}' has {data.InputSize} inputs but the network expects {Network.InputSize}.");
        if (data.OutputSize != Network.OutputSize)
            throw new ArgumentException($"Data '{data.Name}' has {data.OutputSize} targets but the network has {Network.OutputSize} outputs.");
        if (data.Count == 0) throw new ArgumentException($"Data '{data.Name}' is empty.");
    }

    public void Dispose() => _pool?.Dispose();

    private sealed class Detacher(Trainer<T> trainer, ITrainingObserver<T> observer) : IDisposable
    {
        private bool _done;

        public void Dispose()
        {
            if (_done) return;
            _done = true;
            var list = trainer._observers.ToList();
            list.Remove(observer);
            trainer._observers = [.. list];
        }
    }
}
