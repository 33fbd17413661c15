namespace Gradscope.Tests.Reports;

/// <summary>Report tests share one set of sample runs (made once, ~1 s) and run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class ReportsCollection : ICollectionFixture<SampleRuns>
{
    public const string Name = "reports";
}
