using Gradscope.TorchSharp.Example;

// dotnet run -c Release --project examples/Gradscope.TorchSharp.Example -- <model> <run directory> [epochs] [probes]
if (args.Length < 2 || !Models.Names.Contains(args[0]))
{
    Console.Error.WriteLine($"usage: Gradscope.TorchSharp.Example <{string.Join("|", Models.Names)}> <run directory> [epochs] [probes]");
    return 2;
}
var options = new ExampleOptions();
if (args.Length > 2) options = options with { Epochs = int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) };
if (args.Length > 3) options = options with { Probes = args[3] };
Training.Run(args[0], args[1], options, Console.Out);
Console.WriteLine($"wrote {args[1]}: now `gradscope report {args[1]}` and `gradscope diagnose {args[1]}`");
return 0;
