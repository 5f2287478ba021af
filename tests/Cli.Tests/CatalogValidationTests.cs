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

    /// <summary>A user's own kernel has no expert solutions: validate --run still builds its program, runs it twice per input, and says how much it printed.</summary>
    [Fact]
    public async Task KernelsValidateRun_KernelWithoutSolutions_RunsTheSequentialProgramTwicePerInput()
    {
        var (exit, stdout, stderr) = await CommandLineTests.KernelsmithAsync(TimeSpan.FromMinutes(5), "kernels", "validate", "--run", "--kernels", Repository.TestData("kernels/heatfiles"));

        Assert.True(exit == 0, $"validate --run failed (exit {exit}):\n{stdout}\n{stderr}");
        // The console wraps long lines where it is narrow: compare with the line breaks made spaces.
        var text = System.Text.RegularExpressions.Regex.Replace(stdout, @"\s+", " ");
        Assert.Matches(@"heatfiles input tiny: the sequential program built, ran twice \([0-9.]+ s and [0-9.]+ s\) and printed the same both times: [1-9]\d* bytes, 2 lines, 2 numbers compared", text);
        Assert.Contains("1 of 1 inputs of kernels without expert solutions ran the same twice", text, StringComparison.Ordinal);
        Assert.DoesNotContain("0 of 0", text, StringComparison.Ordinal);
    }
}
