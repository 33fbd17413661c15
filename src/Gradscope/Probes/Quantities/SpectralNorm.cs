using System.Numerics;
using Gradscope.Model;
using Gradscope.Numerics;
using Gradscope.Observation;

namespace Gradscope.Probes.Quantities;

/// <summary>
/// σ_max(W^l) by power iteration, before the step's update. Each layer keeps its last singular vector, so after a
/// cold start of 200 iterations, 20 from the previous estimate suffice.
/// </summary>
internal sealed class SpectralNorm<T> : Probe<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Parameter<T>[] _weights;
    private readonly double[][] _vectors;
    private readonly double[][] _scratch; // the left vector of each layer's power iteration, kept so a due step allocates nothing

    public SpectralNorm(IModelAccess<T> model)
    {
        _weights = new Parameter<T>[model.Depth];
        _vectors = new double[model.Depth][];
        _scratch = new double[model.Depth][];
        for (int l = 1; l <= model.Depth; l++)
        {
            _weights[l - 1] = model.Find(l, ParameterRole.Weight)!;
            _vectors[l - 1] = new double[_weights[l - 1].Columns];
            _scratch[l - 1] = new double[_weights[l - 1].Rows];
        }
    }

    /// <summary>The singular-vector estimates: the warm starts of the next measurement.</summary>
    public override void WriteState(BinaryWriter writer)
    {
        foreach (var v in _vectors) IO.StateIO.Write<double>(writer, v);
    }

    public override void ReadState(BinaryReader reader)
    {
        foreach (var v in _vectors) IO.StateIO.ReadInto<double>(reader, v, "spectral-norm vectors");
    }

    public override string Quantity => Record.Quantity.SpectralNorm;
    public override ProbeTier Tier => ProbeTier.Full;
    public override ProbeGroup Group => ProbeGroup.Spectral;

    public override void BeforeStep(ProbeContext<T> context, int layer)
    {
        var w = _weights[layer - 1];
        var v = _vectors[layer - 1];
        bool cold = v.AsSpan().IndexOfAnyExcept(0.0) < 0;
        context.Emit(w.Layer, Quantity, LinearAlgebra.SpectralNorm<T>(w.Values, w.Rows, w.Columns, v, _scratch[layer - 1], cold ? 200 : 20));
    }
}
