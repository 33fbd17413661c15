using System.Globalization;
using Gradscope.Data;
using Gradscope.Model;
using Gradscope.Numerics;
using Gradscope.Training;

namespace Gradscope.Experiments.Reproductions;

/// <summary>
/// Deep linear networks: the one-unit chain y = w₅w₄w₃w₂w₁x, whose gradients are plain products, and wide deep
/// linear nets with Gaussian vs orthogonal init (Saxe, McClelland &amp; Ganguli 2014): the end-to-end map's
/// singular values, the gradient across depth, and how long learning takes as depth grows.
/// </summary>
public sealed class DeepLinear : Reproduction
{
    private const int Width = 32;


    public override string Name => "deep-linear";
    public override string Description => "Deep linear chains and wide linear nets: gradients as products; Gaussian vs orthogonal init (Saxe et al. 2014).";

    /// <summary>η at depth 2; the 1/depth schedule keeps η·depth at 2 × this.</summary>
    private const double Eta = 0.01;

    private static readonly int[] LearningDepths = [2, 8, 32];

    /// <summary>float64's ε = 2⁻⁵² (<c>double.Epsilon</c> is the smallest subnormal, not this).</summary>
    private const double MachineEpsilon = 2.220446049250313e-16;

    public override ReproResult Run(ReproContext context)
    {
        var values = new List<ReproValue>();
        var (chain5, _) = Chain(5, values);
        var (chain50, chainFinding) = Chain(50, values);
        var tables = new List<ReproTable> { chain5, chain50 };
        // One linear teacher for both experiments (the same seed made the same data each time).
        var teacher = Teacher(context.Seed, 256);
        var (spectrum, spectrumFindings) = Spectra(context, teacher, values);
        tables.Add(spectrum);
        var (times, timeFindings) = LearningTimes(context, teacher, values);
        tables.Add(times);
        var findings = new List<string> { chainFinding };
        findings.AddRange(spectrumFindings);
        findings.AddRange(timeFindings);
        return new ReproResult(Name, "Saxe, McClelland & Ganguli, Exact solutions to the nonlinear dynamics of learning in deep linear neural networks (ICLR 2014)",
            tables, findings, [], values);
    }

    /// <summary>Engine gradients of C = ½(y − t)² for a one-unit linear chain against the closed form (y − t)·y/w_i.</summary>
    private static (ReproTable Table, string Finding) Chain(int depth, List<ReproValue> values)
    {
        var rows = new List<string[]>();
        double worst = 0;
        var firstByW = new Dictionary<double, double>();
        foreach (double w in new[] { 0.5, 0.9, 1.0, 1.1, 2.0 })
        {
            var spec = new NetworkSpec { Layers = Enumerable.Repeat(1, depth + 1).ToArray(), Activation = "identity", Cost = "quadratic", BiasInit = "zero" };
            var net = Network<double>.CreateEmpty(spec);
            foreach (var p in net.Parameters) if (p.Role == ParameterRole.Weight) p.Values[0] = w;
            const double x = 1.0, t = 0.0;
            var data = new Dataset<double>("chain", 1, 1, [x], [t]);
            var ws = new Workspace<double>(net, 1);
            ws.Load(data, 0, 1);
            Backprop.Forward(net, ws, 1);
            Backprop.Backward(net, ws, 1, null, [], default);
            double y = Math.Pow(w, depth) * x;
            double engineFirst = ws.WeightGradientOf(1)[0], engineLast = ws.WeightGradientOf(depth)[0];
            double formula = (y - t) * Math.Pow(w, depth - 1) * x;
            worst = Math.Max(worst, Math.Abs(engineFirst - formula) / Math.Abs(formula));
            firstByW[w] = engineFirst;
            values.Add(new(FormattableString.Invariant($"chain-{depth}/w={w}/gradient-first"), engineFirst, "∂C/∂w₁"));
            values.Add(new(FormattableString.Invariant($"chain-{depth}/w={w}/closed-form"), formula, "∂C/∂w₁"));
            rows.Add([F(w), F(y), F(engineFirst), F(formula), F(engineLast), F(engineFirst / engineLast)]);
        }
        var table = new ReproTable($"one-unit linear chain of {depth} weights, x = 1, t = 0: ∂C/∂w by the engine vs (y − t)·Π_{{j≠i}} w_j",
            ["w", "y", "∂C/∂w₁ (engine)", "closed form", $"∂C/∂w{depth} (engine)", "first/last"], rows);
        string finding = $"Chain of {depth} weights: the engine's ∂C/∂w₁ matches the closed form (y − t)·w^{depth - 1}·x to within {worst:0.#e+0} (relative); " +
            $"it is {Numbers.Short(firstByW[0.5])} at w = 0.5 and {Numbers.Short(firstByW[2.0])} at w = 2, " +
            $"{Numbers.Short(Math.Log10(Math.Abs(firstByW[2.0] / firstByW[0.5])))} decades apart: a per-layer factor off 1 compounds over depth.";
        return (table, finding);
    }

