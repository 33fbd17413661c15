using System.Numerics;
using Gradscope.Data;
using Gradscope.Model;
using Gradscope.Observation;
using Gradscope.Training;

namespace Gradscope.Probes;

/// <summary>
/// What a probe sees of the step it measures: the model (through <see cref="IModelAccess{T}"/>), the reference set,
/// which groups are due, and where records go. Records are buffered and handed to the sink together at the end of
/// the step. Probes that meet a non-finite value report it here, and the set turns the first report into a
/// <see cref="NonFiniteFinding"/> with the direction it came from.
/// </summary>
public sealed class ProbeContext<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    // The set's own array of due groups, shared: it changes only when the set of due groups does.
    private readonly bool[] _due;
    // The step's records. Only the count is reset between steps: clearing 2.8 KB of structs with references every
    // step cost more than some probes, and what the old slots still point to are constant names or old histograms.
    private MetricRecord[] _buffer = new MetricRecord[256];
    private int _buffered;
    // Records through time follow the step's others, as when a separate observer wrote them: runs read byte for byte the same.
    private MetricRecord[] _late = new MetricRecord[1024];
    private int _lateCount;
    private int _forwardNonFinite, _backwardNonFinite, _updateNonFinite;
    private UpdateNorms[] _updateNorms = [];

    internal ProbeContext(IModelAccess<T> model, ProbeOptions options, Dataset<T>? referenceData, bool[] due)
    {
        _due = due;
        Model = model;
        Options = options;
        ReferenceData = referenceData;
    }

    public IModelAccess<T> Model { get; }
    public ProbeOptions Options { get; }

    /// <summary>The fixed reference set (the first <see cref="ProbeOptions.ReferenceSize"/> training examples), or null.</summary>
    public Dataset<T>? ReferenceData { get; }

    public StepInfo Step { get; private set; }
    private long _step;
    private int _epoch;

    /// <summary>Counts the steps this context has started; shared passes use it to run once per step.</summary>
    public long StepSerial { get; private set; }

    /// <summary>Counts the layer views measured, a recurrent layer's step views too; shared per-view caches use it to run once per view.</summary>
    public long ViewSerial { get; private set; }

    /// <summary>
    /// Whether ‖∂C/∂W‖, ‖W‖ and ‖ΔW‖ come from the optimiser's own pass this step (<see cref="Probe{T}.Updated"/>):
    /// once it has shown it measures them, they stop costing the probes a pass each over the largest arrays of the step.
    /// </summary>
    public bool UpdateNormsFromOptimizer { get; private set; }

    public bool IsDue(ProbeGroup group) => _due[(int)group];

    /// <summary>
    /// The norms the optimiser measured this step for the parameter with index <paramref name="parameter"/> (the
    /// network's order), for <see cref="Probe{T}.Updated"/>, which is handed those of the layer's weights.
    /// </summary>
    public UpdateNorms UpdateNormsOf(int parameter) => _updateNorms[parameter];

    internal void SetUpdateNorms(ReadOnlySpan<UpdateNorms> norms)
    {
        if (_updateNorms.Length < norms.Length) _updateNorms = new UpdateNorms[norms.Length];
        norms.CopyTo(_updateNorms);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public void Emit(int layer, string quantity, double value, double[]? values = null, int index = 0)
    {
        // Written in place: a step writes about twenty records a layer, so a copy and a call each add up.
        if (_buffered == _buffer.Length) Array.Resize(ref _buffer, 2 * _buffer.Length);
        _buffer[_buffered++] = new MetricRecord(_step, _epoch, layer, quantity, value, values, index);
    }

    /// <summary>A record of a probe through time: at time step <paramref name="t"/>, or of the layer as a whole when null.</summary>
    public void EmitThroughTime(int layer, string quantity, double value, int? t = null)
    {
        if (_lateCount == _late.Length) Array.Resize(ref _late, 2 * _late.Length);
        _late[_lateCount++] = new MetricRecord(_step, _epoch, layer, quantity, value, T: t);
    }

    /// <summary>A gradient-side value of layer l (a norm of δ^l or of a gradient): non-finite blames backprop.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public void ReportBackward(int layer, double value)
    {
        if (!double.IsFinite(value)) _backwardNonFinite = Math.Max(_backwardNonFinite, layer);
    }

    /// <summary>
    /// Whether z^l of the view is finite. σ of a finite z is finite for every activation here, so z alone tells the
    /// forward pass apart; non-finite z with non-finite parameters blames the update that made them.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public void ReportForward(in LayerView<T> view, bool zFinite)
    {
        if (!zFinite) Blame(view);
    }

    private void Blame(in LayerView<T> view)
    {
        if (!AllFinite(view.Parameter(ParameterRole.Weight).Values) || !AllFinite(view.Parameter(ParameterRole.Bias).Values))
            _updateNonFinite = Math.Min(_updateNonFinite, view.Index);
        else _forwardNonFinite = Math.Min(_forwardNonFinite, view.Index);
    }

    internal void Start(in StepInfo step, bool updateNormsFromOptimizer)
    {
        Step = step;
        (_step, _epoch) = (step.Step, step.Epoch);
        StepSerial++;
        UpdateNormsFromOptimizer = updateNormsFromOptimizer;
        _forwardNonFinite = _updateNonFinite = int.MaxValue;
        _backwardNonFinite = 0;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    internal void NextView() => ViewSerial++;

    /// <summary>
    /// The step's first non-finite value, by direction. An update that overflowed shows as non-finite parameters in
    /// the next forward pass: it is blamed on the step that made it, so the weights need no scan of their own every step.
    /// </summary>
    internal NonFiniteFinding? FindNonFinite()
    {
        var step = Step;
        if (_updateNonFinite != int.MaxValue) return new NonFiniteFinding(Math.Max(0, step.Step - 1), step.Epoch, _updateNonFinite, "update");
        if (_forwardNonFinite != int.MaxValue) return new NonFiniteFinding(step.Step, step.Epoch, _forwardNonFinite, "forward");
        if (_backwardNonFinite != 0) return new NonFiniteFinding(step.Step, step.Epoch, _backwardNonFinite, "backward");
        return null;
    }

    internal void Buffer(in MetricRecord record)
    {
        if (_buffered == _buffer.Length) Array.Resize(ref _buffer, 2 * _buffer.Length);
        _buffer[_buffered++] = record;
    }

    internal void Flush(IMetricSink sink)
    {
        if (_buffered > 0) sink.AddRange(_buffer.AsSpan(0, _buffered));
        if (_lateCount > 0) sink.AddRange(_late.AsSpan(0, _lateCount));
        _buffered = _lateCount = 0;
    }

    internal static bool AllFinite(ReadOnlySpan<T> values) => Numerics.Reductions.AllFinite(values);
}
