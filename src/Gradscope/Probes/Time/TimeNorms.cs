using System.Numerics;
using Gradscope.Model;
using Gradscope.Model.Layers;
using Gradscope.Numerics;
using Gradscope.Observation;

namespace Gradscope.Probes.Time;

/// <summary>
/// The norms behind the gradient through time, its ratio, the per-step gain and its two factors, kept by t for the
/// layer being measured: ‖∂C/∂h_t‖, ‖∂C/∂g_t‖ and ‖(∂C/∂g_t) W_hh‖ (g_t: the gates' pre-activations), each the
/// root-mean-square over the batch. Each is measured at a step's view by the first probe that asks and read by the
/// others; the product with W_hh only when a probe asks for it. The layer's whole view, where the probes write
/// their records, follows its step views, so the arrays hold that layer's τ steps.
/// </summary>
internal sealed class TimeNorms<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private double[] _hidden = [], _gate = [], _back = [];
    private long _hiddenView = -1, _gateView = -1, _backView = -1;
    private T[] _product = [];

    /// <summary>‖∂C/∂h_t‖ by t (index t) of the layer last measured.</summary>
    public ReadOnlySpan<double> Hidden => _hidden;

    /// <summary>‖∂C/∂g_t‖ by t.</summary>
    public ReadOnlySpan<double> Gate => _gate;

    /// <summary>‖(∂C/∂g_t) W_hh‖ by t: what the recurrent weights carry back to h_{t−1}.</summary>
    public ReadOnlySpan<double> Back => _back;

    public void MeasureHidden(ProbeContext<T> context, in LayerView<T> view, int t)
    {
        if (_hiddenView == context.ViewSerial) return;
        _hiddenView = context.ViewSerial;
        Grow(view, ref _hidden);
        _hidden[t] = TimeProbe<T>.Rms(view.ActivationGradient, view.BatchSize);
    }

    public void MeasureGate(ProbeContext<T> context, in LayerView<T> view, int t)
    {
        if (_gateView == context.ViewSerial) return;
        _gateView = context.ViewSerial;
        Grow(view, ref _gate);
        _gate[t] = TimeProbe<T>.Rms(view.Tensor(LayerTensor.GateDelta), view.BatchSize);
    }

    public void MeasureBack(ProbeContext<T> context, in LayerView<T> view, int t)
    {
        if (_backView == context.ViewSerial) return;
        _backView = context.ViewSerial;
        Grow(view, ref _back);
        var layer = (RecurrentLayer<T>)view.Layer;
        int m = view.BatchSize, h = layer.FanOut, gh = layer.GateWidth;
        if (_product.Length < m * h) _product = new T[m * h];
        Span<T> back = _product.AsSpan(0, m * h);
        // One row per example: the recurrent weights' part of ∂C/∂h_{t−1}, without the cell's direct paths.
        Gemm.Multiply(false, false, m, h, gh, T.One, view.Tensor(LayerTensor.GateDelta), gh, view.Parameter(ParameterRole.Recurrent).Values, h, T.Zero, back, h);
        _back[t] = TimeProbe<T>.Rms(back, m);
    }

    private static void Grow(in LayerView<T> view, ref double[] byStep)
    {
        int steps = ((RecurrentLayer<T>)view.Layer).TimeSteps;
        if (byStep.Length <= steps) byStep = new double[steps + 1];
    }
}
