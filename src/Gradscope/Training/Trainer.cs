using System.Numerics;
using System.Numerics.Tensors;
using Gradscope.Data;
using Gradscope.Model;
using Gradscope.Numerics;
using Gradscope.Observation;

namespace Gradscope.Training;

/// <summary>
/// Mini-batch training of one network. Owns the workspace, the shuffle stream and the kernel threads; the
/// steady-state step allocates nothing. Same network, options and data ⇒ bit-identical parameters.
/// </summary>
public sealed class Trainer<T> : IDisposable, IO.ICheckpointable where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Workspace<T> _ws;
    private readonly Rng _shuffle;
    private readonly ComputePool? _pool;
    private readonly UpdateNorms[] _updateNorms;
    private ITrainingObserver<T>[] _observers = [];
    private int[] _order = [];
    private int _position; // next example of _order; 0 between epochs

    public Trainer(Network<T> network, TrainingOptions options, IOptimizer<T>? optimizer = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Network = network;
        Options = options;
        if (options.LayerRates is { } rates && rates.Length != network.Depth)
            throw new ArgumentException($"{rates.Length} layer rates given for {network.Depth} weight layers.");
        Optimizer = optimizer ?? OptimizerFactory.Create(options, network);
        // An optimiser that reads the layer views (K-FAC) is the first observer of every step.
        if (Optimizer is ITrainingObserver<T> watcher) _observers = [watcher];
        _ws = new Workspace<T>(network, options.BatchSize);
        _updateNorms = new UpdateNorms[network.Parameters.Count];
        _shuffle = new Rng(options.Seed).Fork(0x5348_5546); // "SHUF": its own stream
        _pool = options.Threads > 1 ? new ComputePool(options.Threads) : null;
    }

    public Network<T> Network { get; }
    public TrainingOptions Options { get; }
    public IOptimizer<T> Optimizer { get; }
    public ComputePool? Pool => _pool;

    /// <summary>Steps taken so far (the index the next step will have).</summary>
    public long Step { get; private set; }

    /// <summary>‖g‖ over every layer before clipping, at the last step (NaN when clipping is off).</summary>
    public double LastGradientNorm { get; private set; } = double.NaN;

    /// <summary>Whether clipping changed the gradient at the last step.</summary>
    public bool LastStepClipped { get; private set; }

    /// <summary>Epochs completed so far.</summary>
    public int Epoch { get; private set; }

    /// <summary>
    /// Called after every step of <see cref="TrainEpoch"/>, once <see cref="Step"/> and the epoch position have
    /// advanced: where a checkpoint can be taken. Null (the default) costs nothing.
    /// </summary>
    public Action? AfterStep { get; set; }

    /// <summary>Whether an epoch is under way (a resumed run continues it before shuffling again).</summary>
    public bool MidEpoch => _position > 0;

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
        if (_position == 0)
        {
            if (_order.Length != data.Count)
            {
                _order = new int[data.Count];
                for (int i = 0; i < _order.Length; i++) _order[i] = i;
            }
            _shuffle.Shuffle(_order);
        }
        else if (_order.Length != data.Count)
            throw new InvalidOperationException($"The epoch under way is over {_order.Length} examples, not {data.Count}.");
        int batch = Options.BatchSize;
        while (_position < _order.Length)
        {
            int count = Math.Min(batch, _order.Length - _position);
            _ws.Load(data, _order.AsSpan(_position, count));
            RunStep(count, data.Count);
            _position += count;
            if (_position == _order.Length)
            {
                _position = 0;
                Epoch++;
            }
            AfterStep?.Invoke();
            if (stop.IsCancellationRequested) return false;
            if (_position == 0) return true;
        }
        return true;
    }

    private void RunStep(int count, int trainingSetSize)
    {
        var observers = _observers;
        Backprop.Forward(Network, _ws, count, _pool, ForwardMode.Training);
        bool wantsCost = false;
        foreach (var observer in observers) wantsCost |= observer.WantsBatchCost;
        double cost = wantsCost ? Backprop.BatchCost(Network, _ws, count) : double.NaN;
        var step = new StepInfo(Step, Epoch, count, cost);
        foreach (var observer in observers) observer.OnStepStarting(step);
        Backprop.Backward(Network, _ws, count, _pool, observers, step);
        var gradients = Clip();
        foreach (var observer in observers) observer.OnGradientsReady(step, gradients);
        Optimizer.BeginUpdate(step, _ws);

        // Update norms are honoured by an optimiser that can measure in its own pass; with clipping the gradient it
        // sees is no longer the data gradient observers expect, so they measure it themselves.
        var needs = Needs.None;
        foreach (var observer in observers) needs |= observer.Needs;
        var measuring = gradients.Clipping ? null : Optimizer as IMeasuredUpdate<T>;
        bool measure = measuring is not null && needs.WantsUpdateNorms;
        double decay = Options.Lambda / trainingSetSize;
        // Indexed loops throughout: enumerating the read-only lists would allocate every step.
        for (int l = 1; l <= Network.Depth; l++)
        {
            var layer = Network.Layer(l);
            double eta = StepSize(layer);
            for (int s = 0; s < layer.Parameters.Count; s++)
            {
                var parameter = layer.Parameters[s];
                var context = parameter.IsDecayed
                    ? new UpdateContext(Step, eta * Options.WeightRate, decay)
                    : new UpdateContext(Step, eta * Options.BiasRate, 0);
                var gradient = _ws.GradientOf(parameter);
                var kinds = measure ? needs.UpdateNormsOf(parameter.Role) : UpdateNormKinds.None;
                if (kinds != UpdateNormKinds.None) _updateNorms[parameter.Index] = measuring!.UpdateMeasured(parameter, gradient, context, kinds);
                else
                {
                    Optimizer.Update(parameter, gradient, context);
                    if (measure) _updateNorms[parameter.Index] = UpdateNorms.NotMeasured;
                }
            }
        }
        if (measure)
            foreach (var observer in observers) observer.OnUpdated(step, _updateNorms);
        foreach (var observer in observers) observer.OnStepCompleted(step, Network);
        Step++;
    }

    /// <summary>
    /// η_l = η · rate_l, times the trust ratio τ‖W^l‖/‖∂C/∂W^l‖ when it is on (You et al. 2017's LARS), which
    /// makes ‖ΔW^l‖/‖W^l‖ ≈ ητ in every layer whatever the layer's gradient scale. It applies to every parameter of layer l.
    /// </summary>
    private double StepSize(ILayer<T> layer)
    {
        double eta = Options.Eta * Options.LayerRate(layer.Index);
        if (Options.TrustRatio > 0 && Network.Find(layer.Index, ParameterRole.Weight) is { } weights)
        {
            double w = double.CreateTruncating(TensorPrimitives.Norm<T>(weights.Values));
            double g = double.CreateTruncating(TensorPrimitives.Norm<T>(_ws.GradientOf(weights)));
            if (w > 0 && g > 0 && double.IsFinite(w / g)) eta *= Options.TrustRatio * w / g;
        }
        return eta;
    }

    /// <summary>
    /// Clipping by global norm (Pascanu et al. 2013: if ‖g‖ ≥ τ then g ← τ g/‖g‖, over every parameter together, so
    /// the direction is kept) and then by value (each component into [−v, v]).
    /// </summary>
    private GradientSummary Clip()
    {
        double tau = Options.ClipNorm, limit = Options.ClipValue;
        if (tau == 0 && limit == 0)
        {
            LastGradientNorm = double.NaN;
            LastStepClipped = false;
            return default;
        }
        double squares = 0;
        for (int l = 1; l <= Network.Depth; l++)
        {
            // Summed per layer, then over layers: the order the norm has always been taken in.
            var parameters = Network.Layer(l).Parameters;
            double layerSquares = 0;
            for (int s = 0; s < parameters.Count; s++) layerSquares += SumOfSquares(_ws.GradientOf(parameters[s]));
            squares += layerSquares;
        }
        double norm = Math.Sqrt(squares);
        bool clipped = false;
        if (tau > 0 && norm >= tau)
        {
            clipped = true;
            T scale = T.CreateTruncating(tau / norm);
            for (int p = 0; p < Network.Parameters.Count; p++)
            {
                var g = _ws.GradientOf(Network.Parameters[p]);
                TensorPrimitives.Multiply(g, scale, g);
            }
        }
        if (limit > 0)
        {
            T hi = T.CreateTruncating(limit), lo = -hi;
            for (int p = 0; p < Network.Parameters.Count; p++) clipped |= ClampValues(_ws.GradientOf(Network.Parameters[p]), lo, hi);
        }
        LastGradientNorm = norm;
        LastStepClipped = clipped;
        return new GradientSummary(true, norm, clipped);
    }

    private static double SumOfSquares(ReadOnlySpan<T> x) => x.IsEmpty ? 0 : double.CreateTruncating(TensorPrimitives.SumOfSquares(x));

    private static bool ClampValues(Span<T> x, T lo, T hi)
    {
        if (x.IsEmpty || (TensorPrimitives.Max(x) <= hi && TensorPrimitives.Min(x) >= lo)) return false;
        TensorPrimitives.Clamp(x, lo, hi, x);
        return true;
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

    /// <summary>
    /// Step, epoch, the shuffle stream, this epoch's order and position, then the optimiser's state: with the network's
    /// parameters, all a run needs to continue bit for bit.
    /// </summary>
    public void WriteState(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(Step);
        writer.Write(Epoch);
        _shuffle.WriteState(writer);
        IO.StateIO.Write<int>(writer, _order);
        writer.Write(_position);
        writer.Write(Optimizer.Name);
        if (Optimizer is IO.ICheckpointable state) state.WriteState(writer);
    }

    public void ReadState(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        Step = reader.ReadInt64();
        Epoch = reader.ReadInt32();
        _shuffle.ReadState(reader);
        _order = IO.StateIO.Read<int>(reader);
        _position = reader.ReadInt32();
        if (_position < 0 || _position > _order.Length) throw new InvalidDataException($"checkpoint: bad epoch position {_position}.");
        string optimizer = reader.ReadString();
        if (optimizer != Optimizer.Name) throw new InvalidDataException($"checkpoint was written by optimiser '{optimizer}', this run uses '{Optimizer.Name}'.");
        if (Optimizer is IO.ICheckpointable state) state.ReadState(reader);
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