    /// <summary>
    /// A condition number σ_max/σ_min as printed: measured when σ_min is above the float64 floor σ_max·n·ε (the rank
    /// tolerance of LAPACK and numpy), else only the lower bound 1/(n·ε) that the floor allows.
    /// </summary>
    public static (string Text, double Value, bool AtFloor) Condition(double sigmaMax, double sigmaMin, int n)
    {
        double floor = sigmaMax * n * MachineEpsilon;
        if (sigmaMin > floor) return (Numbers.Short(sigmaMax / sigmaMin), sigmaMax / sigmaMin, false);
        double bound = 1 / (n * MachineEpsilon);
        return ($"≥ {Numbers.Short(bound)} (at machine precision)", bound, true);
    }

    private (ReproTable Table, List<string> Findings) Spectra(ReproContext context, Dataset<double> teacher, List<ReproValue> values)
    {
        var rows = new List<string[]>();
        double worstOrthogonal = 0;
        var gaussian = new List<(int Depth, string Condition)>();
        foreach (int depth in new[] { 2, 8, 32, 64 })
            foreach (var init in new[] { "scaled-normal", "orthogonal" })
            {
                var spec = new NetworkSpec { Layers = Enumerable.Repeat(Width, depth + 1).ToArray(), Activation = "identity", Cost = "quadratic", Init = init, BiasInit = "zero" };
                var net = Network<double>.Create(spec, context.Seed);
                var product = EndToEnd(net);
                var s = LinearAlgebra.SingularValues(product, Width, Width);
                if (init == "orthogonal") worstOrthogonal = Math.Max(worstOrthogonal, Math.Max(Math.Abs(s[0] - 1), Math.Abs(s[^1] - 1)));
                var ws = new Workspace<double>(net, teacher.Count);
                ws.Load(teacher, 0, teacher.Count);
                Backprop.Forward(net, ws, teacher.Count);
                Backprop.Backward(net, ws, teacher.Count, null, [], default);
                double ratio = Norm(ws.WeightGradientOf(1)) / Norm(ws.WeightGradientOf(depth));
                var condition = Condition(s[0], s[^1], Width);
                string label = init == "orthogonal" ? "orthogonal" : "Gaussian N(0,1/n)";
                if (init != "orthogonal") gaussian.Add((depth, condition.Text));
                string sigmaMin = condition.AtFloor ? $"< {Numbers.Short(s[0] * Width * MachineEpsilon)} (floor)" : F(s[^1]);
                rows.Add([$"{depth}", label, F(s[0]), sigmaMin, condition.Text, F(ratio)]);
                string key = $"spectrum/depth={depth}/{(init == "orthogonal" ? "orthogonal" : "gaussian")}/";
                values.Add(new(key + "sigma-max", s[0], "singular value"));
                if (!condition.AtFloor) values.Add(new(key + "sigma-min", s[^1], "singular value"));
                values.Add(new(key + (condition.AtFloor ? "condition-number-lower-bound" : "condition-number"), condition.Value, "σ_max/σ_min"));
                values.Add(new(key + "gradient-ratio", ratio, "‖∂C/∂W¹‖/‖∂C/∂W^L‖"));
            }
        var findings = new List<string>
        {
            worstOrthogonal < 1e-9
                ? $"Orthogonal init: every singular value of the end-to-end map is 1 at every depth to within {worstOrthogonal:0.#e+0} (dynamical isometry)."
                : $"Orthogonal init: the end-to-end map's singular values strayed up to {Numbers.Short(worstOrthogonal)} from 1 — not isometric.",
            $"Gaussian N(0,1/n) init: the end-to-end map's condition number is {string.Join(", ", gaussian.Select(g => $"{g.Condition} at depth {g.Depth}"))}.",
        };
        return (new ReproTable($"wide deep linear nets ({Width} units per layer): singular values of W^L⋯W¹ and ‖∂C/∂W¹‖/‖∂C/∂W^L‖ at init",
            ["depth", "init", "σ_max", "σ_min", "condition number", "‖∂C/∂W¹‖/‖∂C/∂W^L‖"], rows,
            $"σ_min below σ_max·{Width}·ε (float64's rank tolerance) cannot be told from 0: the condition number is then only bounded below. " +
            "Published (Saxe et al. 2014): scaled Gaussian products have a spectrum that spreads with depth; orthogonal products stay exactly isometric, so gradients neither vanish nor explode."), findings);
    }

