using System.Numerics;
using Gradscope.Data;
using Gradscope.Model;
using Gradscope.Observation;
using Gradscope.Probes.Quantities;
using Gradscope.Probes.Time;
using Gradscope.Training;

namespace Gradscope.Probes;

/// <summary>
/// The probes of a run, as one training observer that only schedules: on each step it decides which groups are due
/// (<see cref="ProbeOptions"/>, plus <see cref="FinalStep"/>), declares their probes' <see cref="Needs"/> to the
/// engine, calls the due probes' hooks in their listed order, and hands the step's records to the sink together.
/// What is measured, and how, is each <see cref="Probe{T}"/>'s (docs/run-record.md lists them). It also turns the
/// probes' non-finite reports into the run's <see cref="NonFinite"/> finding.
/// </summary>
public sealed partial class ProbeSet<T> : ITrainingObserver<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly IMetricSink _sink;
    private readonly ProbeContext<T> _context;
    private readonly Probe<T>[] _probes;
    private readonly Schedule[] _schedules;
    private readonly ProbeGroup[] _groupOrder; // groups in the order their first probe is listed
    private readonly Parameter<T>[] _weights; // W^l, index l − 1: whose optimiser norms Updated hands out
    private readonly bool[] _due;
    private readonly int[] _scheduled; // the groups whose schedule is not never: the only ones a step asks
    private readonly Needs[] _groupNeeds; // what each group's probes need, OR-ed once
    // Each hook's probes in call order (only those that override it), and the step's due ones: a step walks the
    // probes that measure something in each hook, with no virtual call to ask a probe its group.
    private readonly Hook _beforeLayer, _beforeStep, _timeStep, _gradients, _after;
    private Hook _layer, _updated;
    private readonly Probe<T>[] _observers; // Observe runs every step, due or not
    private Needs _needs;
    private int _mask = -1; // the due groups the hooks' lists were selected for

    // Once the optimiser has shown it measures ‖∂C/∂W‖, ‖W‖ and ‖ΔW‖ in its own pass (OnUpdated), probes wait for it.
    private bool _fused;

    public ProbeSet(Network<T> network, ProbeOptions options, IMetricSink sink, Dataset<T>? referenceData = null)
        : this(new NetworkAccess<T>(network ?? throw new ArgumentNullException(nameof(network))), options, sink, referenceData)
    {
    }

    public ProbeSet(IModelAccess<T> model, ProbeOptions options, IMetricSink sink, Dataset<T>? referenceData = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(sink);
        options.Validate();
        _sink = sink;
        Options = options;
        _weights = new Parameter<T>[model.Depth];
        for (int l = 1; l <= model.Depth; l++)
            _weights[l - 1] = model.Find(l, ParameterRole.Weight)
                ?? throw new ArgumentException($"Probes read a weight matrix in every layer; layer {l} has none.");
        var groups = Enum.GetValues<ProbeGroup>();
        _schedules = new Schedule[groups.Length];
        _due = new bool[groups.Length];
        foreach (var g in groups) _schedules[(int)g] = Schedule.Parse(ScheduleOf(options, g));
        // Reference-set and Jacobian probes need the reference set: without one they are never due.
        if (referenceData is null) _schedules[(int)ProbeGroup.Reference] = _schedules[(int)ProbeGroup.Jacobian] = Schedule.Never;
        _scheduled = [.. Enumerable.Range(0, groups.Length).Where(g => _schedules[g] != Schedule.Never)];
        var reference = _schedules[(int)ProbeGroup.Reference] != Schedule.Never || _schedules[(int)ProbeGroup.Jacobian] != Schedule.Never
            ? referenceData!.Take(options.ReferenceSize) : null;
        _context = new ProbeContext<T>(model, options, reference, _due);
        _probes = [.. All(model).Where(p => _schedules[(int)p.Group] != Schedule.Never)];
        _groupOrder = [.. _probes.Select(p => p.Group).Distinct()];
        _groupNeeds = new Needs[groups.Length];
        foreach (var probe in _probes) _groupNeeds[(int)probe.Group] |= probe.Needs;
        // Group by group as listed, so a step's records come group by group whatever hook makes them.
        var ordered = _groupOrder.SelectMany(g => _probes.Where(p => p.Group == g)).ToArray();
        var context = typeof(ProbeContext<T>);
        _beforeLayer = new(ordered, nameof(Probe<T>.BeforeStep), context, typeof(int));
        _beforeStep = new(ordered, nameof(Probe<T>.BeforeStep), context);
        _timeStep = new(_probes, nameof(Probe<T>.MeasureStep), context, typeof(LayerView<T>).MakeByRefType(), typeof(int));
        (_layer, _updated) = LayerHooks(fuse: true);
        _gradients = new(_probes, nameof(Probe<T>.Measure), context, typeof(GradientSummary).MakeByRefType());
        _after = new(_probes, nameof(Probe<T>.AfterStep), context);
        _observers = new Hook(_probes, nameof(Probe<T>.Observe), context, typeof(GradientSummary).MakeByRefType()).All;
    }

    /// <summary>The per-layer hooks, Measure on a view and Updated, with families in place of their members or not.</summary>
    private (Hook Layer, Hook Updated) LayerHooks(bool fuse)
    {
        var probes = fuse ? ProbeFamily<T>.Fuse(_probes) : [.. _probes];
        var context = typeof(ProbeContext<T>);
        return (new(probes, nameof(Probe<T>.Measure), context, typeof(LayerView<T>).MakeByRefType()),
            new(probes, nameof(Probe<T>.Updated), context, typeof(int), typeof(UpdateNorms).MakeByRefType()));
    }

    /// <summary>
    /// Whether per-layer probes that form a <see cref="ProbeFamily{T}"/> are called as one (the default); off, each is
    /// called by itself. The records are the same either way: a test holds them so.
    /// </summary>
    internal bool FuseFamilies
    {
        get;
        init
        {
            field = value;
            (_layer, _updated) = LayerHooks(value);
            _mask = -1;
        }
    } = true;

    /// <summary>The probes that override one hook of <see cref="Probe{T}"/>, and those of them due this step.</summary>
    private sealed class Hook
    {
        private readonly ProbeGroup[] _groups;

        public Hook(IEnumerable<Probe<T>> probes, string method, params Type[] parameters)
        {
            All = [.. probes.Where(p => p.GetType().GetMethod(method, parameters)!.DeclaringType != typeof(Probe<T>))];
            _groups = [.. All.Select(p => p.Group)];
            Due = new Probe<T>[All.Length];
        }

        public Probe<T>[] All { get; }
        public Probe<T>[] Due { get; }
        public int Count { get; private set; }

        public void Select(bool[] due)
        {
            int n = 0;
            for (int i = 0; i < All.Length; i++) if (due[(int)_groups[i]]) Due[n++] = All[i];
            Count = n;
        }
    }

    public ProbeOptions Options { get; }

    /// <summary>The probes this set runs (those whose schedule is not <c>never</c>), in the order they are called.</summary>
    public IReadOnlyList<Probe<T>> Probes => _probes;

    /// <summary>
    /// The run's last step, when known: every schedule is due there as well, so "at end" is a measurement of the end.
    /// </summary>
    public long? FinalStep { get; set; }

    /// <summary>The first non-finite value seen, or null. Training loops should stop when it is set.</summary>
    public NonFiniteFinding? NonFinite { get; private set; }

    /// <summary>
    /// Every quantity the probes know, in the order they are called (records of one layer come in this order).
    /// Probes that share a pass get the same cache.
    /// </summary>
    public static IReadOnlyList<Probe<T>> All(IModelAccess<T> model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var backward = new BackwardNorms<T>(model.Depth);
        var sigmaPrime = new SigmaPrimeSummary<T>();
        var columns = new ActivationColumns<T>();
        var reference = new ReferenceGradient<T>();
        var noise = new NoiseSums<T>(reference);
        return
        [
            new BiasGradNorm<T>(model), new WeightGradNorm<T>(), new DeltaNorm<T>(backward), new Gain<T>(backward),
            new WeightFactor<T>(backward), new ActivationFactor<T>(backward), new GradGlobalNorm<T>(), new ClipRate<T>(),
            new BatchCost<T>(), new SigmaPrimeMean<T>(sigmaPrime), new SigmaPrimeMin<T>(sigmaPrime), new SigmaPrimeMax<T>(sigmaPrime),
            new SaturatedFraction<T>(sigmaPrime), new DeadFraction<T>(model.Depth), new ActivationMean<T>(columns),
            new ActivationStd<T>(columns), new WeightNorm<T>(), new UpdateRatio<T>(model),
            new ReferenceBiasGradNorm<T>(reference), new ReferenceWeightGradNorm<T>(reference), new NoiseNormRatio<T>(noise),
            new NoiseCosine<T>(noise), new WeightGradHistogram<T>(), new ActivationHistogram<T>(),
            new JacobianSpectrum<T>(), new SpectralNorm<T>(model),
            .. TimeProbe<T>.All(model),
        ];
    }

    /// <summary>The schedule string of <paramref name="group"/> in <paramref name="options"/>.</summary>
    public static string ScheduleOf(ProbeOptions options, ProbeGroup group) => group switch
    {
        ProbeGroup.Norms => options.Norms,
        ProbeGroup.Statistics => options.Statistics,
        ProbeGroup.Update => options.UpdateRatio,
        ProbeGroup.Reference => options.Reference,
        ProbeGroup.Histograms => options.Histograms,
        ProbeGroup.Jacobian => options.Jacobian,
        ProbeGroup.Spectral => options.Spectral,
        ProbeGroup.Time => options.Reference,
        _ => throw new ArgumentOutOfRangeException(nameof(group), group, "Unknown probe group."),
    };

    public void OnStepStarting(in StepInfo step)
    {
        long s = step.Step;
        bool final = s == FinalStep;
        int mask = 0;
        foreach (int g in _scheduled)
            if (final || _schedules[g].IsDue(s)) mask |= 1 << g;
        if (mask != _mask)
        {
            // Most steps repeat the last step's due groups, and with them what they need and their lists of due probes.
            _mask = mask;
            _needs = Needs.None;
            for (int g = 0; g < _due.Length; g++)
            {
                _due[g] = (mask & 1 << g) != 0;
                if (_due[g]) _needs |= _groupNeeds[g];
            }
            _beforeLayer.Select(_due);
            _beforeStep.Select(_due);
            _timeStep.Select(_due);
            _layer.Select(_due);
            _gradients.Select(_due);
            _updated.Select(_due);
            _after.Select(_due);
        }
        _context.Start(step, _fused);
        if (_beforeLayer.Count + _beforeStep.Count == 0) return;

        // Group by group, each layer's records together, then the group's step-wide ones.
        foreach (var group in _groupOrder)
        {
            if (!_due[(int)group]) continue;
            for (int l = 1; l <= _weights.Length; l++)
                for (int i = 0; i < _beforeLayer.Count; i++)
                    if (_beforeLayer.Due[i].Group == group) _beforeLayer.Due[i].BeforeStep(_context, l);
            for (int i = 0; i < _beforeStep.Count; i++)
                if (_beforeStep.Due[i].Group == group) _beforeStep.Due[i].BeforeStep(_context);
        }
    }

    /// <summary>What the due probes need this step; asked after OnStepStarting, so steps with nothing due keep the engine's plain loops.</summary>
    public Needs Needs => _needs;

    public void OnLayer(in StepInfo step, in LayerView<T> view)
    {
        // A recurrent layer's per-time-step views (Time set) go to the probes through time alone; its whole-layer view
        // follows them, so per-layer quantities count the layer once.
        if (view.Time is int t)
        {
            // A step's view is a view of its own: the probes through time share per-view caches as per-layer ones do.
            _context.NextView();
            for (int i = 0; i < _timeStep.Count; i++) _timeStep.Due[i].MeasureStep(_context, view, t);
            return;
        }
        if (_layer.Count == 0) return;
        _context.NextView();
        var due = _layer.Due;
        for (int i = 0; i < _layer.Count; i++) due[i].Measure(_context, view);
    }

    public void OnGradientsReady(in StepInfo step, in GradientSummary gradients)
    {
        foreach (var probe in _observers) probe.Observe(_context, gradients);
        for (int i = 0; i < _gradients.Count; i++) _gradients.Due[i].Measure(_context, gradients);
    }

    public void OnUpdated(in StepInfo step, ReadOnlySpan<UpdateNorms> norms)
    {
        _fused = true;
        if (!_context.UpdateNormsFromOptimizer || _updated.Count == 0) return;
        _context.SetUpdateNorms(norms);
        for (int i = 0; i < _weights.Length; i++)
        {
            var n = norms[_weights[i].Index];
            for (int k = 0; k < _updated.Count; k++) _updated.Due[k].Updated(_context, i + 1, n);
        }
    }

    public void OnStepCompleted(in StepInfo step, Network<T> network)
    {
        for (int i = 0; i < _after.Count; i++) _after.Due[i].AfterStep(_context);
        if (NonFinite is null && _context.FindNonFinite() is { } finding)
        {
            NonFinite = finding;
            _context.Buffer(new MetricRecord(finding.Step, finding.Epoch, finding.Layer, Quantity.NonFinite, 1));
        }
        _context.Flush(_sink);
    }
}
