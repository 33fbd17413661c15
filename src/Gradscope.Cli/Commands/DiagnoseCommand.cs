using System.CommandLine;
using Gradscope.Cli.Terminal;
using Gradscope.Diagnosis;
using Gradscope.Experiments;
using Gradscope.IO;

namespace Gradscope.Cli.Commands;

/// <summary>
/// <c>gradscope diagnose &lt;run&gt;</c> (findings of a run), <c>diagnose --spec exp.json --at-init</c> (pre-flight
/// before training) and <c>--verify</c> (re-run the top prescriptions and rank them by what helped). Prescriptions
/// come from <see cref="RemedyRegistry"/> with their flags computed for this run (its η, batch and gradient norms).
/// </summary>
public static class DiagnoseCommand
{
    public static Command Create()
    {
        var flags = new SpecFlags(TrainCommand.Defaults);
        var runArgument = new Argument<string?>("run") { Description = "A run directory (omit with --at-init).", Arity = ArgumentArity.ZeroOrOne };
        var atInit = new Option<bool>("--at-init") { Description = "Check the spec's network at initialisation, before any training." };
        var verify = new Option<bool>("--verify") { Description = "Re-run the top prescriptions for a short budget and rank them by what helped." };
        var examples = new Option<int>("--verify-examples") { Description = "Training examples per verification run.", DefaultValueFactory = _ => 5000 };
        var top = new Option<int>("--top") { Description = "How many prescriptions to verify.", DefaultValueFactory = _ => 4 };
        var command = new Command("diagnose", "Tell vanishing from exploding from convergence, explain why with the numbers, prescribe and verify remedies.");
        command.Arguments.Add(runArgument);
        command.Options.Add(atInit);
        command.Options.Add(verify);
        command.Options.Add(examples);
        command.Options.Add(top);
        flags.AddTo(command);
        command.SetAction(result =>
        {
            string? dir = result.GetValue(runArgument);
            ExperimentSpec? spec;
            IReadOnlyList<Finding> findings;
            RemedyContext context;
            if (result.GetValue(atInit))
            {
                if (dir is not null) throw new UsageException("--at-init checks a spec, not a run: pass --spec exp.json (or flags) instead of a run directory.");
                spec = flags.Build(result, flags.DefaultsFor(result, TrainCommand.Defaults));
                TrainCommand.Validate(spec);
                if (!Experiments.DataFiles.IsFile(spec.Data.Source)) flags.CheckMemory(result, spec);
                var data = DataLoading.LoadFor(spec);
                spec = flags.WithWeightDecay(result, spec, data.Train.Count);
                Output.Heading($"pre-flight check at initialisation: {spec.Network}");
                var (atInitFindings, metrics) = PreFlight.Check(spec, data);
                context = RemedyContext.Of(spec, metrics);
                findings = Prescriber.Prescribe(atInitFindings, context);
                FindingsView.Print(findings, "at initialisation", context, new RunView(RunInfos.Describe(spec.Network), metrics), atInit: true);
            }
            else
            {
                if (dir is null) throw new UsageException("name a run directory, or use --at-init with --spec/flags.");
                var run = RunLoading.Load(dir);
                // A run made outside the engine (a TorchSharp model) has no spec: it is diagnosed from its record alone.
                spec = run.Info.Spec is null ? null : SpecOf(run);
                context = Prescriber.ContextOf(run);
                findings = Prescriber.Prescribe(Doctor.Diagnose(DiagnosisInput.From(run)), context);
                Output.Heading($"diagnosis of {run.Info.Name} ({run.Info.Status})");
                FindingsView.Print(findings, run.Info.Name, context, new RunView(run), DiagnosisInput.IsUntrained(run));
                FindingsFile.Write(dir, findings);
            }
            if (result.GetValue(verify))
            {
                if (spec is null) throw new UsageException($"--verify reruns the run's spec, and '{dir}' has none (it was not made by Gradscope's engine).");
                Verify(spec, findings, context, result.GetValue(examples), result.GetValue(top), dir);
            }
            // The report shows the findings and the verification: a run that has one gets it rewritten with them.
            if (dir is not null && File.Exists(Path.Combine(dir, RunFiles.Report))) Reporting.TryWrite(dir);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The spec a run was made from, so it can be re-run.</summary>
    public static ExperimentSpec SpecOf(RunRecord run) => RunInfos.SpecOf(run.Info);

    private static void Verify(ExperimentSpec spec, IReadOnlyList<Finding> findings, RemedyContext context, int examples, int top, string? dir)
    {
        if (examples < 1) throw new UsageException($"--verify-examples: {examples} must be positive.");
        if (top < 1) throw new UsageException($"--top: {top} must be positive.");
        var names = findings.SelectMany(f => f.Remedies).Distinct().Take(top).ToList();
        if (names.Count == 0)
        {
            Output.Line("nothing to verify: no finding prescribed a remedy.");
            return;
        }
        var data = DataLoading.LoadFor(spec);
        var (baseline, results) = Cli.WithCancellation(token =>
            Verification.Verify(spec, names.Select(n => RemedyRegistry.For(n, context)).ToList(), data.Take(null, 2000),
                examples, new Progress<string>(Output.Line), token));
        FindingsView.PrintVerification(baseline, results);
        if (dir is not null) Verification.ToFile(baseline, results, Math.Min(examples, data.Train.Count)).Write(dir);
    }
}
