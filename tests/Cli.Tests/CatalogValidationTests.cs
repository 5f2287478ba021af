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

    /// <summary>
    /// Verification strength, measured once per kernel on real programs: weakcount prints only its step count (one
    /// number, the same on every input and with its computation perturbed) and is warned about; fixedsize's output
    /// changes with its input and its perturbation; filecheck prints one number but a checker judges its file.
    /// </summary>
    [Fact]
    public async Task KernelsValidateRun_WeakOutput_IsWarnedAboutAndStrongOnesAreNot()
    {
        var (exit, stdout, stderr) = await CommandLineTests.KernelsmithAsync(TimeSpan.FromMinutes(5), "kernels", "validate", "--run", "--kernels",
            Repository.TestData("kernels/weakcount"), Repository.TestData("kernels/fixedsize"), Repository.TestData("kernels/filecheck"));

        Assert.True(exit == 0, $"validate --run failed (exit {exit}):\n{stdout}\n{stderr}");
        var text = System.Text.RegularExpressions.Regex.Replace(stdout, @"\s+", " ");
        Assert.Contains("warning: weakcount: weak output (1 number compared; the same output on every input; the same output when the computation is perturbed)", text, StringComparison.Ordinal);
        Assert.Matches(@"fixedsize: verification strength on input tiny: \d+ bytes, 1 line, 3 numbers compared; it changes on 1 of its 1 other input\(s\); it changes when the computation is perturbed", text);
        Assert.DoesNotContain("warning: fixedsize", text, StringComparison.Ordinal);
        Assert.DoesNotContain("warning: filecheck", text, StringComparison.Ordinal);
        Assert.Contains("1 kernel(s) with a weak output", text, StringComparison.Ordinal);
    }
}
