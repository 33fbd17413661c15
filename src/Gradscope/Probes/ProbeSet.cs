using System.Numerics;
using System.Numerics.Tensors;
using Gradscope.Data;
using Gradscope.Model;
using Gradscope.Numerics;
using Gradscope.Observation;
using Gradscope.Training;

namespace Gradscope.Probes;

/// <summary>
/// The probes, as one training observer: on each due step it measures, per layer, the factors of the gradient
/// product and writes <see cref="MetricRecord"/>s to a sink. Quantities are defined in docs/run-record.md; the
/// gain of layer l is ‖δ^l‖/‖δ^{l+1}‖ = weight factor × activation factor, with each norm the root-mean-square over the batch of the per-example norms.
/// </summary>
public sealed partial class ProbeSet<T> : ITrainingObserver<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Network<T> _network;
    private readonly IMetricSink _sink;
    private readonly Schedule _norms, _statistics, _update, _reference, _histograms, _spectral, _jacobian;
    private readonly Dataset<T>? _referenceData;
    private readonly Workspace<T>? _referenceWs;
    private readonly double[] _deltaNorm;
    private readonly Parameter<T>[] _weights; // W^l of each layer, index l − 1
    private readonly bool _plainChain;
    private readonly T[][] _weightSnapshot;
    private readonly double[][] _spectralVector;
    private readonly double[] _histogram = new double[Histogram.Count];
    // The step's records. Only the count is reset between steps: clearing 2.8 KB of structs with references every
    // step cost more than some probes, and what the old slots still point to are constant names or old histograms.
    private MetricRecord[] _buffer = new MetricRecord[256];
    private int _buffered;
    private T[] _costScratch = [];
    private bool _normsDue, _statisticsDue, _updateDue, _referenceDue, _histogramsDue;

    // Once the optimiser has shown it measures ‖∂C/∂W‖, ‖W‖ and ‖ΔW‖ in its own pass (OnUpdated), those three wait
    // for it instead of costing the probes a pass each over the largest arrays of the step.
    private bool _fused, _deferred;
    private int _forwardNonFinite, _backwardNonFinite, _updateNonFinite;
    private long _clipSteps, _clippedSteps;

    public ProbeSet(Network<T> network, ProbeOptions options, IMetricSink sink, Dataset<T>? referenceData = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(sink);
        options.Validate();
        _network = network;
        _sink = sink;
        Options = options;
        _norms = Schedule.Parse(options.Norms);
        _statistics = Schedule.Parse(options.Statistics);
        _update = Schedule.Parse(options.UpdateRatio);
        _reference = Schedule.Parse(options.Reference);
        _histograms = Schedule.Parse(options.Histograms);
        _spectral = Schedule.Parse(options.Spectral);
        _jacobian = Schedule.Parse(options.Jacobian);
        bool needsReference = _reference != Schedule.Never || _jacobian != Schedule.Never;
        if (needsReference && referenceData is not null)
        {
            _referenceData = referenceData.Take(options.ReferenceSize);
            _referenceWs = new Workspace<T>(network, _referenceData.Count);
        }
        int depth = network.Depth;
        _weights = new Parameter<T>[depth];
        for (int l = 1; l <= depth; l++)
            _weights[l - 1] = network.Find(l, ParameterRole.Weight)
                ?? throw new ArgumentException($"Probes read a weight matrix in every layer; layer {l} has none.");
        // The Jacobian product knows plain dense layers only.
        _plainChain = network.Layers.All(layer => layer is Model.Layers.DenseLayer<T>);
        _deltaNorm = new double[depth + 2];
        _weightSnapshot = new T[depth][];
        _spectralVector = new double[depth][];
        for (int i = 0; i < depth; i++)
        {
            if (_update != Schedule.Never) _weightSnapshot[i] = new T[_weights[i].Length];
            if (_spectral != Schedule.Never) _spectralVector[i] = new double[_weights[i].Columns];
        }
    }

    public ProbeOptions Options { get; }

    /// <summary>
    /// The run's last step (0-based), set by whoever knows the run's length: every schedule is due there too, so
    /// "at end" is measured at the end (RunView.AtEnd). −1 (the default) adds no step.
    /// </summary>
    public long FinalStep { get; set; } = -1;

    /// <summary>The first non-finite value seen, or null. Training loops should stop when it is set.</summary>
    public NonFiniteFinding? NonFinite { get; private set; }

    public void OnStepStarting(in StepInfo step)
    {
        long s = step.Step;
        _normsDue = Due(_norms, s);
        _statisticsDue = Due(_statistics, s);
        _updateDue = Due(_update, s);
        _histogramsDue = Due(_histograms, s);
        _referenceDue = _referenceWs is not null && Due(_reference, s);
        _forwardNonFinite = int.MaxValue;
        _updateNonFinite = int.MaxValue;
        _backwardNonFinite = 0;
        _deferred = _fused;

        if (_referenceDue) MeasureReference(step);
        if (_referenceWs is not null && Due(_jacobian, s) && _plainChain) MeasureJacobian(step);
        if (Due(_spectral, s))
        {
            for (int i = 0; i < _network.Depth; i++)
            {
                var w = _weights[i];
                bool cold = _spectralVector[i].AsSpan().IndexOfAnyExcept(0.0) < 0;
                double sigma = LinearAlgebra.SpectralNorm<T>(w.Values, w.Rows, w.Columns, _spectralVector[i], cold ? 200 : 20);
                Emit(step, w.Layer, Quantity.SpectralNorm, sigma);
            }
        }
        if (_updateDue && !_deferred)
            for (int i = 0; i < _network.Depth; i++) _weights[i].Values.CopyTo(_weightSnapshot[i], 0);
    }

    /// <summary>
    /// On the steps the norms are due, ‖δ‖ and ‖∂C/∂a‖ are summed by backprop as it forms them, and ‖∂C/∂W‖, ‖W‖,
    /// ‖ΔW‖ by the optimiser as it steps (when it can). Asked after OnStepStarting, so it reflects this step's
    /// schedules: steps with nothing due keep the engine's plain loops.
    /// </summary>
    public Needs Needs
    {
        get
        {
            var kinds = (_normsDue ? UpdateNormKinds.Gradient : 0)
                | (_statisticsDue ? UpdateNormKinds.Weights : 0)
                | (_updateDue ? UpdateNormKinds.Weights | UpdateNormKinds.Change : 0);
            var needs = kinds == UpdateNormKinds.None ? Needs.None : Needs.UpdateNorms(ParameterRole.Weight, kinds);
            return _normsDue ? needs | Needs.SumOfSquares(LayerTensor.Delta) | Needs.SumOfSquares(LayerTensor.ActivationGradient) : needs;
        }
    }

    public void OnUpdated(in StepInfo step, ReadOnlySpan<UpdateNorms> norms)
    {
        _fused = true;
        if (!_deferred) return;
        for (int i = 0; i < _weights.Length; i++)
        {
            var n = norms[_weights[i].Index];
            double weight = Math.Sqrt(n.WeightSquares);
            if (_normsDue)
            {
                double gradient = Math.Sqrt(n.GradientSquares);
                Emit(step, i + 1, Quantity.WeightGradNorm, gradient);
                if (!double.IsFinite(gradient)) _backwardNonFinite = Math.Max(_backwardNonFinite, i + 1);
            }
            if (_statisticsDue) Emit(step, i + 1, Quantity.WeightNorm, weight);
            if (_updateDue) Emit(step, i + 1, Quantity.UpdateRatio, weight > 0 ? Math.Sqrt(n.UpdateSquares) / weight : double.NaN);
        }
    }

    public void OnLayer(in StepInfo step, in LayerView<T> trace)
    {
        // Per-layer quantities: a recurrent layer's per-step views are for the probes through time.
        if (trace.Time is not null) return;
        if (_normsDue) MeasureNorms(step, trace);
        if (_statisticsDue) MeasureStatistics(step, trace);
        if (_referenceDue) MeasureNoise(step, trace);
        if (_histogramsDue)
        {
            _histogram.AsSpan().Clear();
            var nablaW = trace.Parameter(ParameterRole.Weight).Gradient;
            Histogram.Accumulate(nablaW, _histogram);
            Emit(step, trace.Index, Quantity.WeightGradHistogram, nablaW.Length, [.. _histogram]);
            _histogram.AsSpan().Clear();
            Histogram.Accumulate(trace.A, _histogram);
            Emit(step, trace.Index, Quantity.ActivationHistogram, trace.A.Length, [.. _histogram]);
        }
    }

    /// <summary>Counts clipped steps, and on due steps records the pre-clip norm and the clip rate since the last record.</summary>
    public void OnGradientsReady(in StepInfo step, in GradientSummary gradients)
    {
        if (!gradients.Clipping) return;
        _clipSteps++;
        if (gradients.Clipped) _clippedSteps++;
        if (!_normsDue) return;
        Emit(step, 0, Quantity.GradGlobalNorm, gradients.GlobalNorm);
        Emit(step, 0, Quantity.ClipRate, _clippedSteps / (double)_clipSteps);
        _clipSteps = _clippedSteps = 0;
    }

    public void OnStepCompleted(in StepInfo step, Network<T> network)
    {
        if (_updateDue && !_deferred)
        {
            for (int i = 0; i < network.Depth; i++)
            {
                ReadOnlySpan<T> w = _weights[i].Values;
                double before = double.CreateTruncating(TensorPrimitives.Norm<T>(_weightSnapshot[i]));
                double change = double.CreateTruncating(TensorPrimitives.Distance<T>(w, _weightSnapshot[i]));
                Emit(step, i + 1, Quantity.UpdateRatio, before > 0 ? change / before : double.NaN);
            }
        }
        if (NonFinite is null)
        {
            // An update that overflowed shows as non-finite parameters in the next forward pass: it is blamed on the
            // step that made it, so the weights need no scan of their own every step.
            string? direction = null;
            int layerIndex = 0;
            long at = step.Step;
            if (_updateNonFinite != int.MaxValue) (direction, layerIndex, at) = ("update", _updateNonFinite, Math.Max(0, step.Step - 1));
            else if (_forwardNonFinite != int.MaxValue) (direction, layerIndex) = ("forward", _forwardNonFinite);
            else if (_backwardNonFinite != 0) (direction, layerIndex) = ("backward", _backwardNonFinite);
            if (direction is not null)
            {
                NonFinite = new NonFiniteFinding(at, step.Epoch, layerIndex, direction);
                Buffer(new MetricRecord(at, step.Epoch, layerIndex, Quantity.NonFinite, 1));
            }
        }
        Flush();
    }

    /// <summary>Buffers a record; the step's records go to the sink together in <see cref="Flush"/>.</summary>
    private void Emit(in StepInfo step, int layer, string quantity, double value, double[]? values = null, int index = 0) =>
        Buffer(new MetricRecord(step.Step, step.Epoch, layer, quantity, value, values, index));

    private void Buffer(in MetricRecord record)
    {
        if (_buffered == _buffer.Length) Array.Resize(ref _buffer, 2 * _buffer.Length);
        _buffer[_buffered++] = record;
    }

    private void Flush()
    {
        if (_buffered == 0) return;
        _sink.AddRange(_buffer.AsSpan(0, _buffered));
        _buffered = 0;
    }

    private bool Due(Schedule schedule, long step) => step == FinalStep ? schedule != Schedule.Never : schedule.IsDue(step);

    private static bool IsFinite(ReadOnlySpan<T> values) => Numerics.Reductions.AllFinite(values);
}
