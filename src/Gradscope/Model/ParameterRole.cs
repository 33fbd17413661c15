namespace Gradscope.Model;

/// <summary>What a parameter does in its layer; optimisers, clipping and probes treat parameters by role, not by layer type.</summary>
public enum ParameterRole
{
    /// <summary>A weight matrix W^l (Nielsen's L2 decay applies to it).</summary>
    Weight,

    /// <summary>A bias b^l (also the shift β of a normalised layer).</summary>
    Bias,

    /// <summary>A normaliser's gain γ^l.</summary>
    Gain,

    /// <summary>A recurrent weight matrix U^l acting on the previous hidden state h_{t−1} (decayed like a weight).</summary>
    Recurrent,
}
