using System.Globalization;
using System.Numerics;
using Gradscope.Model;

namespace Gradscope.IO;

/// <summary>
/// A chain of dense layers as a NumPy <c>.npz</c> with arrays named like PyTorch's <c>state_dict</c>
/// (docs/model-format.md): layer l is a module whose <c>weight</c> is W^l [out × in] (PyTorch's <c>nn.Linear</c> layout
/// and ours) and whose <c>bias</c> is b^l [out]. Reading accepts any module path (<c>0.weight</c>,
/// <c>layers.0.weight</c>, <c>net.fc1.weight</c>) and orders the modules by path, numbers compared as numbers;
/// writing names them as <c>nn.Sequential(Linear, σ, Linear, σ, …, Linear)</c> does: <c>0.weight</c>, <c>0.bias</c>,
/// <c>2.weight</c>, … . A .npz holds no activations or cost: those come from the spec.
/// </summary>
public static class NpzModel
{
    /// <summary>The layer sizes the file's weights give, input first, e.g. [4, 16, 3].</summary>
    public static int[] ReadSizes(string path) => Modules(path, Npz.Read(path)).Sizes;

    /// <summary>A network of <paramref name="spec"/>'s activations, cost and normalisation, with sizes and values from the file.</summary>
    public static Network<T> Load<T>(string path, NetworkSpec spec) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(spec);
        var (sizes, layers) = Modules(path, Npz.Read(path));
        var network = Network<T>.CreateEmpty(spec with { Layers = sizes });
        for (int l = 1; l <= network.Depth; l++)
        {
            if (network.Layer(l).Parameters.Count != 2)
                throw new InvalidDataException($"{path}: a .npz holds dense layers only (weight and bias); layer {l} of this spec also has {string.Join(", ", network.Layer(l).Parameters.Skip(2).Select(p => p.Name))}.");
            var (weight, bias) = layers[l - 1];
            Fill(network.Find(l, ParameterRole.Weight)!.Values, weight.Values);
            if (bias is not null) Fill(network.Find(l, ParameterRole.Bias)!.Values, bias.Values);
        }
        return network;
    }

    /// <summary>Writes W^l and b^l as <c>{2(l−1)}.weight</c> and <c>{2(l−1)}.bias</c>, in the network's precision, atomically.</summary>
    public static void Save<T>(Network<T> network, string path) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        var arrays = new List<(string, double[], int[])>();
        for (int l = 1; l <= network.Depth; l++)
        {
            var layer = network.Layer(l);
            if (layer.Parameters.Count != 2 || layer.State.Count > 0)
                throw new ArgumentException($"Only chains of dense layers can be written as .npz; layer {l} has {string.Join(", ", layer.Parameters.Select(p => p.Name))}.");
            var w = network.Find(l, ParameterRole.Weight)!;
            var b = network.Find(l, ParameterRole.Bias)!;
            string module = (2 * (l - 1)).ToString(CultureInfo.InvariantCulture);
            arrays.Add(($"{module}.weight", [.. w.Values.Select(double.CreateTruncating)], [w.Rows, w.Columns]));
            arrays.Add(($"{module}.bias", [.. b.Values.Select(double.CreateTruncating)], [b.Length]));
        }
        Npz.Write(path, arrays, asFloat32: typeof(T) == typeof(float));
    }

    private static (int[] Sizes, List<(NpyArray Weight, NpyArray? Bias)> Layers) Modules(string path, IReadOnlyList<(string Name, NpyArray Array)> arrays)
    {
        var modules = new Dictionary<string, (NpyArray? Weight, NpyArray? Bias)>(StringComparer.Ordinal);
        foreach (var (name, array) in arrays)
        {
            int dot = name.LastIndexOf('.');
            string role = dot < 0 ? name : name[(dot + 1)..], module = dot < 0 ? "" : name[..dot];
            if (role is not ("weight" or "bias"))
                throw new InvalidDataException($"{path}: array '{name}' is not a layer's weight or bias (only chains of linear layers move through .npz).");
            modules.TryGetValue(module, out var m);
            modules[module] = role == "weight" ? (array, m.Bias) : (m.Weight, array);
        }
        if (modules.Count == 0) throw new InvalidDataException($"{path}: no '<module>.weight' arrays.");
        var ordered = modules.OrderBy(p => p.Key, ModulePathComparer.Instance).ToList();
        var layers = new List<(NpyArray, NpyArray?)>();
        var sizes = new List<int>();
        foreach (var (module, (weight, bias)) in ordered)
        {
            if (weight is null) throw new InvalidDataException($"{path}: '{module}.bias' has no '{module}.weight'.");
            if (weight.Shape.Length != 2) throw new InvalidDataException($"{path}: '{module}.weight' is {weight.ShapeText}; a linear layer's weight is [out, in].");
            int outputs = weight.Shape[0], inputs = weight.Shape[1];
            if (sizes.Count == 0) sizes.Add(inputs);
            else if (sizes[^1] != inputs)
                throw new InvalidDataException($"{path}: '{module}.weight' takes {inputs} inputs but the module before it gives {sizes[^1]}.");
            if (bias is not null && (bias.Shape.Length != 1 || bias.Shape[0] != outputs))
                throw new InvalidDataException($"{path}: '{module}.bias' is {bias.ShapeText}; expected ({outputs},).");
            sizes.Add(outputs);
            layers.Add((weight, bias));
        }
        return ([.. sizes], layers);
    }

    private static void Fill<T>(Span<T> destination, double[] values) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i])) throw new InvalidDataException($"A parameter holds {values[i].ToString(CultureInfo.InvariantCulture)}.");
            destination[i] = T.CreateChecked(values[i]);
        }
    }

    /// <summary>Module paths segment by segment, numeric segments as numbers: <c>layers.2</c> before <c>layers.10</c>.</summary>
    private sealed class ModulePathComparer : IComparer<string>
    {
        public static ModulePathComparer Instance { get; } = new();

        public int Compare(string? x, string? y)
        {
            string[] a = (x ?? "").Split('.'), b = (y ?? "").Split('.');
            for (int i = 0; i < Math.Min(a.Length, b.Length); i++)
            {
                bool na = long.TryParse(a[i], NumberStyles.None, CultureInfo.InvariantCulture, out long va);
                bool nb = long.TryParse(b[i], NumberStyles.None, CultureInfo.InvariantCulture, out long vb);
                int c = na && nb ? va.CompareTo(vb) : string.CompareOrdinal(a[i], b[i]);
                if (c != 0) return c;
            }
            return a.Length.CompareTo(b.Length);
        }
    }
}
