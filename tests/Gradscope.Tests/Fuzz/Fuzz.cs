using CsCheck;

namespace Gradscope.Tests.Fuzz;

/// <summary>
/// The fuzz suite's driver: CsCheck generators drawn from a fixed PCG seed, so every run of CI sees the same cases,
/// for a number of cases set by the budget. CI runs the short budget; <c>GRADSCOPE_FUZZ=long</c> multiplies every
/// count by 100 (or <c>GRADSCOPE_FUZZ=&lt;n&gt;</c> by n) for a long run on demand. A failing case names its seed and index.
/// </summary>
internal static class Fuzz
{
    public static int Multiplier =>
        Environment.GetEnvironmentVariable("GRADSCOPE_FUZZ") is { } v
            ? v == "long" ? 100 : int.TryParse(v, out int n) && n > 0 ? n : 1
            : 1;

    /// <summary>Runs <paramref name="property"/> on <paramref name="cases"/> × <see cref="Multiplier"/> values of <paramref name="gen"/>.</summary>
    public static int Run<T>(Gen<T> gen, int cases, ulong seed, Action<T, int> property)
    {
        var pcg = new PCG(7, seed);
        int total = cases * Multiplier;
        for (int i = 0; i < total; i++)
        {
            var value = gen.Generate(pcg, null, out _);
            try { property(value, i); }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                throw new Xunit.Sdk.XunitException($"fuzz case {i} (seed {seed}) threw {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
            }
        }
        return total;
    }

    /// <summary>
    /// The property every case must hold: the work succeeds, or fails with an exception the CLI reports as one line
    /// and exit 2 (bad input), never anything it would call an internal error.
    /// </summary>
    public static bool SucceedsOrBadInput(Action work, string what)
    {
        try
        {
            work();
            return true;
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            int code = Gradscope.Cli.Cli.ExitCodeFor(e, print: false);
            if (code != 2) throw new Xunit.Sdk.XunitException($"{what}: {e.GetType().Name} would exit {code}: {e.Message}\n{e.StackTrace}");
            return false;
        }
    }
}
