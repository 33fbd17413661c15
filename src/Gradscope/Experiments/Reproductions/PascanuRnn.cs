using Gradscope.Data;
using Gradscope.Training;

namespace Gradscope.Experiments.Reproductions;

/// <summary>
/// Pascanu, Mikolov &amp; Bengio (2013), On the difficulty of training recurrent neural networks: a tanh RNN on the
/// adding and temporal-order tasks. The gradient through time at init for W_hh scaled below, at and above the bound
/// 1/γ = 1 (it decays geometrically below, at the rate the spectrum and σ' set), and training with W_hh above the
/// bound with and without clipping the gradient norm at 1 (their threshold), success over seeds.
/// </summary>
public sealed class PascanuRnn : Reproduction
{
    private const int Hidden = 50; // Pascanu et al.'s 50 tanh units

    public override string Name => "pascanu-rnn";
    public override string Description => "Tanh RNN on adding/temporal-order at T = 50, 100, 200: gradient through time vs W_hh's spectrum, clipping (Pascanu et al. 2013).";

    public override ReproResult Run(ReproContext context)
    {
        int[] lengths = context.Budget >= 1 ? [50, 100, 200] : context.Budget >= 0.3 ? [50, 100] : [50];
        var values = new List<ReproValue>();
        var (spectrum, findings) = Spectrum(context, lengths, values);
        var training = Training(context, lengths, values);
        findings.AddRange(training.Findings);
        return new ReproResult(Name, "Pascanu, Mikolov & Bengio, On the difficulty of training recurrent neural networks (ICML 2013)",
            [spectrum, training.Table], findings, [], values);
    }

    private static (ReproTable, List<string>) Spectrum(ReproContext context, int[] lengths, List<ReproValue> values)
    {
        var rows = new List<string[]>();
        var findings = new List<string>();
        foreach (int steps in lengths)
        {
            var data = SequenceTasks.Load("adding", 128, 128, steps, context.Seed);
            foreach (string init in new[] { "radius:0.8", "radius:1", "radius:1.2", "orthogonal" })
            {
                var spec = SequenceTraining.Spec("rnn", Hidden, data, init);
                var (ratio, lambda, radius) = SequenceTraining.AtInit(spec, data.Train, 128, context.Seed);
                double gain = Math.Pow(ratio, 1.0 / (steps - 1));
                rows.Add([$"{steps}", init, F(radius), F(lambda), "1", Numbers.Short(ratio), F(gain)]);
                string key = $"spectrum/T={steps}/{init}/";
                values.Add(new(key + "spectral-radius", radius, "ρ(W_hh)"));
                values.Add(new(key + "largest-singular-value", lambda, "λ₁(W_hh)", 1));
                values.Add(new(key + "gradient-through-time-ratio", ratio, "‖∂C/∂h_1‖/‖∂C/∂h_T‖"));
                values.Add(new(key + "gain-per-step", gain, "ratio^(1/(T−1))"));
                if (steps == lengths[^1] && init is "radius:0.8" or "radius:1.2")
                    findings.Add($"Measured: W_hh at {init} has λ₁ = {F(lambda)}, {(lambda < 1 ? "below" : "above")} 1/γ = 1; ‖∂C/∂h_1‖/‖∂C/∂h_{steps}‖ = {Numbers.Short(ratio)} at init, " +
                        $"a factor {F(gain)} per step: the gradient through time {(gain < 1 ? "decays geometrically" : "does not decay")}" +
                        (lambda < 1 ? " (λ₁ < 1/γ is Pascanu et al.'s sufficient condition for vanishing)." : $" (λ₁ > 1/γ is only necessary for growth; ρ = {F(radius)} and σ' < 1 set the rate).")) ;
            }
        }
        return (new ReproTable($"tanh RNN, {Hidden} units, adding task: the gradient through time at init (128 sequences)",
            ["T", "W_hh init", "ρ(W_hh)", "λ₁(W_hh)", "1/γ (tanh)", "‖∂C/∂h_1‖/‖∂C/∂h_T‖", "gain per step"], rows,
            "Published (Pascanu et al. 2013, §3): λ₁ < 1/γ is sufficient for the gradient through time to vanish (geometrically in T − k); λ₁ > 1/γ is necessary for it to explode."), findings);
    }

