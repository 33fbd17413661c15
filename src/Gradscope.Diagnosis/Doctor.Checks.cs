
namespace Gradscope.Diagnosis;

public static partial class Doctor
{
    private static bool Converged(DiagnosisInput input, RunView view, List<Finding> findings)
    {
        var epochs = input.Epochs;
        if (epochs.Count < 3 || input.Status != RunStatus.Complete) return false;
        // Plateau: the last fifth of the epochs removed only a small share of the whole fall in cost.
        int tail = Math.Max(2, (epochs.Count - 1) / 5 + 1);
        var last = epochs.Skip(epochs.Count - tail).ToList();
        double fall = epochs[0].TrainCost - epochs[^1].TrainCost;
        double change = fall <= 0 ? 1 : (last[0].TrainCost - last[^1].TrainCost) / fall;
        bool labelled = !double.IsNaN(epochs[^1].TrainAccuracy);
        bool low = labelled
            ? epochs[^1].TrainAccuracy >= Thresholds.ConvergedAccuracy
            : epochs[^1].TrainCost <= Thresholds.ConvergedCostFraction * epochs[0].TrainCost;
        if (change > Thresholds.PlateauChange || !low) return false;
        double shrink = Enumerable.Range(1, view.Depth).Select(l => view.Speed(l, atEnd: true) / view.Speed(l, atEnd: false))
            .Where(double.IsFinite).DefaultIfEmpty(double.NaN).Max();
        findings.Add(Make(FindingKind.Converged, Severity.Info, "converged, not vanishing",
            $"the last {(tail - 1 == 1 ? "epoch" : $"{tail - 1} epochs")} removed {N(Math.Max(0, change) * 100)}% of the total fall in cost, which sits at {N(epochs[^1].TrainCost)} " +
            (labelled ? $"with {N(epochs[^1].TrainAccuracy * 100)}% training accuracy; " : "; ") +
            $"every layer's speed of learning at end is at most {N(shrink)}× its value at init.",
            "Small gradients in every layer at once, on a low plateau, mean the net is near a minimum. This is not the vanishing-gradient " +
            "problem, where early layers are orders of magnitude slower than late ones while the cost is still high.",
            [], new() { ["cost_change"] = change, ["final_cost"] = epochs[^1].TrainCost, ["speed_shrink"] = shrink }, []));
        return true;
    }

    private static void NonFinite(DiagnosisInput input, RunView view, List<Finding> findings)
    {
        var first = input.Metrics.Where(m => m.Quantity == Quantity.NonFinite).OrderBy(m => m.Step).FirstOrDefault();
        if (first.Quantity is null && input.Status != RunStatus.Failed) return;
        if (first.Quantity is null && input.Failure?.Contains("non-finite", StringComparison.Ordinal) != true) return;
        string where = first.Quantity is null ? input.Failure ?? "" : $"step {first.Step} (epoch {first.Epoch}), layer {first.Layer}";
        string direction = input.Failure is { } f && f.Contains("pass", StringComparison.Ordinal) ? f[(f.LastIndexOf(',') + 1)..].Trim() : "";
        findings.Add(Make(FindingKind.NonFinite, Severity.Critical, "exploding: training produced NaN/Inf",
            $"first non-finite value at {where}{(direction.Length > 0 ? $" ({direction})" : "")}.",
            "Gains above 1 compound layer by layer (and step by step through large updates) until values overflow. A forward overflow points at " +
            "weights too large for the depth; a backward one at the product of W^{l+1}·σ' factors; an update one at the learning rate.",
            ["clip-norm", "lower-eta", "glorot-init", "orthogonal-init"], new() { ["step"] = first.Step, ["layer"] = first.Layer },
            first.Quantity is null ? [] : [first.Layer]));
    }

