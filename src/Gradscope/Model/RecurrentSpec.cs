using System.Globalization;

namespace Gradscope.Model;

/// <summary>
/// The recurrent part of a <see cref="NetworkSpec"/>: every hidden size of the spec is a recurrent layer of this cell
/// (stacked, each reading the whole sequence of the one below) and the last layer is a dense read-out of the top
/// layer's last hidden state, or of its hidden state at every step (<see cref="Outputs"/>). Equations and parameter
/// layout are PyTorch's (two biases, LSTM gates [i|f|g|o], GRU [r|z|n]), so weights load from a PyTorch state_dict.
/// </summary>
public sealed record RecurrentSpec
{
    public static IReadOnlyList<string> Cells { get; } = ["rnn", "lstm", "gru"];

    /// <summary><c>rnn</c>, <c>lstm</c> or <c>gru</c>.</summary>
    public string Cell { get; init; } = "rnn";

    /// <summary>σ of a plain RNN: <c>tanh</c> or <c>relu</c> (PyTorch's two); LSTM and GRU use their own gates.</summary>
    public string Nonlinearity { get; init; } = "tanh";

    /// <summary>Time steps τ of every sequence (the data's length).</summary>
    public int Steps { get; init; } = 1;

    /// <summary>
    /// W_hh's initialiser: <c>default</c> (PyTorch's U(±1/√H)), <c>orthogonal</c>, <c>identity</c> (Le, Jaitly &amp;
    /// Hinton 2015's IRNN) or <c>radius:ρ</c> (the default scaled to spectral radius ρ); gated cells treat each
    /// gate's H×H block alike.
    /// </summary>
    public string Init { get; init; } = "default";

    /// <summary>The LSTM forget gate's bias (Gers et al. 2000; Jozefowicz et al. 2015 use 1), set in b_ih with b_hh's block 0; null keeps the default draw.</summary>
    public double? ForgetBias { get; init; }

    /// <summary>
    /// <c>last</c>: one output per sequence, read from h_τ; <c>every</c>: an output at every step (sequence labelling),
    /// the same read-out applied to each h_t, with targets [N, τ, O] and the cost of a sequence the sum of its steps'.
    /// Null is <c>last</c> and is not written, so the specs of last-step runs read as they did before the field.
    /// </summary>
    public string? Outputs { get; init; }

    /// <summary>Whether the read-out is applied at every step (<see cref="Outputs"/> = <c>every</c>).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool EveryStep => ParseOutputs(Outputs);

    /// <summary>Truncated back-propagation through time: the gradient crosses at most k steps (blocks of k counted back from τ); 0 = full.</summary>
    public int Bptt { get; init; }

    public RecurrentCellKind Kind => ParseCell(Cell);

    public void Validate()
    {
        var kind = ParseCell(Cell);
        if (kind == RecurrentCellKind.Rnn && Nonlinearity.Trim().ToLowerInvariant() is not ("tanh" or "relu"))
            throw new ArgumentException($"Unknown RNN nonlinearity '{Nonlinearity}'. Valid: tanh, relu.");
        if (Steps < 1) throw new ArgumentException($"Invalid sequence length {Steps}: must be at least 1.");
        if (Bptt < 0) throw new ArgumentException($"Invalid --bptt {Bptt}: must be 0 (full) or a positive number of steps.");
        ParseInit(Init);
        ParseOutputs(Outputs);
        if (ForgetBias is double b && !double.IsFinite(b)) throw new ArgumentException($"Invalid forget-gate bias {b}.");
        if (ForgetBias is not null && kind != RecurrentCellKind.Lstm)
            throw new ArgumentException($"--forget-bias applies to LSTM cells only, not '{Cell}'.");
    }

    /// <summary>The activation of the hidden state: the RNN's nonlinearity, tanh for the gated cells.</summary>
    public Activation Activation => Model.Activation.Parse(Kind == RecurrentCellKind.Rnn ? Nonlinearity : "tanh");

    public static RecurrentCellKind ParseCell(string? text) => (text ?? "").Trim().ToLowerInvariant() switch
    {
        "rnn" => RecurrentCellKind.Rnn,
        "lstm" => RecurrentCellKind.Lstm,
        "gru" => RecurrentCellKind.Gru,
        _ => throw new ArgumentException($"Unknown cell '{text}'. Valid: {string.Join(", ", Cells)}."),
    };

    /// <summary>Whether <paramref name="text"/> asks for an output at every step: <c>every</c> (true) or <c>last</c> (false).</summary>
    public static bool ParseOutputs(string? text) => (text ?? "last").Trim().ToLowerInvariant() switch
    {
        "last" => false,
        "every" => true,
        _ => throw new ArgumentException($"Unknown recurrent outputs '{text}'. Valid: last, every."),
    };

    /// <summary>(name, ρ): <c>default</c>, <c>orthogonal</c>, <c>identity</c>, or <c>radius</c> with its ρ &gt; 0.</summary>
    public static (string Name, double Radius) ParseInit(string? text)
    {
        string t = (text ?? "").Trim().ToLowerInvariant();
        if (t is "default" or "orthogonal" or "identity") return (t, double.NaN);
        if (t.StartsWith("radius:", StringComparison.Ordinal) &&
            double.TryParse(t["radius:".Length..], NumberStyles.Float, CultureInfo.InvariantCulture, out double r) && double.IsFinite(r) && r > 0)
            return ("radius", r);
        throw new ArgumentException($"Unknown recurrent initialiser '{text}'. Valid: default, orthogonal, identity, radius:<ρ > 0>.");
    }
}

/// <summary>The recurrent cells, with the number of H-wide gate blocks in W_ih and W_hh.</summary>
public enum RecurrentCellKind
{
    Rnn = 1,
    Gru = 3,
    Lstm = 4,
}
