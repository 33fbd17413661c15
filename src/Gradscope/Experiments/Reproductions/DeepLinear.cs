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

    public override ReproResult Run(ReproContext context)
    {
        var tables = new List<ReproTable> { Chain(5), Chain(50) };
        // One linear teacher for both experiments (the same seed made the same data each time).
        var teacher = Teacher(context.Seed, 256);
        var (spectrum, isometric) = Spectra(context, teacher);
        tables.Add(spectrum);
        tables.Add(LearningTimes(context, teacher));
        var findings = new List<string>
        {
            "Chain: every ∂y/∂w_i equals y/w_i, so with equal weights w the gradient scales as w^(L−1): it vanishes for |w| < 1 and explodes for |w| > 1.",
            isometric
                ? "Orthogonal init: every singular value of the end-to-end map is 1 at every depth (dynamical isometry), while the Gaussian product's spectrum spreads with depth."
                : "Orthogonal init did not give an isometric product — unexpected.",
        };
        return new ReproResult(Name, "Saxe, McClelland & Ganguli, Exact solutions to the nonlinear dynamics of learning in deep linear neural networks (ICLR 2014)", tables, findings, []);
    }

    /// <summary>Engine gradients of C = ½(y − t)² for a one-unit linear chain against the closed form (y − t)·y/w_i.</summary>
    private static ReproTable Chain(int depth)
    {
        var rows = new List<string[]>();
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
            rows.Add([F(w), F(y), F(engineFirst), F(formula), F(engineLast), F(engineFirst / engineLast)]);
        }
        return new ReproTable($"one-unit linear chain of {depth} weights, x = 1, t = 0: ∂C/∂w by the engine vs (y − t)·Π_{{j≠i}} w_j",
            ["w", "y", "∂C/∂w₁ (engine)", "closed form", $"∂C/∂w{depth} (engine)", "first/last"], rows);
    }

    private (ReproTable Table, bool Isometric) Spectra(ReproContext context, Dataset<double> teacher)
    {
        var rows = new List<string[]>();
        bool isometric = true;
        foreach (int depth in new[] { 2, 8, 32, 64 })
            foreach (var init in new[] { "scaled-normal", "orthogonal" })
            {
                var spec = new NetworkSpec { Layers = Enumerable.Repeat(Width, depth + 1).ToArray(), Activation = "identity", Cost = "quadratic", Init = init, BiasInit = "zero" };
                var net = Network<double>.Create(spec, context.Seed);
                var product = EndToEnd(net);
                var s = LinearAlgebra.SingularValues(product, Width, Width);
                if (init == "orthogonal") isometric &= Math.Abs(s[0] - 1) < 1e-9 && Math.Abs(s[^1] - 1) < 1e-9;
                var ws = new Workspace<double>(net, teacher.Count);
                ws.Load(teacher, 0, teacher.Count);
                Backprop.Forward(net, ws, teacher.Count);
                Backprop.Backward(net, ws, teacher.Count, null, [], default);
                double ratio = Norm(ws.WeightGradientOf(1)) / Norm(ws.WeightGradientOf(depth));
                rows.Add([$"{depth}", init == "orthogonal" ? "orthogonal" : "Gaussian N(0,1/n)", F(s[0]), F(s[^1]), F(s[0] / s[^1]), F(ratio)]);
            }
        return (new ReproTable($"wide deep linear nets ({Width} units per layer): singular values of W^L⋯W¹ and ‖∂C/∂W¹‖/‖∂C/∂W^L‖ at init",
            ["depth", "init", "σ_max", "σ_min", "condition number", "‖∂C/∂W¹‖/‖∂C/∂W^L‖"], rows,
            "Published (Saxe et al. 2014): scaled Gaussian products have a spectrum that spreads with depth; orthogonal products stay exactly isometric, so gradients neither vanish nor explode."), isometric);
    }

    private static ReproTable LearningTimes(ReproContext context, Dataset<double> teacher)
    {
        int cap = context.Scaled(3000, 50);
        var rows = new List<string[]>();
        foreach (int depth in new[] { 2, 8, 32 })
        {
            var cells = new List<string> { $"{depth}" };
            foreach (var init in new[] { "scaled-normal", "orthogonal" })
            {
                var spec = new NetworkSpec { Layers = Enumerable.Repeat(Width, depth + 1).ToArray(), Activation = "identity", Cost = "quadratic", Init = init, BiasInit = "zero" };
                var net = Network<double>.Create(spec, context.Seed);
                using var trainer = new Trainer<double>(net, new TrainingOptions { Eta = 0.01, BatchSize = teacher.Count, Seed = context.Seed });
                double start = Evaluation.Of(net, teacher).Cost, cost = start;
                int epoch = 0;
                while (epoch < cap && cost > 0.1 * start && double.IsFinite(cost))
                {
                    trainer.TrainEpoch(teacher);
                    epoch++;
                    cost = Evaluation.Of(net, teacher).Cost;
                }
                cells.Add(cost <= 0.1 * start ? $"{epoch}" : $"> {cap}");
            }
            rows.Add([.. cells]);
        }
        return new ReproTable("full-batch gradient descent steps until the cost falls to 10% of its start (linear teacher, η = 0.01)",
            ["depth", "Gaussian N(0,1/n)", "orthogonal"], rows,
            "Published (Saxe et al. 2014): with orthogonal (isometric) init, learning time stays roughly constant as depth grows; with scaled Gaussian init it grows.");
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
