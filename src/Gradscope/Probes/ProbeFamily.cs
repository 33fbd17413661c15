using System.Numerics;
using Gradscope.Observation;
using Gradscope.Probes.Quantities;
using Gradscope.Training;

namespace Gradscope.Probes;

/// <summary>
/// Per-layer probes of one group that follow each other in the listed order, measured in one call per layer view.
/// Each member stays its own class, with its record, tier, needs and twin test; the family only calls the members'
/// <see cref="Probe{T}.Measure(ProbeContext{T}, in LayerView{T})"/> directly, their classes being sealed, rather than
/// once each through the base class: on a small net a step's probes are many calls of a few nanoseconds' work, and
/// the indirect calls cost more than the work. Records come in the members' order, so they are the same bytes. Of the
/// other per-layer hook, <see cref="Probe{T}.Updated"/>, a family calls the members that measure there.
/// <see cref="ProbeSet{T}"/> puts a family in place of its members only where they are all present, in order.
/// </summary>
internal abstract class ProbeFamily<T> : Probe<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public abstract IReadOnlyList<Probe<T>> Members { get; }

    public override string Quantity => Members[0].Quantity;
    public override ProbeTier Tier => Members.Max(m => m.Tier);
    public override ProbeGroup Group => Members[0].Group;
    public override Needs Needs => Members.Aggregate(Needs.None, (n, m) => n | m.Needs);

    /// <summary>The families whose members are all among <paramref name="probes"/>.</summary>
    public static IEnumerable<ProbeFamily<T>> Of(IReadOnlyList<Probe<T>> probes)
    {
        P? One<P>() where P : Probe<T> => probes.OfType<P>().FirstOrDefault();
        if (One<BiasGradNorm<T>>() is { } bias && One<WeightGradNorm<T>>() is { } weight && One<DeltaNorm<T>>() is { } delta
            && One<Gain<T>>() is { } gain && One<WeightFactor<T>>() is { } weightFactor && One<ActivationFactor<T>>() is { } activationFactor)
            yield return new NormsFamily<T>(bias, weight, delta, gain, weightFactor, activationFactor);
        if (One<BatchCost<T>>() is { } cost && One<SigmaPrimeMean<T>>() is { } mean && One<SigmaPrimeMin<T>>() is { } min
            && One<SigmaPrimeMax<T>>() is { } max && One<SaturatedFraction<T>>() is { } saturated && One<DeadFraction<T>>() is { } dead
            && One<ActivationMean<T>>() is { } activationMean && One<ActivationStd<T>>() is { } activationStd && One<WeightNorm<T>>() is { } weightNorm)
            yield return new StatisticsFamily<T>(cost, mean, min, max, saturated, dead, activationMean, activationStd, weightNorm);
    }

    /// <summary><paramref name="probes"/> with each family in place of the run of its members, where they form one.</summary>
    public static List<Probe<T>> Fuse(IReadOnlyList<Probe<T>> probes)
    {
        var list = probes.ToList();
        foreach (var family in Of(probes))
        {
            var members = family.Members;
            int at = list.IndexOf(members[0]);
            if (at < 0 || at + members.Count > list.Count) continue;
            bool run = true;
            for (int k = 0; k < members.Count; k++) run &= ReferenceEquals(list[at + k], members[k]);
            if (!run || members.Any(m => m.Group != family.Group)) continue;
            list.RemoveRange(at, members.Count);
            list.Insert(at, family);
        }
        return list;
    }
}

/// <summary>The norms group's per-layer quantities: ‖∂C/∂b‖, ‖∂C/∂W‖, ‖δ‖, the gain and its two factors.</summary>
internal sealed class NormsFamily<T>(BiasGradNorm<T> bias, WeightGradNorm<T> weight, DeltaNorm<T> delta, Gain<T> gain,
    WeightFactor<T> weightFactor, ActivationFactor<T> activationFactor) : ProbeFamily<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public override IReadOnlyList<Probe<T>> Members { get; } = [bias, weight, delta, gain, weightFactor, activationFactor];

    public override void Measure(ProbeContext<T> context, in LayerView<T> view)
    {
        bias.Measure(context, view);
        weight.Measure(context, view);
        delta.Measure(context, view);
        gain.Measure(context, view);
        weightFactor.Measure(context, view);
        activationFactor.Measure(context, view);
    }

    public override void Updated(ProbeContext<T> context, int layer, in UpdateNorms norms)
    {
        bias.Updated(context, layer, norms);
        weight.Updated(context, layer, norms);
    }
}

/// <summary>The statistics group's per-layer quantities: the batch cost, σ' statistics, dead units, activation moments, ‖W‖.</summary>
internal sealed class StatisticsFamily<T>(BatchCost<T> cost, SigmaPrimeMean<T> mean, SigmaPrimeMin<T> min, SigmaPrimeMax<T> max,
    SaturatedFraction<T> saturated, DeadFraction<T> dead, ActivationMean<T> activationMean, ActivationStd<T> activationStd,
    WeightNorm<T> weightNorm) : ProbeFamily<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public override IReadOnlyList<Probe<T>> Members { get; } = [cost, mean, min, max, saturated, dead, activationMean, activationStd, weightNorm];

    public override void Measure(ProbeContext<T> context, in LayerView<T> view)
    {
        cost.Measure(context, view);
        mean.Measure(context, view);
        min.Measure(context, view);
        max.Measure(context, view);
        saturated.Measure(context, view);
        dead.Measure(context, view);
        activationMean.Measure(context, view);
        activationStd.Measure(context, view);
        weightNorm.Measure(context, view);
    }

    public override void Updated(ProbeContext<T> context, int layer, in UpdateNorms norms) => weightNorm.Updated(context, layer, norms);
}