    private static void VanishingOrExploding(DiagnosisInput input, RunView view, List<Finding> findings)
    {
        if (view.Depth < 3) return;
        int lastHidden = view.LastHidden;
        bool end = !input.AtInit;
        var speedRatio = view.Ratio(end);
        double first = view.Speed(1, end), last = view.Speed(lastHidden, end), ratio = speedRatio.Value;
        if (!speedRatio.IsFinite) return;

        // Which factor of the backward gain carries the change: each multiplied over the layers between the pair.
        double activationProduct = view.FactorProduct(Quantity.ActivationFactor), weightProduct = view.FactorProduct(Quantity.WeightFactor);
        double logActivation = Math.Log(activationProduct), logWeight = Math.Log(weightProduct);
        var sigmaMeans = new List<string>();
        for (int l = 1; l < lastHidden; l++)
        {
            double sp = view.Typical(Quantity.SigmaPrimeMean, l);
            if (!double.IsNaN(sp)) sigmaMeans.Add($"σ'(z^{l}) ≈ {N(sp)}");
        }
        var numbers = new Dictionary<string, double>
        {
            ["first_to_last_ratio"] = ratio,
            ["activation_factor_product"] = activationProduct,
            ["weight_factor_product"] = weightProduct,
        };
        var layers = Enumerable.Range(1, lastHidden).ToList();
        string when = When(input, view);
        string factors = double.IsFinite(logActivation) && double.IsFinite(logWeight)
            ? $"Across layers 1…{lastHidden - 1} the σ'(z) factors multiply to {N(activationProduct)} and the weight factors to {N(weightProduct)} (typical over the run)"
            : "The factor split was not measured";

        if (ratio < Thresholds.VanishingRatio)
        {
            bool sigma = logActivation < logWeight;
            string explanation = sigma
                ? $"δ^l = ((W^{{l+1}})ᵀδ^{{l+1}}) ⊙ σ'(z^l): each layer multiplies the gradient by a σ' factor. {factors}, so the activation derivatives " +
                  $"shrink it{(sigmaMeans.Count > 0 ? $" ({string.Join(", ", sigmaMeans.Take(4))}; a sigmoid's σ' is at most 0.25)" : "")}."
                : $"δ^l = ((W^{{l+1}})ᵀδ^{{l+1}}) ⊙ σ'(z^l). {factors}, so the weights — their scale at initialisation — shrink the gradient more than σ' does.";
            string[] remedies = sigma
                ? ["relu-he", "batch-norm", "residual", "rmsprop", "trust-ratio", "glorot-init"]
                : ["glorot-init", "orthogonal-init", "trust-ratio", "batch-norm", "relu-he"];
            findings.Add(Make(FindingKind.Vanishing, ratio < Thresholds.SevereVanishingRatio ? Severity.Critical : Severity.Warning,
                $"vanishing gradient: layer 1 learns at {speedRatio} the speed of layer {lastHidden}",
                $"speed of learning ‖∂C/∂b^l‖ {when}: layer 1 = {N(first)}, layer {lastHidden} = {N(last)} ({SpeedRatio.Name} {speedRatio}); " +
                $"by layer: {string.Join(", ", Enumerable.Range(1, view.Depth).Select(l => $"{l}: {N(view.Speed(l, end))}"))}.",
                explanation, remedies, numbers, layers));
        }
        else if (!input.AtInit && view.Ratio(atEnd: false) is { IsFinite: true } early && early.Value < Thresholds.VanishingRatio)
        {
            numbers["first_to_last_ratio_at_start"] = early.Value;
            findings.Add(Make(FindingKind.Vanishing, Severity.Info,
                $"vanishing at the start, since recovered: layer 1 began at {early} the speed of layer {lastHidden}",
                $"speed of learning, {SpeedRatio.Name} layer: {early} at init, {speedRatio} {when}.",
                $"The early layers lagged while {(logActivation < logWeight ? "the σ'(z) factors" : "the weights")} shrank the back-propagated gradient; " +
                "training has since grown the weights enough to balance the layers, but those early steps were mostly wasted.",
                logActivation < logWeight ? ["relu-he", "batch-norm", "glorot-init"] : ["glorot-init", "orthogonal-init", "trust-ratio"], numbers, layers));
        }
        else if (ratio > Thresholds.ExplodingRatio)
        {
            bool sigma = logActivation > logWeight;
            findings.Add(Make(FindingKind.Exploding, Severity.Warning,
                $"exploding gradient: layer 1 learns at {speedRatio} the speed of layer {lastHidden}",
                $"speed of learning ‖∂C/∂b^l‖ {when}: layer 1 = {N(first)}, layer {lastHidden} = {N(last)} ({SpeedRatio.Name} {speedRatio}).",
                $"Backward gains above 1 compound toward the input. {factors}, so {(sigma ? "the activation derivatives" : "the weights")} amplify the gradient; " +
                "early layers take steps far larger than late ones.",
                ["clip-norm", "glorot-init", "orthogonal-init", "batch-norm", "lower-eta"], numbers, layers));
        }
    }