    private static (ReproTable Table, List<string> Findings) LearningTimes(ReproContext context, Dataset<double> teacher, List<ReproValue> values)
    {
        int cap = context.Scaled(3000, 50);
        var steps = new Dictionary<(string Init, bool Scaled), int?[]>();
        foreach (bool scaled in new[] { false, true })
            foreach (var init in new[] { "scaled-normal", "orthogonal" })
            {
                var row = new int?[LearningDepths.Length];
                for (int i = 0; i < LearningDepths.Length; i++)
                {
                    int depth = LearningDepths[i];
                    double eta = scaled ? Eta * 2 / depth : Eta;
                    row[i] = StepsToTenPercent(context.Seed, teacher, depth, init, eta, cap);
                    string key = FormattableString.Invariant($"learning/{(scaled ? "eta-over-depth" : "fixed-eta")}/{(init == "orthogonal" ? "orthogonal" : "gaussian")}/depth={depth}/");
                    values.Add(new(key + "steps", row[i] ?? double.PositiveInfinity, $"full-batch steps to 10% of the initial cost (∞: not within {cap})"));
                    values.Add(new(key + "eta", eta, "η"));
                }
                steps[(init, scaled)] = row;
            }
        string Cell(int? s) => s is { } n ? n.ToString(CultureInfo.InvariantCulture) : $"> {cap}";
        var rows = LearningDepths.Select((depth, i) => new[]
        {
            $"{depth}", Cell(steps[("scaled-normal", false)][i]), Cell(steps[("orthogonal", false)][i]),
            FormattableString.Invariant($"{Eta * 2 / depth:G3}"), Cell(steps[("scaled-normal", true)][i]), Cell(steps[("orthogonal", true)][i]),
        }).ToList();
        var findings = new List<string>
        {
            LearningTimeFinding("orthogonal", FormattableString.Invariant($"at fixed η = {Eta}"), steps[("orthogonal", false)], cap),
            LearningTimeFinding("orthogonal", FormattableString.Invariant($"with η = {Eta * 2}/depth"), steps[("orthogonal", true)], cap),
            LearningTimeFinding("Gaussian", FormattableString.Invariant($"with η = {Eta * 2}/depth"), steps[("scaled-normal", true)], cap),
        };
        var table = new ReproTable("full-batch gradient descent steps until the cost falls to 10% of its start (linear teacher): at fixed η and with η ∝ 1/depth",
            ["depth", FormattableString.Invariant($"Gaussian, η = {Eta}"), FormattableString.Invariant($"orthogonal, η = {Eta}"), "η = 0.02/depth", "Gaussian", "orthogonal"], rows,
            "Published (Saxe et al. 2014): with orthogonal (isometric) init and the learning rate scaled as 1/depth, learning time is independent of depth; " +
            "at a fixed learning rate a deeper linear net takes larger effective steps.");
        return (table, findings);
    }

