namespace Gradscope.Diagnosis;

public static partial class Doctor
{
    /// <summary>
    /// Vanishing or exploding through time: a recurrent layer's ‖∂C/∂h_1‖/‖∂C/∂h_τ‖ orders of magnitude from 1 while the
    /// task is unsolved. The mechanism is read from the per-step factors (W_hh's or σ''s, multiplied over the steps)
    /// and from W_hh's λ₁ against Pascanu et al.'s bound 1/γ.
    /// </summary>
    private static void ThroughTime(DiagnosisInput input, RunView view, List<Finding> findings)
    {
        bool end = !input.AtInit;
        foreach (int l in view.ProfileLayers(Quantity.TimeGradNorm))
        {
            double ratio = end ? view.AtEnd(Quantity.TimeGradRatio, l) : view.AtInit(Quantity.TimeGradRatio, l);
            if (!double.IsFinite(ratio) || ratio <= 0) continue;
            bool vanishing = ratio < Thresholds.SevereVanishingRatio, exploding = ratio > 1 / Thresholds.SevereVanishingRatio;
            if (!vanishing && !exploding) continue;
            var profile = end ? view.ProfileAtEnd(Quantity.TimeGradNorm, l) : view.ProfileAtInit(Quantity.TimeGradNorm, l);
            int steps = profile.Count;
            long step = end ? view.ProfileSteps(Quantity.TimeGradNorm, l)[^1] : view.ProfileSteps(Quantity.TimeGradNorm, l)[0];
            double weight = MeanLog(view.Profile(Quantity.TimeWeightFactor, l, step)), activation = MeanLog(view.Profile(Quantity.TimeActivationFactor, l, step));
            double gain = Math.Pow(ratio, 1.0 / Math.Max(1, steps - 1));
            double lambda = end ? view.AtEnd(Quantity.RecurrentSpectralNorm, l) : view.AtInit(Quantity.RecurrentSpectralNorm, l);
            double bound = view.AtEnd(Quantity.RecurrentBound, l);
            string cause = Math.Abs(Math.Log(weight)) >= Math.Abs(Math.Log(activation))
                ? $"the recurrent weights: W_hhᵀ scales the gradient by {N(weight)} per step (geometric mean), σ' by {N(activation)}"
                : $"σ': the activation factor is {N(activation)} per step (geometric mean), W_hhᵀ's {N(weight)}";
            string spectrum = double.IsFinite(lambda) && double.IsFinite(bound)
                ? $" W_hh's largest singular value λ₁ = {N(lambda)} is {(lambda < bound ? "below" : "above")} Pascanu et al.'s bound 1/γ = {N(bound)}" +
                  (lambda < bound ? ", so the product of step Jacobians must vanish." : ", so the product can grow.")
                : "";
            string when = end ? $"at end (step {step})" : "at init";
            if (vanishing)
                findings.Add(Make(FindingKind.VanishingThroughTime, ratio < Thresholds.SevereVanishingRatio * 0.01 ? Severity.Critical : Severity.Warning,
                    $"vanishing through time in layer {l}",
                    $"‖∂C/∂h_1‖/‖∂C/∂h_{steps}‖ = {N(ratio)} {when}: the gradient reaching the first step is {N(1 / ratio)}× smaller than at the last, " +
                    $"a gain of {N(gain)} per step; the main factor is {cause}.{spectrum}",
                    "The error signal reaching step k from step t is a product of t − k Jacobians W_hhᵀ·diag(σ'(z)) (Bengio, Simard & Frasconi 1994). " +
                    "Below 1 per step it decays geometrically, so early inputs cannot influence learning: long-range dependencies are not learned.",
                    Untried(input, l, ["lstm", "gru", "forget-bias", "orthogonal-recurrent", "identity-recurrent"]),
                    new() { ["ratio"] = ratio, ["gain_per_step"] = gain, ["weight_factor"] = weight, ["activation_factor"] = activation, ["lambda1"] = lambda, ["bound"] = bound },
                    [l]));
            else
                findings.Add(Make(FindingKind.ExplodingThroughTime, Severity.Critical, $"exploding through time in layer {l}",
                    $"‖∂C/∂h_1‖/‖∂C/∂h_{steps}‖ = {N(ratio)} {when}: a gain of {N(gain)} per step; the main factor is {cause}.{spectrum}",
                    "Above 1 per step the product of step Jacobians grows geometrically with the distance in time, and one step of SGD can throw " +
                    "the weights far away (Pascanu et al. 2013). Clipping the norm keeps the direction and bounds the step.",
                    Untried(input, l, ["clip-norm-1", "shorter-bptt", "lower-eta", "orthogonal-recurrent", "lstm"]),
                    new() { ["ratio"] = ratio, ["gain_per_step"] = gain, ["weight_factor"] = weight, ["activation_factor"] = activation, ["lambda1"] = lambda, ["bound"] = bound },
                    [l]));
        }
    }

    /// <summary>
    /// The remedies that change something for layer l's cell: an LSTM is not told to become an LSTM, and ReLU units
    /// with an identity W_hh (IRNN) are a plain RNN's remedy, not a gated cell's.
    /// </summary>
    private static IEnumerable<string> Untried(DiagnosisInput input, int l, string[] remedies)
    {
        string cell = l >= 1 && l <= input.Layers.Count ? input.Layers[l - 1].Kind : "";
        return remedies.Where(r => r != cell && !(r == "identity-recurrent" && cell is "lstm" or "gru"));
    }

    private static double MeanLog(IReadOnlyList<double> values)
    {
        double sum = 0;
        int n = 0;
        foreach (double v in values)
            if (double.IsFinite(v) && v > 0)
            {
                sum += Math.Log(v);
                n++;
            }
        return n == 0 ? double.NaN : Math.Exp(sum / n);
    }
}
