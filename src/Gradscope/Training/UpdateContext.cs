namespace Gradscope.Training;

/// <summary>What an optimiser needs to know about the current step for one parameter.</summary>
/// <param name="Step">0-based step index.</param>
/// <param name="LearningRate">η for this parameter at this step (after layer rates, trust ratio, weight or bias rate).</param>
/// <param name="WeightDecay">The L2 coefficient λ/n (Nielsen's form): non-zero for weights only.</param>
public readonly record struct UpdateContext(long Step, double LearningRate, double WeightDecay);
