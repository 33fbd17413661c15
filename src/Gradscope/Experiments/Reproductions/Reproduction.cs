namespace Gradscope.Experiments.Reproductions;

/// <summary>A built-in experiment that reproduces a published result in one command.</summary>
public abstract class Reproduction
{
    public abstract string Name { get; }
    public abstract string Description { get; }

    public abstract ReproResult Run(ReproContext context);

    /// <summary>Every built-in reproduction, by name.</summary>
    public static IReadOnlyList<Reproduction> All { get; } =
    [
        new NielsenCh5(),
        new GlorotBengio(),
        new HeReluDepth(),
        new DeepLinear(),
        new JacobianProducts(),
        new RemediesReproduction(),
        new PascanuRnn(),
        new LstmAdding(),
        new GradientMagnitudes(),
    ];

    public static Reproduction Find(string name) =>
        All.FirstOrDefault(r => r.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"Unknown reproduction '{name}'. Valid: {string.Join(", ", All.Select(r => r.Name))}.");

    protected static string F(double value) => Numbers.Column(value, 3);

    protected static string Percent(double value) => Numbers.Percent(value);
}