    private static (ReproTable Table, List<string> Findings) Training(ReproContext context, int[] lengths, List<ReproValue> values)
    {
        int seeds = context.Scaled(5, 2);
        long budget = (long)context.Scaled(200_000, 4_000);
        var rows = new List<string[]>();
        var findings = new List<string>();
        foreach (string task in new[] { "adding", "temporal-order" })
            foreach (int steps in lengths)
            {
                var data = SequenceTasks.Load(task, context.Scaled(20_000, 2_000), 500, steps, context.Seed);
                foreach (double clip in new[] { 0.0, 1.0 })
                {
                    var outcomes = new List<SequenceOutcome>();
                    for (int s = 0; s < seeds; s++)
                    {
                        context.Say($"pascanu-rnn: {task} T = {steps}, clip {clip}, seed {s + 1}/{seeds}");
                        var spec = SequenceTraining.Spec("rnn", Hidden, data, "radius:1.2");
                        var options = new TrainingOptions { Eta = 0.01, BatchSize = 20, Momentum = 0.9, Optimizer = "momentum", ClipNorm = clip, Lambda = 0 };
                        outcomes.Add(SequenceTraining.Run(spec, options, data, budget, 50, context.Seed + (ulong)s));
                    }
                    int solved = outcomes.Count(o => o.Solved), diverged = outcomes.Count(o => o.Diverged);
                    double clipRate = outcomes.Select(o => o.ClipRate).Where(double.IsFinite).DefaultIfEmpty(double.NaN).Average();
                    string key = $"training/{task}/T={steps}/{(clip > 0 ? "clip-1" : "no-clip")}/";
                    values.Add(new(key + "solved-share", solved / (double)seeds, $"fraction of {seeds} seeds"));
                    values.Add(new(key + "diverged-share", diverged / (double)seeds, $"fraction of {seeds} seeds"));
                    values.Add(new(key + "best-fraction-wrong", outcomes.Select(o => o.FractionWrong).Where(double.IsFinite).DefaultIfEmpty(double.NaN).Min(), "fraction"));
                    values.Add(new(key + "clip-rate", clipRate, "fraction of steps"));
                    rows.Add([task, $"{steps}", clip > 0 ? "clip at 1" : "none", $"{solved}/{seeds}", $"{diverged}/{seeds}",
                        F(outcomes.Select(o => o.FractionWrong).Where(double.IsFinite).DefaultIfEmpty(double.NaN).Min()), Percent(clipRate),
                        Numbers.Short(outcomes.Select(o => o.RatioAtEnd).Where(double.IsFinite).DefaultIfEmpty(double.NaN).Average())]);
                    if (clip > 0 && steps == lengths[0])
                        findings.Add($"Measured: {task}, T = {steps}, W_hh at radius 1.2 with clipping at 1: {solved}/{seeds} seeds solved within {budget:N0} sequences, " +
                            $"{diverged}/{seeds} diverged; clipping changed {Percent(clipRate)} of the steps.");
                }
            }
        return (new ReproTable($"tanh RNN ({Hidden} units, W_hh at radius 1.2), SGD with momentum 0.9, η = 0.01, batches of 20, up to {budget:N0} sequences per seed",
            ["task", "T", "clipping", "solved", "diverged", "best fraction wrong", "clip rate", "‖∂C/∂h_1‖/‖∂C/∂h_T‖ at end"], rows,
            "Published (Pascanu et al. 2013, Fig. 7): with clipping (and their regulariser) the RNN solves both tasks up to T = 200 in most runs; without, it fails more often as T grows. " +
            "Solved = under 1% of 500 fresh sequences wrong (adding: |error| > 0.04; temporal order: an output 0.3 from its target)."), findings);
    }
}