    private static void Growth(DiagnosisInput input, RunView view, List<Finding> findings)
    {
        if (input.AtInit || view.LastStep < 10 || findings.Any(f => f.Kind == FindingKind.NonFinite)) return;
        var growing = new List<int>();
        double worst = 1;
        for (int l = 1; l <= view.Depth; l++)
        {
            // Mini-batch norms are noisy step to step: compare the typical values of the first and last fifths.
            double start = view.Typical(Quantity.WeightGradNorm, l, RunWindow.FirstFifth), end = view.Typical(Quantity.WeightGradNorm, l, RunWindow.LastFifth);
            double growth = end / start;
            if (growth > Thresholds.GradientGrowth)
            {
                growing.Add(l);
                worst = Math.Max(worst, growth);
            }
        }
        if (growing.Count == 0) return;
        findings.Add(Make(FindingKind.Exploding, Severity.Warning, $"gradient norms grew {N(worst)}× during training",
            $"‖∂C/∂W^l‖ (typical over the last fifth of the measurements ÷ over the first fifth) rose over {Thresholds.GradientGrowth}× in {Layers(growing)}.",
            "Steps feed back: large updates enlarge weights, which enlarge the backward gains, which enlarge the next updates.",
            ["clip-norm", "lower-eta", "orthogonal-init"], new() { ["growth"] = worst }, growing));
    }

    private static void Saturation(DiagnosisInput input, RunView view, List<Finding> findings)
    {
        // Piecewise-linear units have σ' = 0 on half their input by design; their failure mode is death, not saturation.
        var hits = Enumerable.Range(1, view.Depth - 1)
            .Where(l => input.Layers[l - 1].Activation is { } name && name is not ("relu" or "identity") && !name.StartsWith("leaky-relu", StringComparison.Ordinal))
            .Select(l => (Layer: l, Share: view.Typical(Quantity.SaturatedFraction, l)))
            .Where(x => x.Share > Thresholds.SaturatedFraction).ToList();
        if (hits.Count == 0) return;
        findings.Add(Make(FindingKind.Saturation, Severity.Warning, $"saturated units in {Layers(hits.Select(h => h.Layer))}",
            string.Join("; ", hits.Select(h => $"layer {h.Layer}: {Numbers.Percent(h.Share)} of σ'(z) below 1% of its maximum")) + " (typical over the run).",
            "A saturated unit passes back almost no gradient (σ' ≈ 0), and neither do the weights into it: the layer stops learning. " +
            "Large |z| comes from weights or biases too large for the fan-in.",
            ["glorot-init", "batch-norm", "zero-bias", "relu-he"], hits.ToDictionary(h => $"layer_{h.Layer}", h => h.Share), hits.Select(h => h.Layer)));
    }

