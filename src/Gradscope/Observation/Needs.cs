using Gradscope.Model;
using Gradscope.Training;

namespace Gradscope.Observation;

/// <summary>
/// What an observer needs the engine to compute for it in passes the engine makes anyway, declared per step
/// (<see cref="ITrainingObserver{T}.Needs"/>), so that a measurement costs no pass of its own. The engine knows
/// nothing of who asked or why; it honours what it can and says so (<see cref="LayerView{T}.TryGetSumOfSquares"/>,
/// <see cref="ITrainingObserver{T}.OnUpdated"/>), and an observer measures the rest itself.
/// Honoured today: Σ‖·‖² of <see cref="LayerTensor.Delta"/> and <see cref="LayerTensor.ActivationGradient"/> during
/// backprop, and the update norms of parameters by role when the optimiser offers <see cref="IMeasuredUpdate{T}"/>.
/// Combine with <c>|</c>.
/// </summary>
public readonly record struct Needs
{
    private const int BitsPerRole = 4;
    private readonly int _squares; // bit per LayerTensor
    private readonly int _updates; // UpdateNormKinds per ParameterRole, BitsPerRole bits each

    private Needs(int squares, int updates)
    {
        _squares = squares;
        _updates = updates;
    }

    public static Needs None => default;

    /// <summary>Σ over the batch of ‖tensor_x‖², summed in the pass that forms the tensor.</summary>
    public static Needs SumOfSquares(LayerTensor tensor) => new(1 << (int)tensor, 0);

    /// <summary>Squared norms of the update of every parameter with <paramref name="role"/>, taken in the optimiser's own pass.</summary>
    public static Needs UpdateNorms(ParameterRole role, UpdateNormKinds kinds) => new(0, (int)kinds << (BitsPerRole * (int)role));

    public static Needs operator |(Needs a, Needs b) => new(a._squares | b._squares, a._updates | b._updates);

    public bool IsNone => _squares == 0 && _updates == 0;

    public bool WantsSumOfSquares(LayerTensor tensor) => (_squares & (1 << (int)tensor)) != 0;

    public UpdateNormKinds UpdateNormsOf(ParameterRole role) => (UpdateNormKinds)((_updates >> (BitsPerRole * (int)role)) & 0xF);

    /// <summary>Whether any update norms are asked for, of any role.</summary>
    public bool WantsUpdateNorms => _updates != 0;
}
