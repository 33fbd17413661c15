using System.Numerics;
using Gradscope.Model;

namespace Gradscope.Training;

/// <summary>
/// Base of the optimisers whose rule acts on each parameter alone (momentum, AdaGrad, RMSProp, Adam, Rprop).
/// State is kept per parameter tensor (W^l, b^l, γ^l) in float64, allocated on the tensor's first update and
/// reused after, so a steady-state step allocates nothing. Nielsen's L2 term enters as g + (λ/n) w, which for
/// plain SGD is the same step as (1 − ηλ/n) w − η g.
/// </summary>
public abstract class ElementwiseOptimizer<T> : IOptimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private const int Kinds = 3; // weights, biases, normalisation gains
    private State?[] _states = [];

    public abstract string Name { get; }

    /// <summary>How many float64 arrays of the tensor's length the rule keeps.</summary>
    protected abstract int StateArrays { get; }

    public void Update(DenseLayer<T> layer, ReadOnlySpan<T> weightGradient, ReadOnlySpan<T> biasGradient, in UpdateContext context)
    {
        Apply(StateOf(layer.Index, 0, layer.Weights.Length), layer.Weights, weightGradient, context.LearningRate, context.WeightDecay, true);
        Apply(StateOf(layer.Index, 1, layer.Biases.Length), layer.Biases, biasGradient, context.BiasLearningRate, 0, false);
    }

    public void UpdateScale(DenseLayer<T> layer, ReadOnlySpan<T> scaleGradient, in UpdateContext context) =>
        Apply(StateOf(layer.Index, 2, layer.Scale.Length), layer.Scale, scaleGradient, context.BiasLearningRate, 0, false);

    /// <summary>One step of the rule on one tensor; <paramref name="decay"/> is λ/n (0 for biases and gains).</summary>
    protected abstract void Apply(State state, Span<T> parameters, ReadOnlySpan<T> gradient, double eta, double decay, bool isWeight);

    private State StateOf(int layer, int kind, int length)
    {
        int slot = (layer - 1) * Kinds + kind;
        if (slot >= _states.Length) Array.Resize(ref _states, slot + Kinds);
        var state = _states[slot];
        if (state is null || state.Length != length) _states[slot] = state = new State(StateArrays, length);
        return state;
    }

    /// <summary>A tensor's optimiser state: <see cref="StateArrays"/> arrays and the number of steps taken.</summary>
    protected sealed class State
    {
        internal State(int arrays, int length)
        {
            Length = length;
            Arrays = new double[arrays][];
            for (int i = 0; i < arrays; i++) Arrays[i] = new double[length];
        }

        public int Length { get; }
        public double[][] Arrays { get; }

        /// <summary>Steps taken on this tensor (Adam's t after the increment).</summary>
        public long Steps { get; set; }
    }
}
