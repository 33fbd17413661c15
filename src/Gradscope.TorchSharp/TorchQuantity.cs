namespace Gradscope.TorchSharp;

/// <summary>
/// Quantities only the adapter writes, beside the engine's (<see cref="Quantity"/>). Records carry the layer's index
/// l and, in <see cref="MetricRecord.Index"/>, the parameter's position in the layer's descriptor or the time step.
/// </summary>
public static class TorchQuantity
{
    /// <summary>‖p‖ of one parameter of the layer (Index = its position in <see cref="LayerDescriptor.Parameters"/>).</summary>
    public const string ParameterNorm = "param_norm";

    /// <summary>‖∂L/∂p‖ of one parameter of the layer (Index = its position in <see cref="LayerDescriptor.Parameters"/>).</summary>
    public const string ParameterGradNorm = "param_grad_norm";

    /// <summary>
    /// Gradient through time ‖∂C/∂h_t‖ (root-mean-square over the batch) of a module called once per time step in
    /// one forward pass — a recurrent cell unrolled by the user; Index = t, the call's position (0 = first).
    /// </summary>
    public const string TimeGradNorm = "time_grad_norm";
}
