namespace Gradscope.Model.Layers;

/// <summary>What a recurrent layer hands the layer above (<see cref="RecurrentLayer{T}.Output"/>).</summary>
public enum RecurrentOutput
{
    /// <summary>h_τ, [examples × H]: the read-out of a sequence's last step.</summary>
    LastStep,

    /// <summary>h_1…h_τ time-major [τ × examples × H]: the input of a recurrent layer above.</summary>
    TimeMajor,

    /// <summary>h_1…h_τ example-major [examples × τ × H]: the input of a read-out at every step.</summary>
    ExampleMajor,
}
