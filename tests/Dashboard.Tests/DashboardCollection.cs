namespace Kernelsmith.Dashboard.Tests;

/// <summary>The dashboard's tests share one run and one browser, one test at a time (the machine has 2 cores).</summary>
[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<DashboardFixture>
{
    public const string Name = "dashboard";
}