    private static void DeadUnits(DiagnosisInput input, RunView view, List<Finding> findings)
    {
        var hits = Enumerable.Range(1, view.Depth - 1)
            .Select(l => (Layer: l, Share: view.Typical(Quantity.DeadFraction, l)))
            .Where(x => x.Share > Thresholds.DeadFraction).ToList();
        if (hits.Count == 0) return;
        double worst = hits.Max(h => h.Share);
        findings.Add(Make(FindingKind.DeadUnits, worst > Thresholds.SevereDeadFraction ? Severity.Critical : Severity.Warning,
            $"dead units in {Layers(hits.Select(h => h.Layer))}",
            string.Join("; ", hits.Select(h => $"layer {h.Layer}: {Numbers.Percent(h.Share)} of units output 0 for every example of the batch")) + " (typical over the run).",
            "A ReLU unit with z < 0 for every input has σ' = 0 everywhere: no gradient reaches it or its weights, so it never recovers. " +
            "Large negative biases or a too-large learning rate push units there.",
            ["zero-bias", "leaky-relu", "lower-eta", "batch-norm"], hits.ToDictionary(h => $"layer_{h.Layer}", h => h.Share), hits.Select(h => h.Layer)));
    }

    private static void UpdateRatios(DiagnosisInput input, RunView view, List<Finding> findings)
    {
        var low = new List<(int Layer, double Ratio)>();
        var high = new List<(int Layer, double Ratio)>();
        for (int l = 1; l <= view.Depth; l++)
        {
            double r = view.Typical(Quantity.UpdateRatio, l);
            if (double.IsNaN(r)) continue;
            if (r < Thresholds.UpdateRatioLow) low.Add((l, r));
            else if (r > Thresholds.UpdateRatioHigh) high.Add((l, r));
        }
        if (low.Count > 0)
            findings.Add(Make(FindingKind.UpdateRatio, Severity.Warning, $"{Layers(low.Select(x => x.Layer))} barely {(low.Count == 1 ? "moves" : "move")}",
                string.Join("; ", low.Select(x => $"layer {x.Layer}: ‖ΔW‖/‖W‖ ≈ {N(x.Ratio)} per step")) + $" (healthy ≈ 1e-3; below {N(Thresholds.UpdateRatioLow)} a layer is frozen).",
                "Each step changes these weights by a vanishing fraction: their gradient is too small for the shared learning rate.",
                ["trust-ratio", "rmsprop", "relu-he", "glorot-init"], low.ToDictionary(x => $"layer_{x.Layer}", x => x.Ratio), low.Select(x => x.Layer)));
        if (high.Count > 0)
            findings.Add(Make(FindingKind.UpdateRatio, Severity.Warning, $"{Layers(high.Select(x => x.Layer))} {(high.Count == 1 ? "is" : "are")} rewritten every step",
                string.Join("; ", high.Select(x => $"layer {x.Layer}: ‖ΔW‖/‖W‖ ≈ {N(x.Ratio)} per step")) + $" (above {N(Thresholds.UpdateRatioHigh)}).",
                "Updates this large relative to the weights make training unstable: the learning rate is too high for these layers.",
                ["lower-eta", "clip-norm"], high.ToDictionary(x => $"layer_{x.Layer}", x => x.Ratio), high.Select(x => x.Layer)));
    }

    private static void Noise(DiagnosisInput input, RunView view, List<Finding> findings)
    {
        var cosines = Enumerable.Range(1, view.Depth).Select(l => (Layer: l, Cos: view.Typical(Quantity.NoiseCosine, l))).Where(x => !double.IsNaN(x.Cos)).ToList();
        if (cosines.Count == 0) return;
        var noisy = cosines.Where(x => x.Cos < Thresholds.NoiseCosine).ToList();
        if (noisy.Count * 2 <= cosines.Count) return;
        findings.Add(Make(FindingKind.SgdNoise, Severity.Info, "SGD noise dominates the mini-batch gradient",
            $"cosine between the mini-batch and the reference-set gradient: {string.Join(", ", cosines.Select(x => $"layer {x.Layer}: {N(x.Cos)}"))}.",
            "Most of each step is sampling noise: gradient magnitudes vary from batch to batch because of the batch, not the depth. " +
            "Compare layers on the reference-set speed of learning, and average more examples per step.",
            ["larger-batch", "adam", "lower-eta"], noisy.ToDictionary(x => $"layer_{x.Layer}", x => x.Cos), noisy.Select(x => x.Layer)));
    }
}
