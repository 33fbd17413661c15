using Gradscope.Numerics;

namespace Gradscope.Model;

/// <summary>How one forward or backward pass runs, handed to every layer.</summary>
/// <param name="Count">Examples in the batch (rows of every matrix).</param>
/// <param name="Pool">Threads for the matrix products (null: the caller's thread).</param>
/// <param name="Mode">Which statistics batch normalisation uses (forward).</param>
/// <param name="DeltaGiven">Backward: δ^l is already in the buffers (the output layer, from the cost).</param>
/// <param name="MeasureSquares">Backward: sum ‖δ^l‖² and ‖∂C/∂a^l‖² in the pass that forms δ^l (a declared need).</param>
/// <param name="Exact">Backward: the whole derivative through time even where a layer trains with truncated BPTT
/// (an input Jacobian is a property of the function, not of how it is trained).</param>
public readonly record struct PassContext(int Count, ComputePool? Pool, ForwardMode Mode = ForwardMode.Inference,
    bool DeltaGiven = false, bool MeasureSquares = false, bool Exact = false);
