namespace Gradscope.Model;

/// <summary>
/// What a network is, by name: layer sizes, activations, cost, initialisers. Serialisable as JSON; a
/// prescription is a changed spec.
/// </summary>
public sealed record NetworkSpec
{
    /// <summary>Layer sizes from input to output, e.g. [784, 30, 30, 10].</summary>
    public int[] Layers { get; init; } = [784, 30, 10];

    /// <summary>Activation of every hidden layer (and of the output unless <see cref="OutputActivation"/> says otherwise).</summary>
    public string Activation { get; init; } = "sigmoid";

    /// <summary>Per-layer activations overriding <see cref="Activation"/>, one per weight layer (hidden then output), or null.</summary>
    public string[]? LayerActivations { get; init; }

    /// <summary>Output activation; null takes the cost's default (sigmoid, or softmax for log-likelihood).</summary>
    public string? OutputActivation { get; init; }

    public string Cost { get; init; } = "cross-entropy";

    /// <summary>Weight initialiser name (see <see cref="Initializer.Names"/>), with optional <c>:gain</c>.</summary>
    public string Init { get; init; } = "scaled-normal";

    /// <summary><c>normal</c> for N(0,1) biases (Nielsen), <c>zero</c>, or <c>constant:v</c>.</summary>
    public string BiasInit { get; init; } = "normal";

    /// <summary>Normalisation of every hidden layer: <c>none</c>, <c>batch</c> or <c>layer</c>.</summary>
    public string Normalization { get; init; } = "none";

    /// <summary>Skip connections a^l = σ(z^l) + a^{l−1} on every hidden layer whose fan-in equals its fan-out.</summary>
    public bool Residual { get; init; }

    /// <summary>
    /// Recurrent hidden layers over sequences, or null for a feed-forward net. With it, <see cref="Layers"/> is
    /// [inputs per step, hidden…, outputs]: every hidden layer is a recurrent layer and the last a dense read-out.
    /// </summary>
    public RecurrentSpec? Recurrent { get; init; }

    /// <summary>Number of weight layers L (one less than the number of sizes).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int Depth => Layers.Length - 1;

    /// <summary>Most weight layers a network may have (a chain this deep is a typo, not an experiment).</summary>
    public const int MaxDepth = 10_000;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first bad value.</summary>
    public void Validate()
    {
        if (Layers is null || Layers.Length < 2)
            throw new ArgumentException($"A network needs at least 2 layer sizes (input and output), got {(Layers is null ? "none" : string.Join(",", Layers))}.");
        if (Layers.Length - 1 > MaxDepth)
            throw new ArgumentException($"A network of {Layers.Length - 1} weight layers is deeper than the {MaxDepth} Gradscope trains.");
        for (int i = 0; i < Layers.Length; i++)
            if (Layers[i] < 1)
                throw new ArgumentException($"Layer size {Layers[i]} at position {i} is invalid: sizes must be positive.");
        // Each weight matrix is one array, indexed with int: its element count must fit one.
        for (int l = 1; l < Layers.Length; l++)
            if ((long)Layers[l - 1] * Layers[l] > Array.MaxLength)
                throw new ArgumentException($"Layer {l} has {(long)Layers[l - 1] * Layers[l]:N0} weights ({Layers[l - 1]}×{Layers[l]}); one weight matrix holds at most {Array.MaxLength:N0}.");
        if (Activation is null || Cost is null || Init is null || BiasInit is null || Normalization is null)
            throw new ArgumentException("A network needs an activation, a cost, an init, a bias init and a normalisation (none of them may be null).");
        if (LayerActivations is not null && LayerActivations.Length != Depth)
            throw new ArgumentException($"{LayerActivations.Length} layer activations given for {Depth} weight layers.");
        for (int l = 1; l <= Depth; l++) ActivationOf(l);
        var cost = Model.Cost.Parse(Cost);
        string output = ActivationOf(Depth).Name;
        if (!cost.Accepts(output))
            throw new ArgumentException($"Cost '{cost.Name}' cannot be paired with a '{output}' output; use '{cost.DefaultOutput}'.");
        Initializer.Parse(Init);
        ParseBiasInit(BiasInit);
        ParseNormalization(Normalization);
        if (Recurrent is { } recurrent)
        {
            recurrent.Validate();
            if (Depth < 2) throw new ArgumentException($"A recurrent net needs at least one hidden size, got [{string.Join(",", Layers)}].");
            if (ParseNormalization(Normalization) != Model.Normalization.None || Residual)
                throw new ArgumentException("Normalisation and residual connections are not available with recurrent layers.");
        }
    }

    /// <summary>The normalisation of weight layer l: the spec's for hidden layers, none for the output.</summary>
    public Model.Normalization NormalizationOf(int l) => l < Depth ? ParseNormalization(Normalization) : Model.Normalization.None;

    /// <summary>Whether weight layer l has a skip connection.</summary>
    public bool ResidualAt(int l) => Residual && l < Depth && Layers[l - 1] == Layers[l];

    public static Model.Normalization ParseNormalization(string text) => (text ?? "").Trim().ToLowerInvariant() switch
    {
        "none" or "" => Model.Normalization.None,
        "batch" or "batchnorm" or "bn" => Model.Normalization.Batch,
        "layer" or "layernorm" or "ln" => Model.Normalization.Layer,
        _ => throw new ArgumentException($"Unknown normalisation '{text}'. Valid: none, batch, layer."),
    };

    /// <summary>The activation of weight layer l (1-based, Nielsen's index: layer 1 is the first hidden layer).</summary>
    public Activation ActivationOf(int l)
    {
        if (l < 1 || l > Depth) throw new ArgumentOutOfRangeException(nameof(l), l, $"Layer index must be in [1, {Depth}].");
        if (Recurrent is { } recurrent && l < Depth) return recurrent.Activation;
        if (LayerActivations is not null)
            return l == Depth ? Model.Activation.ParseOutput(LayerActivations[l - 1]) : Model.Activation.Parse(LayerActivations[l - 1]);
        if (l < Depth) return Model.Activation.Parse(Activation);
        string output = OutputActivation ?? (Model.Cost.Parse(Cost) is Costs.QuadraticCost ? Activation : Model.Cost.Parse(Cost).DefaultOutput);
        return Model.Activation.ParseOutput(output);
    }

    /// <summary>Parses a bias initialiser: returns (isNormal, constant).</summary>
    public static (bool Normal, double Constant) ParseBiasInit(string text)
    {
        string t = (text ?? "").Trim().ToLowerInvariant();
        if (t is "normal" or "standard-normal") return (true, 0);
        if (t is "zero" or "zeros") return (false, 0);
        if (t.StartsWith("constant:", StringComparison.Ordinal) &&
            double.TryParse(t["constant:".Length..], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double v) &&
            double.IsFinite(v))
            return (false, v);
        throw new ArgumentException($"Unknown bias initialiser '{text}'. Valid: normal, zero, constant:<value>.");
    }

    public override string ToString() => $"[{string.Join(",", Layers)}] {Activation} {Cost} {Init}";
}
