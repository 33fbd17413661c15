using System.Numerics;

namespace Gradscope.Model;

/// <summary>
/// One trained tensor of a layer: its name (<c>W^2</c>), role, Nielsen's layer index l and values, row-major
/// [Rows × Columns]. Its gradient ∂C/∂θ lives in the <see cref="Training.Workspace{T}"/> that ran the backward pass,
/// so a probe's reference pass never overwrites the trainer's gradient; the layer view pairs the two.
/// </summary>
public sealed class Parameter<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public Parameter(string name, ParameterRole role, int layer, int rows, int columns)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (rows < 0 || columns < 0) throw new ArgumentException($"Parameter '{name}': invalid shape {rows}×{columns}.");
        Name = name;
        Role = role;
        Layer = layer;
        Rows = rows;
        Columns = columns;
        Values = new T[rows * columns];
    }

    public string Name { get; }
    public ParameterRole Role { get; }

    /// <summary>Nielsen's l of the layer that owns it.</summary>
    public int Layer { get; }
    public int Rows { get; }
    public int Columns { get; }
    public T[] Values { get; }
    public int Length => Values.Length;

    /// <summary>Whether Nielsen's L2 term (λ/n)θ applies: weights, not biases or gains.</summary>
    public bool IsDecayed => Role is ParameterRole.Weight or ParameterRole.Recurrent;

    /// <summary>Position in the network's parameter list (<see cref="Network{T}.Parameters"/>), set by the network.</summary>
    public int Index { get; internal set; } = -1;

    /// <summary>Position in its layer's <see cref="ILayer{T}.Parameters"/>, where the workspace keeps its gradient.</summary>
    public int Slot { get; internal set; }

    public override string ToString() => $"{Name} [{Rows}×{Columns}]";
}
