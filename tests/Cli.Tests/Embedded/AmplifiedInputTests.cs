using Kernelsmith.Cli.Commands;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Grains.Verification;
using Kernelsmith.Results;

namespace Kernelsmith.Cli.Tests.Embedded;

/// <summary>
/// Two programs that print the right output for the main input (gemm, n 64, at 1 and 2 threads): one drops the
/// rows left over when the thread count does not divide n, the other prints the main input's output whatever it is
/// asked. Both pass the main input; the amplified inputs must fail both, and turning them off must let both through.
/// </summary>
public sealed class AmplifiedInputTests
{
    [Fact]
    public async Task Run_AnswersRightOnlyOnTheMainInput_AreWrongOutputOnAnAmplifiedInput()
    {
        var records = await RunAsync(amplify: true);

        var uneven = records.Single(r => r.Model.StartsWith("uneven", StringComparison.Ordinal));
        Assert.Equal(Verdict.WrongOutput, uneven.Verdict);
        Assert.Contains("amplified input", uneven.Reason, StringComparison.Ordinal);
        Assert.Equal(ErrorCategories.WrongOutput, uneven.Taxonomy[^1].Category);
        // The timed runs on the main input were fine, and are kept.
        Assert.Equal([1, 2], uneven.Runs.Select(r => r.Threads));

        var hardcoded = records.Single(r => r.Model.StartsWith("hardcoded", StringComparison.Ordinal));
        Assert.Equal(Verdict.WrongOutput, hardcoded.Verdict);
        Assert.Contains("amplified input 'edge'", hardcoded.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_AmplifyOff_TheMainInputAloneIsFooled()
    {
        var records = await RunAsync(amplify: false);

        Assert.All(records, r => Assert.Equal(Verdict.Correct, r.Verdict));
    }

    private static async Task<IReadOnlyList<ExperimentRecord>> RunAsync(bool amplify)
    {
        var work = Directory.CreateTempSubdirectory("kernelsmith-amplified-").FullName;
        var spec = Path.Combine(Path.GetDirectoryName(Repository.TestData("amplified.yaml"))!, $"amplified-{(amplify ? "on" : "off")}-{Guid.NewGuid():n}.yaml");
        await File.WriteAllTextAsync(spec, (await File.ReadAllTextAsync(Repository.TestData("amplified.yaml")))
            .Replace("amplify: true", $"amplify: {(amplify ? "true" : "false")}", StringComparison.Ordinal));
        try
        {
            var exit = await RunCommand.RunAsync(new FileInfo(spec), new DirectoryInfo(work), [Repository.Kernels], CancellationToken.None);
            Assert.Equal(0, exit);
            var records = new ResultsDirectory(work).ReadRecords();
            Assert.Equal(2, records.Count);
            return records;
        }
        finally
        {
            File.Delete(spec);
        }
    }
}
