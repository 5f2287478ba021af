namespace Kernelsmith.Cli.Tests;

/// <summary>The catalog is the ground truth every verdict rests on: every expert solution must be correct.</summary>
public sealed class CatalogValidationTests
{
    [Fact]
    public async Task KernelsValidateRun_WholeCatalog_EveryExpertSolutionIsCorrectAtOneTwoAndThree()
    {
        var (exit, stdout, stderr) = await CommandLineTests.KernelsmithAsync(TimeSpan.FromMinutes(20), "kernels", "validate", "--run", "--kernels", Repository.Kernels);

        Assert.True(exit == 0, $"validate --run failed (exit {exit}):\n{stdout}\n{stderr}");
        Assert.Matches(@"(\d+) of \1 expert solutions correct", stdout);
    }
}
