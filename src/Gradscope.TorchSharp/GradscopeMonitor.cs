using System.Runtime.CompilerServices;
using static TorchSharp.torch;

namespace Gradscope.TorchSharp;

/// <summary>
/// Watches a user's own TorchSharp model and writes a Gradscope run record, which <c>gradscope report</c> and
/// <c>gradscope diagnose</c> read as they read the engine's runs:
/// <code>
/// using var scope = GradscopeMonitor.Attach(model, new MonitorOptions { RunDirectory = "runs/my-net" });
/// // each step: forward, loss.backward(), then
/// scope.Step(loss);      // measures; then the user's optimizer.step()
/// </code>
/// </summary>
public static class GradscopeMonitor
{
    private static readonly ConditionalWeakTable<nn.Module, MonitorScope> Attached = new();

    /// <summary>
    /// Hooks every module of <paramref name="model"/> that holds parameters and creates the run directory. Throws
    /// <see cref="MonitorException"/> when the model is already monitored or has no parameters (the run directory, if
    /// it can be made, then says so with status failed).
    /// </summary>
    public static MonitorScope Attach(nn.Module model, MonitorOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.RunDirectory);
        var schedules = options.ResolveSchedules();
        lock (Attached)
        {
            if (Attached.TryGetValue(model, out var existing))
                throw MonitorScope.Refuse(options, [],
                    $"This model is already monitored (writing to '{existing.RunDirectory}'). Dispose that scope before attaching again; one model has one monitor.");
            var layers = ModuleTree.Discover(model);
            if (layers.Count == 0)
                throw MonitorScope.Refuse(options, [],
                    $"The model ({model.GetType().Name}) has no parameters, so there are no gradients to measure. Attach the monitor to the model you train.");
            var scope = new MonitorScope(model, options, schedules, layers, () =>
            {
                lock (Attached) Attached.Remove(model);
            });
            Attached.Add(model, scope);
            return scope;
        }
    }
}