    /// <summary>Full-batch steps until the cost is 10% of its start, or null when it is not within <paramref name="cap"/> (or diverges).</summary>
    private static int? StepsToTenPercent(ulong seed, Dataset<double> teacher, int depth, string init, double eta, int cap)
    {
        var spec = new NetworkSpec { Layers = Enumerable.Repeat(Width, depth + 1).ToArray(), Activation = "identity", Cost = "quadratic", Init = init, BiasInit = "zero" };
        var net = Network<double>.Create(spec, seed);
        using var trainer = new Trainer<double>(net, new TrainingOptions { Eta = eta, BatchSize = teacher.Count, Seed = seed });
        double start = Evaluation.Of(net, teacher).Cost, cost = start;
        int epoch = 0;
        while (epoch < cap && cost > 0.1 * start && double.IsFinite(cost))
        {
            trainer.TrainEpoch(teacher);
            epoch++;
            cost = Evaluation.Of(net, teacher).Cost;
        }
        return cost <= 0.1 * start ? epoch : null;
    }

    /// <summary>
    /// What one row of learning times shows, from its numbers (null = not within <paramref name="cap"/> steps):
    /// steps at each depth of <see cref="LearningDepths"/>, and whether they stay within 2× of each other.
    /// </summary>
    public static string LearningTimeFinding(string init, string schedule, IReadOnlyList<int?> steps, int cap)
    {
        ArgumentNullException.ThrowIfNull(steps);
        string list = string.Join(" / ", steps.Select(s => s is { } n ? n.ToString(CultureInfo.InvariantCulture) : $"> {cap}"));
        string head = $"{init} init {schedule}: {list} steps at depth {string.Join(" / ", LearningDepths.Take(steps.Count))}";
        if (steps.Any(s => s is null))
        {
            // Depths that ran out of steps after ones that finished: learning time grew at least to the cap.
            int firstOut = steps.ToList().FindIndex(s => s is null);
            bool tail = steps.Skip(firstOut).All(s => s is null) && firstOut > 0;
            int fastest = tail ? steps.Take(firstOut).Min(s => s!.Value) : 0;
            return tail && cap > 2 * fastest
                ? $"{head}: rising at least {cap / (double)fastest:0.#}× as depth grows (depth {LearningDepths[firstOut]} did not reach 10% of its initial cost within {cap} steps)."
                : $"{head}: not every depth reached 10% of its initial cost within {cap} steps, so this run cannot say whether learning time depends on depth.";
        }
        int lo = steps.Min(s => s!.Value), hi = steps.Max(s => s!.Value);
        double spread = hi / (double)Math.Max(1, lo);
        bool falling = steps.Zip(steps.Skip(1)).All(p => p.Second < p.First), rising = steps.Zip(steps.Skip(1)).All(p => p.Second > p.First);
        string shape = spread <= 2 ? $"within {spread:0.0}× of each other: about constant in depth"
            : falling ? $"falling {spread:0.#}× as depth grows" : rising ? $"rising {spread:0.#}× as depth grows" : $"varying {spread:0.#}× with depth";
        return $"{head}, {shape}.";
    }

    private static double[] EndToEnd(Network<double> net)
    {
        var product = new double[Width * Width];
        for (int i = 0; i < Width; i++) product[i * Width + i] = 1;
        for (int l = 1; l <= net.Depth; l++)
        {
            var next = new double[Width * Width];
            Gemm.Multiply(false, false, Width, Width, Width, 1.0, net.Find(l, ParameterRole.Weight)!.Values, Width, product, Width, 0.0, next, Width);
            product = next;
        }
        return product;
    }

    /// <summary>Regression onto a random linear teacher y = M x, x ~ N(0, I), M with N(0, 1/n) entries.</summary>
    private static Dataset<double> Teacher(ulong seed, int count)
    {
        var rng = new Rng(seed).Fork(0x7EAC);
        var m = new double[Width * Width];
        for (int i = 0; i < m.Length; i++) m[i] = rng.NextNormal() / Math.Sqrt(Width);
        var x = new double[count * Width];
        for (int i = 0; i < x.Length; i++) x[i] = rng.NextNormal();
        var y = new double[count * Width];
        Gemm.Multiply(false, true, count, Width, Width, 1.0, x, Width, m, Width, 0.0, y, Width);
        return new Dataset<double>("linear-teacher", Width, Width, x, y);
    }

    private static double Norm(ReadOnlySpan<double> v)
    {
        double s = 0;
        foreach (double x in v) s += x * x;
        return Math.Sqrt(s);
    }
}
