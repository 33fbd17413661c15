using System.Numerics;
using Gradscope.Model;

namespace Gradscope.Training;

/// <summary>
/// Base of the optimisers whose rule acts on each parameter alone (momentum, AdaGrad, RMSProp, Adam, Rprop).
/// State is kept per parameter (W^l, b^l, γ^l, by its index in the network) in float64, allocated on the tensor's first update and
/// reused after, so a steady-state step allocates nothing. Nielsen's L2 term enters as g + (λ/n) w, which for
/// plain SGD is the same step as (1 − ηλ/n) w − η g.
/// </summary>
public abstract class ElementwiseOptimizer<T> : IOptimizer<T>, IO.ICheckpointable where T : unmanaged, IFloatingPointIeee754<T>
{
    private State?[] _states = [];

    public abstract string Name { get; }

    /// <summary>How many float64 arrays of the tensor's length the rule keeps.</summary>
    protected abstract int StateArrays { get; }

    public void Update(Parameter<T> parameter, ReadOnlySpan<T> gradient, in UpdateContext context)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        Apply(StateOf(parameter), parameter.Values, gradient, context.LearningRate, context.WeightDecay, parameter.IsDecayed);
    }

    /// <summary>One step of the rule on one tensor; <paramref name="decay"/> is λ/n (0 for biases and gains).</summary>
    protected abstract void Apply(State state, Span<T> parameters, ReadOnlySpan<T> gradient, double eta, double decay, bool isWeight);

    private State StateOf(Parameter<T> parameter)
    {
        int slot = parameter.Index;
        if (slot < 0) throw new ArgumentException($"Parameter {parameter.Name} belongs to no network.");
        if (slot >= _states.Length) Array.Resize(ref _states, slot + 4);
        var state = _states[slot];
        if (state is null || state.Length != parameter.Length) _states[slot] = state = new State(StateArrays, parameter.Length);
        return state;
    }

    /// <summary>Every tensor's arrays and step count (a tensor not yet updated is written as absent).</summary>
    public void WriteState(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(_states.Length);
        foreach (var state in _states)
        {
            writer.Write(state is not null);
            if (state is null) continue;
            writer.Write(state.Length);
            writer.Write(state.Steps);
            foreach (var array in state.Arrays) IO.StateIO.Write<double>(writer, array);
        }
    }

    public void ReadState(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        int count = reader.ReadInt32();
        if (count < 0 || count > 1 << 20) throw new InvalidDataException($"checkpoint: bad optimiser state count {count}.");
        _states = new State?[count];
        for (int i = 0; i < count; i++)
        {
            if (!reader.ReadBoolean()) continue;
            var state = new State(StateArrays, reader.ReadInt32()) { Steps = reader.ReadInt64() };
            for (int a = 0; a < StateArrays; a++) IO.StateIO.ReadInto<double>(reader, state.Arrays[a], $"{Name} state");
            _states[i] = state;
        }
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
