using CsCheck;
using Gradscope.Experiments;
using Gradscope.Model;
using Gradscope.Probes;
using Gradscope.Training;

namespace Gradscope.Tests.Fuzz;

/// <summary>
/// Spec files mutated field by field: each reads, validates and is sized by the memory estimate, or is refused as
/// bad input; none crashes. Nothing is trained.
/// </summary>
public sealed class SpecFuzzTests
{
    private static readonly string Valid = new ExperimentSpec
    {
        Name = "fuzz",
        Network = new NetworkSpec { Layers = [784, 30, 10], Activation = "relu", LayerActivations = ["relu", "sigmoid"], OutputActivation = "sigmoid" },
        Training = new TrainingOptions { Eta = 0.1, BatchSize = 10, Epochs = 1, LayerRates = [1, 2], Optimizer = "adam" },
        Probes = ProbeOptions.FromPreset("minimal"),
        Data = new DataSpec { Train = 100, Test = 10 },
    }.ToJson();

    [Fact]
    public void SpecJson_ReadsValidatesAndIsSized_OrOneBadInputLine()
    {
        int ok = 0;
        int cases = Fuzz.Run(Gen.Select(JsonMutation.Edits, JsonMutation.TextEdit), 600, 20261202, (c, _) =>
        {
            string json = JsonMutation.Apply(Valid, c.Item1, c.Item2);
            if (Fuzz.SucceedsOrBadInput(() =>
            {
                var spec = ExperimentSpec.Parse(json, "Spec file 'fuzz.json'");
                spec.Validate();
                var estimate = MemoryEstimate.For(spec);
                Assert.True(estimate.Total > 0);
            }, json)) ok++;
        });
        Assert.True(ok > 0 && ok < cases, $"{ok} of {cases} valid: the mutations should make both kinds");
    }

    [Theory]
    [InlineData("{\"network\":null}", "field network must be an object")]
    [InlineData("{\"probes\":{\"preset\":5}}", "probes.preset must be a string")]
    [InlineData("{\"training\":{\"batchSize\":\"ten\"}}", "field training.batchSize must be a whole number")]
    [InlineData("{\"training\":{\"eta\":[1]}}", "field training.eta must be a number")]
    [InlineData("{\"network\":{\"layers\":[784,null,10]}}", "field network.layers[1] must be")]
    [InlineData("{\"data\":{\"train\":1e12}}", "field data.train must be a whole number")]
    [InlineData("[]", "must hold a JSON object")]
    public void SpecJson_WrongTypes_NameTheField(string json, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => ExperimentSpec.Parse(json, "Spec file 'x.json'"));
        Assert.Contains(expected, e.Message);
    }
}
