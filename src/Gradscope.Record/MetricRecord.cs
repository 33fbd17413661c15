namespace Gradscope.Record;

/// <summary>
/// One measurement: a quantity at a step (and layer, 0 for network-wide), with a scalar value or a vector of
/// values (histogram counts, singular values). <see cref="Index"/> tells apart several vectors of one step,
/// e.g. the Jacobian at several inputs. <see cref="T"/> is the time step t (1…τ) of a recurrent layer's per-step
/// quantity (‖∂C/∂h_t‖), null for everything else; it is written as <c>"t"</c> only when present.
/// </summary>
public readonly record struct MetricRecord(long Step, int Epoch, int Layer, string Quantity, double Value, double[]? Values = null, int Index = 0, int? T = null);
