using ScottPlot;

namespace Gradscope.Reports;

/// <summary>A figure of a report: file-name stem, title, one-line caption saying how to read it, and the plot.</summary>
public sealed record ReportFigure(string Name, string Title, string Caption, Plot Plot, int Width, int Height);

/// <summary>Where <see cref="ReportFigures.SaveAll"/> wrote a figure.</summary>
public sealed record SavedFigure(string Name, string Title, string PngPath, string SvgPath);

/// <summary>Every figure a run has data for, in report order, and saving them as PNG and SVG.</summary>
public static class ReportFigures
{
    /// <summary>The run's figures in report order; figures without data are left out.</summary>
    public static IReadOnlyList<ReportFigure> For(RunRecord run) =>
        For(new RunIndex(run ?? throw new ArgumentNullException(nameof(run))));

    internal static IReadOnlyList<ReportFigure> For(RunIndex index)
    {
        var fig = new Figures(index);
        // Captions in the words of the activations actually used: no sigmoid bound under a ReLU net.
        var activations = index.HiddenActivations;
        bool inactive = activations.Any(ActivationFamily.IsPiecewiseLinear), saturating = activations.Any(a => !ActivationFamily.IsPiecewiseLinear(a));
        string silentCaption = string.Join(" ", new[]
        {
            saturating ? "Share of σ′(z) values below 1% of their maximum: saturated units, at a large |z|, pass almost no gradient back." : null,
            inactive ? "Share of z < 0 in ReLU-family layers: inactive on that example, which is how ReLU works, not a fault." : null,
            "Dashed: units dead, silent on every one of the last 1,000 examples measured; they pass no gradient back and never recover.",
        }.OfType<string>());
        string sigmaCaption = "The activation's derivative, averaged over units and examples (solid), with its smallest and largest values (dotted). It bounds the activation factor" +
            (activations.Count > 0 ? ": " + string.Join("; ", activations.Select(ActivationFamily.DerivativeBound)) + "." : ".");
        int depth = index.Depth;
        int histogramHeight = Math.Max(FigureStyle.Height, 150 + 95 * depth);
        var candidates = new (string, string, string, Func<Plot?>, int)[]
        {
            ("speed-by-layer", "Speed of learning by layer",
                "Nielsen's measure ‖∂C/∂bˡ‖ per hidden layer. Bars of very different heights mean layers learn at very different speeds; early layers far below later ones is the vanishing-gradient signature.",
                fig.SpeedOfLearningByLayer, FigureStyle.Height),
            ("speed-over-training", "Speed of learning during training",
                "One line per hidden layer. Lines that stay decades apart mean the gap is not closing as the net trains.",
                fig.SpeedOfLearningOverTraining, FigureStyle.Height),
            ("gain-decomposition", "Where the gradient shrinks or grows",
                "Going back one layer multiplies ‖δ‖ by the gain = weight factor × activation factor. Bars below the dashed line at 1 shrink the gradient, bars above grow it; the factor further from 1 is the one to fix (weight factor → initialisation or normalisation, activation factor → a non-saturating activation).",
                fig.GainDecomposition, FigureStyle.Height),
            ("gradient-through-time", "Gradient through time",
                "log₁₀ ‖∂C/∂h_t‖ of the first recurrent layer: time step across, training step up. A left side decades darker than the right is vanishing through time: early inputs barely reach the gradient.",
                fig.GradientThroughTimeHeatmap, FigureStyle.Height),
            ("gain-through-time", "Per-step gain through time",
                "Going back one time step multiplies ‖∂C/∂h‖ by the gain = recurrent-weight factor × activation factor (exact for RNN and LSTM with the output at the last step). Below the dashed line at 1 the gradient shrinks each step.",
                fig.GainThroughTime, FigureStyle.Height),
            ("gates", "Gates over training",
                "Mean activation of each LSTM/GRU gate. The forget gate's mean is the share of the cell state that survives a step: near 1 the cell carries the gradient far back.",
                fig.GatesOverTraining, FigureStyle.Height),
            ("saturation", index.SilentUnitsTitle, silentCaption, fig.SaturationAndDeadUnits, FigureStyle.Height),
            ("sigma-prime", "σ′(z) per layer", sigmaCaption, fig.SigmaPrime, FigureStyle.Height),
            ("weight-grad-histograms", "Weight-gradient distributions",
                "Each row is one layer's |∂C/∂w| on log-spaced bins, shaded at the first measured step and outlined at the last. Rows shifted left by decades are layers whose weights barely move.",
                fig.WeightGradientHistograms, histogramHeight),
            ("activation-histograms", "Activation distributions",
                "Each row is one hidden layer's |a|. Mass piled near 1 (sigmoid, tanh) means saturation; a large share below 10⁻¹² (ReLU) means dead units.",
                fig.ActivationHistograms, histogramHeight),
            ("jacobian-spectrum", "Input–output Jacobian spectrum",
                "Singular values of ∂zᴸ/∂x at a few inputs. A spectrum spread over many decades (poor dynamical isometry) means most input directions barely reach the output, and gradients barely reach the input.",
                fig.JacobianSpectrum, FigureStyle.Height),
            ("cost", "Cost",
                "Train and test cost after each epoch (epoch 0 = at initialisation), over the per-step mini-batch cost.",
                fig.CostCurves, FigureStyle.Height),
            index.View.IsRegression
                ? ("r-squared", "R²",
                    "R² = 1 − Σ(a−y)²/Σ(y−ȳ)² on the training and test sets after each epoch (epoch 0 = at initialisation): 1 is a perfect fit, 0 no better than predicting the mean.",
                    fig.AccuracyCurves, FigureStyle.Height)
                : ("accuracy", "Accuracy",
                    "Classification accuracy on the training and test sets after each epoch (epoch 0 = at initialisation).",
                    fig.AccuracyCurves, FigureStyle.Height),
        };
        var result = new List<ReportFigure>();
        foreach (var (name, title, caption, make, height) in candidates)
            if (make() is { } plot) result.Add(new ReportFigure(name, title, caption, plot, FigureStyle.Width, height));
        return result;
    }

    /// <summary>Saves every figure the run has data for as <c>name.png</c> and <c>name.svg</c> in <paramref name="directory"/>.</summary>
    public static IReadOnlyList<SavedFigure> SaveAll(RunRecord run, string directory) => Save(For(run), directory);

    /// <summary>Saves figures as PNG and SVG (each written atomically) in <paramref name="directory"/>.</summary>
    public static IReadOnlyList<SavedFigure> Save(IEnumerable<ReportFigure> figures, string directory)
    {
        ArgumentNullException.ThrowIfNull(figures);
        ArgumentNullException.ThrowIfNull(directory);
        Directory.CreateDirectory(directory);
        var saved = new List<SavedFigure>();
        foreach (var f in figures)
        {
            string png = Path.Combine(directory, f.Name + ".png"), svg = Path.Combine(directory, f.Name + ".svg");
            byte[] bytes = f.Plot.GetImageBytes(f.Width, f.Height, ImageFormat.Png);
            AtomicFile.Write(png, s => s.Write(bytes));
            AtomicFile.WriteAllText(svg, f.Plot.GetSvgXml(f.Width, f.Height));
            saved.Add(new SavedFigure(f.Name, f.Title, png, svg));
        }
        return saved;
    }
}
